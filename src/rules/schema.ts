import { z } from 'zod';
import { PROVIDERS } from '../model/inventory.js';
import { FAMILIES, OWASP_NHI, SEVERITIES } from '../model/finding.js';

// A rule file. Strict: an unknown field is almost always a typo that would otherwise
// silently change what the rule does, so it is an error.

const celExpression = z.string().trim().min(1, 'must be a non-empty CEL expression');
export const parameterValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  title: z.string().min(1),
  family: z.enum(FAMILIES),
  severity: z.enum(SEVERITIES),
  owasp: z
    .array(z.string().refine((v) => v in OWASP_NHI, { message: 'must be an OWASP NHI Top 10 id (NHI1 … NHI10)' }))
    .min(1),
  /** Providers the rule applies to; all when absent. */
  providers: z.array(z.enum(PROVIDERS)).min(1).optional(),
  /** What the condition is evaluated against, once per item. */
  target: z.enum(['identity', 'credential', 'entitlement', 'trust', 'declaration', 'suppression']),
  description: z.string().min(1),
  remediation: z.strictObject({
    text: z.string().min(1),
    /** A command that fixes it, per provider; `{{ expr }}` placeholders are filled from the finding. */
    commands: z.partialRecord(z.enum(PROVIDERS), z.string().min(1)).optional(),
  }),
  // Shown as links in SARIF help and the HTML report: only https:, never javascript: or data:.
  references: z.array(z.url({ protocol: /^https$/, error: 'expected an https: URL' })).default([]),
  parameters: z.record(z.string(), parameterValue).default({}),
  condition: celExpression,
  /** The finding's message; `{{ expr }}` placeholders are CEL expressions. */
  message: z.string().min(1),
  /** What the finding is about, as one or more root-cause keys (a CEL string or list, lists of lists
   * are flattened): grant:…, credential:…, trust:…. Findings of one identity and family that share a
   * key become one. Defaults to the target's own key; for identity rules, to the rule's own. */
  rootCause: celExpression.optional(),
  /** Severity that depends on the item: the first entry whose CEL `when` holds sets it (an
   * ExternalId-guarded vendor trust is info, a PIM-eligible role lower than an active one). */
  severityWhen: z
    .array(z.strictObject({ when: celExpression, severity: z.enum(SEVERITIES) }))
    .default([]),
  /** Of findings on one root cause with the same severity, the higher precedence survives (and
   * keeps its fingerprint); a rule that adds an angle to others' findings sets it below 0. */
  precedence: z.number().int().default(0),
  /** Labels a finding carries into the one it is folded into (agent, permanent, org-wide, escalation). */
  tags: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
  /** Named CEL expressions whose values become the finding's evidence. */
  evidence: z.record(z.string(), celExpression).default({}),
});

export type RuleSpec = z.infer<typeof ruleSchema>;
