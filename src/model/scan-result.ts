import type { CoverageEntry } from './bundle.js';
import type { Drift } from './drift.js';
import type { Family, Finding, Severity, TargetType } from './finding.js';
import type { Identity, Provider } from './inventory.js';
import type { Reach } from './reach.js';

export interface ScanScope {
  provider: Provider;
  scope: string;
}

/** A rule as reports describe it: what it checks and how to fix, not how it is evaluated. */
export interface RuleInfo {
  id: string;
  title: string;
  family: Family;
  severity: Severity;
  target: TargetType;
  description: string;
  owasp: string[];
  references: string[];
  remediation: { text: string; commands?: Partial<Record<Provider, string>> };
  tags: string[];
  file: string;
  builtin: boolean;
}

export interface RuleError {
  ruleId: string;
  file: string;
  identityId: string;
  message: string;
  count: number;
}

export interface ScanResult {
  collectedAt: string;
  bundleTool: { name: string; version: string };
  scope: ScanScope[];
  coverage: CoverageEntry[];
  identities: Identity[];
  findings: Finding[];
  ruleErrors: RuleError[];
  rules: RuleInfo[];
  /** Present when the scan was compared with a baseline. */
  drift?: Drift;
  /** With a manifest: the declared agents that claim each identity, by identity id. */
  declaredAgents?: Record<string, string[]>;
  /** What each identity can become, across providers (the access-path stage). */
  reach?: Reach;
}
