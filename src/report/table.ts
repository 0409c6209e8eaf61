import { SEVERITIES, type Finding, type Severity } from '../model/finding.js';
import type { Drift } from '../model/drift.js';
import type { Identity } from '../model/inventory.js';
import type { ScanResult } from '../model/scan-result.js';
import { isIncomplete } from '../scan/analyse.js';
import { summarize } from './summary.js';
import { driftCounts, identityLines } from './drift-text.js';
import { isProviderManaged } from '../facts/provider-managed.js';
import { compactTable, familyCounts, severityCounts, SEVERITY_LABEL, shortName, verdictCounts } from './text.js';

export interface TableOptions {
  color: boolean;
  /** Terminal width; columns wrap to fit. */
  width: number;
  /** A section listing the provider's own identities, left out unless asked. */
  includeProviderManaged?: boolean;
}

const ANSI: Record<Severity | 'bold' | 'dim', string> = {
  critical: '\x1b[1;35m',
  high: '\x1b[1;31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
};

function topAccess(identity: Identity): string {
  const rank = { admin: 3, write: 2, read: 1 } as const;
  const best = identity.entitlements
    .filter((e) => e.effect !== 'deny')
    .sort((a, b) => rank[b.level] - rank[a.level])[0];
  if (!best) return '-';
  const more = identity.entitlements.length - 1;
  return `${best.level} via ${best.via.name}${more > 0 ? ` (+${more})` : ''}`;
}

type Paint = (style: keyof typeof ANSI, text: string) => string;

/** Rows a section of the table shows; a terminal reader needs the worst, the JSON or HTML report has all. */
export const TABLE_ROWS_PER_SECTION = 500;

function findingTable(w: number, all: Finding[], extra?: (f: Finding) => string): string {
  const rows = all.slice(0, TABLE_ROWS_PER_SECTION);
  const widths = ruleColumns(w, rows.reduce((n, f) => Math.max(n, f.ruleId.length), 0));
  const table = compactTable(
    ['Rule', 'Identity', 'Finding'],
    widths,
    rows.map((f) => [f.ruleId, `${shortName(f.identityName)} (${f.provider})`, f.message + (extra ? extra(f) : '')]),
  );
  return all.length > rows.length ? `${table}\n${moreLine(all.slice(rows.length))}` : table;
}

