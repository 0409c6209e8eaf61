import Table from 'cli-table3';
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

const NO_TOP = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '' };
const NO_BOTTOM = { bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '' };
/** cli-table3 re-measures every earlier row for each cell it adds; this many rows a table keep it linear. */
const CHUNK_ROWS = 200;

/**
 * A compact table drawn as consecutive tables of CHUNK_ROWS rows that join seamlessly (the
 * first has the head and top border, the last the bottom border): the same text as one table,
 * in time linear in the rows.
 */
export function compactTable(head: string[], colWidths: number[], rows: string[][]): string {
  const parts: string[] = [];
  for (let i = 0; i === 0 || i < rows.length; i += CHUNK_ROWS) {
    const first = i === 0;
    const last = i + CHUNK_ROWS >= rows.length;
    const t = new Table({
      ...(first && { head }),
      chars: { ...COMPACT, ...(first ? {} : NO_TOP), ...(last ? {} : NO_BOTTOM) },
      style: { head: [], border: [] },
      wordWrap: true,
      colWidths,
    });
    for (const row of rows.slice(i, i + CHUNK_ROWS)) t.push(row);
    parts.push(t.toString());
  }
  return parts.join('\n');
}

/** Long provider suffixes add nothing on screen: support-bot@acme-ml-prod.iam.gserviceaccount.com → support-bot@acme-ml-prod */
export function shortName(name: string): string {
  return name.replace(/\.iam\.gserviceaccount\.com$/, '').replace(/@developer\.gserviceaccount\.com$/, '@developer');
}
