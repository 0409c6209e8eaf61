import type { Family, Severity } from '../model/finding.js';
import { FAMILIES, SEVERITIES } from '../model/finding.js';
import type { Summary } from './summary.js';

/** "3 critical · 5 high · …" — zero counts left out. */
export function severityCounts(summary: Summary): string {
  const parts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) => `${summary.bySeverity[s]} ${s}`);
  return parts.length ? parts.join(' · ') : 'none';
}

export function familyCounts(summary: Summary): string {
  const parts = FAMILIES.filter((f) => summary.byFamily[f] > 0).map((f) => `${summary.byFamily[f]} ${f}`);
  return parts.length ? parts.join(' · ') : 'none';
}

export function verdictCounts(summary: Summary): string {
  const v = summary.byVerdict;
  return `${v.agent} agents, ${v.automation} automation, ${v.human} human, ${v.unknown} unknown`;
}

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFO',
};

export const FAMILY_LABEL: Record<Family, string> = {
  'shared-account': 'shared account',
  'standing-privilege': 'standing privilege',
  'stale-credential': 'stale credential',
  'over-scoped': 'over-scoped',
  ownership: 'ownership',
  drift: 'drift from declared intent',
};

// Rows without separator lines: a long findings list stays scannable.
export const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** Long provider suffixes add nothing on screen: support-bot@acme-ml-prod.iam.gserviceaccount.com → support-bot@acme-ml-prod */
export function shortName(name: string): string {
  return name.replace(/\.iam\.gserviceaccount\.com$/, '').replace(/@developer\.gserviceaccount\.com$/, '@developer');
}
