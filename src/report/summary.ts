import { FAMILIES, SEVERITIES, type Family, type Finding, type Severity } from '../model/finding.js';
import type { Identity, Verdict } from '../model/inventory.js';

export interface Summary {
  identities: number;
  byVerdict: Record<Verdict, number>;
  findings: number;
  bySeverity: Record<Severity, number>;
  byFamily: Record<Family, number>;
}

export function summarize(identities: Identity[], findings: Finding[]): Summary {
  const byVerdict: Record<Verdict, number> = { agent: 0, automation: 0, human: 0, unknown: 0 };
  for (const i of identities) byVerdict[i.agent.verdict]++;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byFamily = Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>;
  for (const f of findings) {
    bySeverity[f.severity]++;
    byFamily[f.family]++;
  }
  return { identities: identities.length, byVerdict, findings: findings.length, bySeverity, byFamily };
}
