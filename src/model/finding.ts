import type { Provider } from './inventory.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; used for sorting and --fail-on thresholds. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export const FAMILIES = ['shared-account', 'standing-privilege', 'stale-credential', 'over-scoped', 'ownership', 'drift'] as const;
export type Family = (typeof FAMILIES)[number];

/** OWASP Non-Human Identities Top 10 (2025). */
export const OWASP_NHI: Record<string, string> = {
  NHI1: 'Improper Offboarding',
  NHI2: 'Secret Leakage',
  NHI3: 'Vulnerable Third-Party NHI',
  NHI4: 'Insecure Authentication',
  NHI5: 'Overprivileged NHI',
  NHI6: 'Insecure Cloud Deployment Configurations',
  NHI7: 'Long-Lived Secrets',
  NHI8: 'Environment Isolation',
  NHI9: 'NHI Reuse',
  NHI10: 'Human Use of NHI',
};

export type TargetType = 'identity' | 'credential' | 'entitlement' | 'trust' | 'declaration' | 'suppression';

/** Another rule's finding on the same root cause, kept inside the surviving finding. */
export interface RelatedFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  fingerprint: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  family: Family;
  severity: Severity;
  /** The identity's provider; 'agentscan' for findings about agentscan's own inputs (the agents manifest, suppressions). */
  provider: Provider | 'agentscan';
  identityId: string;
  identityName: string;
  /** What inside the identity the finding is about, when it is narrower than the identity. */
  target: { type: TargetType; key: string };
  credentialId?: string;
  message: string;
  evidence: Record<string, unknown>;
  remediation: { text: string; command?: string };
  owasp: string[];
  /** Stable hash of the rule id and the identity facts that make the finding. */
  fingerprint: string;
  /** What the finding is about, as root-cause keys (grant:…, credential:…, trust:…, or a rule's
   * own key): findings of one identity and family sharing a key are folded into one. */
  rootCause?: string[];
  /** What the finding's rules say about it beyond the family: agent, permanent, org-wide, escalation… */
  tags?: string[];
  /** Findings of other angles on the same root cause, folded into this one. */
  related?: RelatedFinding[];
  /** Set when a suppression mutes the finding: it stays in every report but never fails CI. */
  suppression?: { reason: string; expires?: string; source: string };
  /** With a baseline: new since the baseline, or already there. */
  baselineState?: 'new' | 'unchanged';
}
