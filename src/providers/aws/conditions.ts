import type { PolicyCondition } from './wire.js';

// What a statement's Condition block means for standing access. Only two kinds of condition
// make a grant non-standing: a time window (aws:CurrentTime, aws:EpochTime) and MFA (the caller
// must have signed in with MFA, which long-term access keys never have). Other conditions
// (source IP, VPC, tags) narrow where the grant works but leave it always on.

export interface ConditionFacts {
  /** The grant is time-bound or MFA-bound. */
  bound: boolean;
  /** The end of a time window, when the condition sets one. */
  expiresAt?: string;
}

/** "ForAnyValue:DateLessThanIfExists" → {base: "DateLessThan", ifExists: true}. */
function operatorParts(operator: string): { base: string; ifExists: boolean } {
  const unqualified = operator.replace(/^For(AllValues|AnyValue):/, '');
  const ifExists = unqualified.endsWith('IfExists');
  return { base: ifExists ? unqualified.slice(0, -'IfExists'.length) : unqualified, ifExists };
}

/** aws:CurrentTime values are ISO dates; aws:EpochTime values are seconds since 1970. */
function toIso(value: string | number | boolean): string | undefined {
  const text = String(value);
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function conditionFacts(condition: PolicyCondition | undefined): ConditionFacts {
  let bound = false;
  let expiresAt: string | undefined;
  for (const [operator, block] of Object.entries(condition ?? {})) {
    const { base, ifExists } = operatorParts(operator);
    // …IfExists passes when the key is absent, so it binds nothing for callers that lack it.
    if (ifExists) continue;
    for (const [key, raw] of Object.entries(block)) {
      const values = Array.isArray(raw) ? raw : [raw];
      const k = key.toLowerCase();
      // Only sessions whose token was issued before a date: once that date is past, no new session qualifies.
      if (k === 'aws:tokenissuetime' && /^DateLessThan/.test(base)) {
        bound = true;
        for (const end of values.map(toIso)) if (end && (!expiresAt || end < expiresAt)) expiresAt = end;
      } else if ((k === 'aws:currenttime' || k === 'aws:epochtime') && /^(Date|Numeric)/.test(base)) {
        bound = true;
        if (/LessThan/.test(base)) {
          for (const end of values.map(toIso)) if (end && (!expiresAt || end < expiresAt)) expiresAt = end;
        }
      } else if (k === 'aws:multifactorauthpresent' && base === 'Bool' && values.some((v) => String(v) === 'true')) {
        bound = true;
      } else if (k === 'aws:multifactorauthage' && base.startsWith('Numeric')) {
        bound = true;
      }
    }
  }
  return expiresAt ? { bound, expiresAt } : { bound };
}
