import Table from 'cli-table3';
import { SEVERITIES, type Severity } from '../model/finding.js';
import type { Identity } from '../model/inventory.js';
import type { ScanResult } from '../scan/analyse.js';
import { isIncomplete } from '../scan/analyse.js';
import { summarize } from './summary.js';
import { COMPACT, familyCounts, severityCounts, SEVERITY_LABEL, shortName, verdictCounts } from './text.js';

export interface TableOptions {
  color: boolean;
  /** Terminal width; columns wrap to fit. */
  width: number;
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

export function renderTable(scan: ScanResult, opts: TableOptions): string {
  const paint = (style: keyof typeof ANSI, text: string) => (opts.color ? `${ANSI[style]}${text}\x1b[0m` : text);
  const summary = summarize(scan.identities, scan.findings);
  const out: string[] = [];
  const scopes = scan.scope.map((s) => `${s.provider}:${s.scope}`).join(', ');
  out.push(paint('bold', `agentscan — ${scopes}`));
  out.push(`collected ${scan.collectedAt} · ${summary.identities} identities: ${verdictCounts(summary)}`);
  out.push('');

  const w = Math.max(80, opts.width);
  const agents = scan.identities.filter((i) => i.agent.verdict === 'agent');
  if (agents.length) {
    out.push(paint('bold', `AI agents (${agents.length})`));
    const t = new Table({
      head: ['Identity', 'Recognised by', 'Highest access'],
      chars: COMPACT,
      style: { head: [], border: [] },
      wordWrap: true,
      colWidths: colWidths(w, [0.3, 0.42, 0.28]),
    });
    for (const a of agents) {
      const signals = a.agent.signals.filter((s) => s.points === 'agent').map((s) => s.evidence);
      const who = `${shortName(a.name)}\n${paint('dim', `${a.provider} ${a.kind}${a.human ? ', a person\'s' : ''}`)}`;
      t.push([who, signals.join('; '), topAccess(a)]);
    }
    out.push(t.toString(), '');
  }

  for (const severity of SEVERITIES) {
    const group = scan.findings.filter((f) => f.severity === severity);
    if (!group.length) continue;
    out.push(paint(severity, `${SEVERITY_LABEL[severity]} (${group.length})`));
    const t = new Table({
      head: ['Rule', 'Identity', 'Finding'],
      chars: COMPACT,
      style: { head: [], border: [] },
      wordWrap: true,
      colWidths: ruleColumns(w, Math.max(...group.map((f) => f.ruleId.length))),
    });
    for (const f of group) t.push([f.ruleId, `${shortName(f.identityName)} (${f.provider})`, f.message]);
    out.push(t.toString(), '');
  }
  if (!scan.findings.length) out.push('No findings.', '');

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
      (isIncomplete(scan) ? ' — PARTIAL' : ''),
  );
  return `${out.join('\n')}\n`;
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
