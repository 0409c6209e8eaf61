import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { Finding } from '../model/finding.js';
import { InputError } from '../util/errors.js';
import { globToRegExp } from '../util/glob.js';
import { displayPath, readYamlFile } from '../util/yaml-file.js';
import { dateOrTime, DAY_MS, expiryInstant } from '../util/dates.js';
import { withFields } from '../util/with-fields.js';

// A suppression mutes findings of one rule on matching identities, for a stated reason and
// optionally until a date. Muted findings stay in every report (marked) but never fail CI; an
// expired suppression stops muting and is itself reported.

export const suppressionSchema = z.strictObject({
  rule: z.string().min(1).describe('Rule id; * and ? are wildcards.'),
  identity: z.string().min(1).describe('Identity id or name; * and ? are wildcards.'),
  reason: z.string().trim().min(1, 'a suppression needs a reason'),
  expires: dateOrTime.optional(),
});
export type Suppression = z.infer<typeof suppressionSchema> & { source: string };

export const suppressionsFileSchema = z.strictObject({ suppressions: z.array(suppressionSchema) });

export function loadSuppressionsFile(file: string): Suppression[] {
  if (!existsSync(file)) throw new InputError('suppressions file does not exist', file);
  const source = displayPath(file);
  return readYamlFile(file, suppressionsFileSchema).suppressions.map((s, i) => ({ ...s, source: `${source}#${i}` }));
}

/** One suppression as the `suppression` rules see it. */
export interface SuppressionView {
  source: string;
  rule: string;
  identity: string;
  reason: string;
  expires?: string;
  expired: boolean;
  expiredDays?: number;
  /** How many findings it matches (and, unless expired, mutes). */
  matched: number;
}

/** Marks muted findings; returns them with a view of each suppression. `now` is the wall clock:
 * a suppression's expiry is about today, not about when the bundle was collected. */
export function applySuppressions(
  findings: Finding[],
  suppressions: Suppression[],
  now: string,
): { findings: Finding[]; views: SuppressionView[] } {
  const compiled = suppressions.map((s) => ({
    s,
    rule: globToRegExp(s.rule),
    identity: globToRegExp(s.identity),
    expired: s.expires !== undefined && expiryInstant(s.expires) < Date.parse(now),
    matched: 0,
  }));
  const out = findings.map((f) => {
    let muted: Finding['suppression'];
    for (const c of compiled) {
      if (!c.rule.test(f.ruleId) || !(c.identity.test(f.identityId) || c.identity.test(f.identityName))) continue;
      c.matched++;
      if (!c.expired && !muted) muted = { reason: c.s.reason, source: c.s.source, ...(c.s.expires && { expires: c.s.expires }) };
    }
    return muted ? withFields(f, { suppression: muted }) : f;
  });
  const views = compiled.map(({ s, expired, matched }) => ({
    source: s.source,
    rule: s.rule,
    identity: s.identity,
    reason: s.reason,
    ...(s.expires && { expires: s.expires }),
    expired,
    ...(expired && { expiredDays: Math.floor((Date.parse(now) - expiryInstant(s.expires!)) / DAY_MS) }),
    matched,
  }));
  return { findings: out, views };
}