/** "… and 4,321 more: no-owner 3,000, credential-too-old 1,321 (all of them in --format json or html)" */
function moreLine(rest: Finding[]): string {
  const byRule = new Map<string, number>();
  for (const f of rest) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const top = [...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const listed = top.slice(0, 8).map(([r, n]) => `${r} ${n.toLocaleString('en-US')}`).join(', ');
  return `  … and ${rest.length.toLocaleString('en-US')} more: ${listed}${top.length > 8 ? ', …' : ''} (all of them in --format json or html)`;
}

/** Drift first: what is new, resolved and changed since the baseline. */
export function driftSection(d: Drift, paint: Paint, width: number): string[] {
  const out = [paint('bold', `DRIFT since ${d.baseline.source} (collected ${d.baseline.collectedAt})`), driftCounts(d), ''];
  const sev = (f: Finding) => ` [${f.severity}]`;
  if (d.findings.new.length) out.push(paint('high', `NEW findings (${d.findings.new.length})`), findingTable(width, d.findings.new, sev), '');
  if (d.findings.resolved.length) {
    out.push(paint('low', `RESOLVED findings (${d.findings.resolved.length})`), findingTable(width, d.findings.resolved, sev), '');
  }
  const lines = identityLines(d);
  if (lines.length) out.push(paint('bold', 'Identity changes'), ...lines.map((l) => `  ${l}`), '');
  return out;
}

export function painter(color: boolean): Paint {
  return (style, text) => (color ? `${ANSI[style]}${text}\x1b[0m` : text);
}

export function renderTable(scan: ScanResult, opts: TableOptions): string {
  const paint = painter(opts.color);
  const summary = summarize(scan.identities, scan.findings);
  const out: string[] = [];
  const scopes = scan.scope.map((s) => `${s.provider}:${s.scope}`).join(', ');
  out.push(paint('bold', `agentscan — ${scopes}`));
  out.push(`collected ${scan.collectedAt} · ${summary.identities} identities: ${verdictCounts(summary)}`);
  out.push('');

  const w = Math.max(80, opts.width);
  if (scan.drift) out.push(...driftSection(scan.drift, paint, w));

  // The provider's own identities are inventory (in JSON), not something to act on here.
  const agents = scan.identities.filter((i) => i.agent.verdict === 'agent' && !isProviderManaged(i));
  if (agents.length) {
    out.push(paint('bold', `AI agents (${agents.length})`));
    const shown = agents.slice(0, TABLE_ROWS_PER_SECTION);
    const rows = shown.map((a) => {
      const signals = a.agent.signals.filter((s) => s.points === 'agent').map((s) => s.evidence);
      const who = `${shortName(a.name)}\n${paint('dim', `${a.provider} ${a.kind}${a.human ? ', a person\'s' : ''}`)}`;
      return [who, signals.join('; '), topAccess(a)];
    });
    out.push(compactTable(['Identity', 'Recognised by', 'Highest access'], colWidths(w, [0.3, 0.42, 0.28]), rows));
    if (agents.length > shown.length) out.push(`  … and ${(agents.length - shown.length).toLocaleString('en-US')} more agents (all of them in --format json or html)`);
    out.push('');
  }

  if (opts.includeProviderManaged) {
    const managed = scan.identities.filter(isProviderManaged);
    if (managed.length) {
      out.push(paint('bold', `Provider-managed identities (${managed.length}): owned by the provider, never judged`));
      const shown = managed.slice(0, TABLE_ROWS_PER_SECTION);
      const rows = shown.map((m) => [`${shortName(m.name)}\n${paint('dim', `${m.provider} ${m.kind}`)}`, String(m.attributes.providerManaged ?? ''), topAccess(m)]);
      out.push(compactTable(['Identity', 'Managed by', 'Highest access'], colWidths(w, [0.3, 0.42, 0.28]), rows));
      if (managed.length > shown.length) out.push(`  … and ${(managed.length - shown.length).toLocaleString('en-US')} more (all of them in --format json)`);
      out.push('');
    }
  }

  const active = scan.findings.filter((f) => !f.suppression);
  for (const severity of SEVERITIES) {
    const group = active.filter((f) => f.severity === severity);
    if (!group.length) continue;
    out.push(paint(severity, `${SEVERITY_LABEL[severity]} (${group.length})`));
    out.push(findingTable(w, foldOwnerless(group, scan.identities), (f) => (f.baselineState === 'new' ? ' [new]' : '')), '');
  }
  if (!active.length) out.push('No findings.', '');
  const muted = scan.findings.filter((f) => f.suppression);
  if (muted.length) {
    out.push(paint('dim', `SUPPRESSED (${muted.length})`));
    out.push(findingTable(w, muted, (f) => ` — suppressed: ${f.suppression!.reason}${f.suppression!.expires ? ` (until ${f.suppression!.expires})` : ''}`), '');
  }

  const failed = scan.coverage.filter((c) => c.status === 'error');
  if (failed.length) {
    out.push(paint('high', `INCOMPLETE: ${failed.length} call(s) failed — results below cover only what was collected`));
    for (const c of failed) out.push(`  ${c.provider} ${c.scope} ${c.call}: ${c.message ?? 'failed'}`);
    out.push('');
  }
  for (const e of scan.ruleErrors) {
    out.push(paint('high', `rule ${e.ruleId} could not be evaluated on ${e.count} item(s): ${e.message}`));
  }
  out.push(
    paint('bold', `${summary.findings} findings`) +
      ` — by severity: ${severityCounts(summary)} — by family: ${familyCounts(summary)}` +
      (summary.suppressed ? ` — ${summary.suppressed} suppressed` : '') +
      (summary.new !== undefined ? ` — ${summary.new} new since baseline` : '') +
      (isIncomplete(scan) ? ' — PARTIAL' : ''),
  );
  return `${out.join('\n')}\n`;
}

const FOLDED_RULE = 'no-owner';

/** Identities without an owner, one line per provider and container with a count and the first
 * few names; every finding stays in the JSON report. One or two stay as they are. */
function foldOwnerless(rows: Finding[], identities: Identity[]): Finding[] {
  const containers = new Map(identities.map((i) => [i.id, i.container]));
  const groups = new Map<string, Finding[]>();
  for (const f of rows) {
    if (f.ruleId !== FOLDED_RULE || f.baselineState === 'new') continue;
    const c = containers.get(f.identityId);
    const key = `${f.provider}\u0000${c?.name ?? c?.id ?? ''}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(f);
  }
  const folded = new Map<Finding, Finding | null>();
  for (const [key, group] of groups) {
    if (group.length < 3) continue;
    const container = key.split('\u0000')[1];
    const names = group.map((f) => shortName(f.identityName));
    const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? ` and ${names.length - 4} more` : '');
    folded.set(group[0], {
      ...group[0],
      identityName: `${group.length} identities in ${container}`,
      message: `no owner recorded: ${shown} (all listed in the JSON report)`,
    });
    for (const f of group.slice(1)) folded.set(f, null);
  }
  return rows.flatMap((f) => (folded.has(f) ? (folded.get(f) ? [folded.get(f)!] : []) : [f]));
}

/** The rule column fits the longest rule id; the rest is shared by identity and message. */
function ruleColumns(total: number, longestRule: number): number[] {
  const rule = Math.min(longestRule + 2, 36);
  const rest = total - 4 - rule;
  return [rule, Math.floor(rest * 0.36), Math.floor(rest * 0.64)];
}

function colWidths(total: number, shares: number[]): number[] {
  const usable = total - shares.length - 1;
  return shares.map((s) => Math.max(8, Math.floor(usable * s)));
}
