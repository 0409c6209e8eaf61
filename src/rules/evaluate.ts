import { createHash } from 'node:crypto';
import type { Finding, Severity, TargetType } from '../model/finding.js';
import type { Credential, Entitlement, Identity, Trust } from '../model/inventory.js';
import { credentialFacts, deriveFacts } from '../facts/derive.js';
import { fromCel, toCel, type CompiledExpression } from './cel.js';
import type { CompiledRule } from './load.js';
import type { RuleSpec } from './schema.js';

export interface RuleSettings {
  severity: Severity;
  parameters: RuleSpec['parameters'];
}

export interface RuleError {
  ruleId: string;
  file: string;
  identityId: string;
  message: string;
  count: number;
}

export interface EvaluationResult {
  findings: Finding[];
  /** Evaluation errors (a missing field, a type mismatch), first occurrence per rule. */
  errors: RuleError[];
}

interface Item {
  type: TargetType;
  key: string;
  credentialId?: string;
  vars: Record<string, unknown>;
}

/** Runs every rule over every identity. `settings` carries config overrides per rule id. */
export function evaluateRules(
  identities: Identity[],
  rules: CompiledRule[],
  now: string,
  settings: Map<string, RuleSettings> = new Map(),
): EvaluationResult {
  const facts = deriveFacts(identities, now);
  const findings: Finding[] = [];
  const errors = new Map<string, RuleError>();

  for (const identity of identities) {
    const identityVar = toCel({ ...identity, ...facts.get(identity.id)! });
    const items: Record<TargetType, Item[] | undefined> = {
      identity: undefined,
      credential: undefined,
      entitlement: undefined,
      trust: undefined,
    };
    const itemsFor = (t: TargetType): Item[] => (items[t] ??= targetItems(t, identity, identityVar, now));

    for (const rule of rules) {
      if (rule.providers && !rule.providers.includes(identity.provider)) continue;
      const set = settings.get(rule.id) ?? { severity: rule.severity, parameters: rule.parameters };
      const params = toCel(set.parameters);
      for (const item of itemsFor(rule.target)) {
        const context = { ...item.vars, params };
        let fired: unknown;
        try {
          fired = rule.test(context);
        } catch (err) {
          noteError(errors, rule, identity, err);
          continue;
        }
        if (fired !== true) continue;
        try {
          findings.push(makeFinding(rule, set.severity, identity, item, context));
        } catch (err) {
          noteError(errors, rule, identity, err);
        }
      }
    }
  }
  return { findings, errors: [...errors.values()] };
}

function targetItems(type: TargetType, identity: Identity, identityVar: unknown, now: string): Item[] {
  const base = { identity: identityVar };
  switch (type) {
    case 'identity':
      return [{ type, key: '', vars: base }];
    case 'credential':
      return identity.credentials.map((c: Credential) => ({
        type,
        key: c.id,
        credentialId: c.id,
        vars: { ...base, credential: toCel({ ...c, ...credentialFacts(c, now) }) },
      }));
    case 'entitlement':
      return identity.entitlements.map((e: Entitlement) => ({
        type,
        key: `${e.via.type}:${e.via.id ?? e.via.name}:${e.resource}${e.effect === 'deny' ? ':deny' : ''}`,
        vars: { ...base, entitlement: toCel(e) },
      }));
    case 'trust':
      return identity.trustedBy.map((t: Trust) => ({
        type,
        key: `${t.via}:${t.principal}${t.subject ? `#${t.subject}` : ''}`,
        vars: { ...base, trust: toCel(t) },
      }));
  }
}

function render(parts: Array<string | CompiledExpression>, context: Record<string, unknown>): string {
  return parts.map((p) => (typeof p === 'string' ? p : display(fromCel(p(context))))).join('');
}

function display(value: unknown): string {
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function fingerprintOf(ruleId: string, identityId: string, type: TargetType, key: string): string {
  return createHash('sha256').update([ruleId, identityId, type, key].join('\u0000')).digest('hex').slice(0, 32);
}

function makeFinding(
  rule: CompiledRule,
  severity: Severity,
  identity: Identity,
  item: Item,
  context: Record<string, unknown>,
): Finding {
  const evidence: Record<string, unknown> = {};
  for (const [name, expr] of rule.evidenceExprs) evidence[name] = fromCel(expr(context));
  const command = renderCommand(rule.commandParts?.[identity.provider], context);
  return {
    ruleId: rule.id,
    title: rule.title,
    family: rule.family,
    severity,
    provider: identity.provider,
    identityId: identity.id,
    identityName: identity.name,
    target: { type: item.type, key: item.key },
    ...(item.credentialId ? { credentialId: item.credentialId } : {}),
    message: render(rule.messageParts, context),
    evidence,
    remediation: { text: rule.remediation.text.trim(), ...(command ? { command } : {}) },
    owasp: rule.owasp,
    fingerprint: fingerprintOf(rule.id, identity.id, item.type, item.key),
  };
}

/** A fix command is a convenience: when a placeholder has no value on this identity, leave it out
 * rather than fail the finding. */
function renderCommand(parts: Array<string | CompiledExpression> | undefined, context: Record<string, unknown>) {
  if (!parts) return undefined;
  try {
    return render(parts, context);
  } catch {
    return undefined;
  }
}

function noteError(errors: Map<string, RuleError>, rule: CompiledRule, identity: Identity, err: unknown): void {
  const seen = errors.get(rule.id);
  if (seen) {
    seen.count++;
    return;
  }
  errors.set(rule.id, {
    ruleId: rule.id,
    file: rule.file,
    identityId: identity.id,
    message: (err as Error).message.split('\n')[0],
    count: 1,
  });
}
