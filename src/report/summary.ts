import { FAMILIES, SEVERITIES, type Family, type Finding, type Severity } from '../model/finding.js';
import type { Identity, Verdict } from '../model/inventory.js';

export interface Summary {
  identities: number;
  byVerdict: Record<Verdict, number>;
  /** Findings that count: not muted by a suppression. */
  findings: number;
  suppressed: number;
  /** With a baseline: active findings that are new since it. */
  new?: number;
  bySeverity: Record<Severity, number>;
  byFamily: Record<Family, number>;
}

export function summarize(identities: Identity[], findings: Finding[]): Summary {
  const byVerdict: Record<Verdict, number> = { agent: 0, automation: 0, human: 0, unknown: 0 };
  for (const i of identities) byVerdict[i.agent.verdict]++;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byFamily = Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>;
  const active = findings.filter((f) => !f.suppression);
  for (const f of active) {
    bySeverity[f.severity]++;
    byFamily[f.family]++;
  }
  const withBaseline = findings.some((f) => f.baselineState);
  return {
    identities: identities.length,
    byVerdict,
    findings: active.length,
    suppressed: findings.length - active.length,
    ...(withBaseline && { new: active.filter((f) => f.baselineState === 'new').length }),
    bySeverity,
    byFamily,
  };
}
