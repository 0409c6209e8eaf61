import type { ScanResult } from '../scan/analyse.js';
import { isIncomplete } from '../scan/analyse.js';
import { FAMILIES, SEVERITIES } from '../model/finding.js';
import { summarize } from './summary.js';
import { FAMILY_LABEL, SEVERITY_LABEL, shortName, verdictCounts } from './text.js';
import { driftCounts, identityLines } from './drift-text.js';
import type { Finding } from '../model/finding.js';
import type { Drift } from '../model/drift.js';

const ICON = { critical: '🟣', high: '🔴', medium: '🟠', low: '🔵', info: '⚪' } as const;

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A summary that fits $GITHUB_STEP_SUMMARY: counts, then the most severe findings. */
export function renderMarkdown(scan: ScanResult, { limit = 20 } = {}): string {
  const s = summarize(scan.identities, scan.findings);
  const lines: string[] = [];
  lines.push('## agentscan');
  lines.push('');
  lines.push(`Scanned ${scan.scope.map((x) => `\`${x.provider}:${x.scope}\``).join(', ')} (collected ${scan.collectedAt}).`);
  lines.push(`**${s.identities} identities** — ${verdictCounts(s)}. **${s.findings} findings.**`);
  if (isIncomplete(scan)) {
    lines.push('');
    lines.push('> [!WARNING]');
    lines.push('> The scan is **incomplete**; these results cover only what could be collected and evaluated.');
    for (const c of scan.coverage.filter((x) => x.status === 'error')) {
      lines.push(`> - \`${c.provider} ${c.scope}\` ${c.call}: ${c.message ?? 'failed'}`);
    }
    for (const e of scan.ruleErrors) lines.push(`> - rule \`${e.ruleId}\` failed on ${e.count} item(s): ${e.message}`);
  }
  if (scan.drift) lines.push('', ...driftMarkdown(scan.drift, limit));
  lines.push('');
  lines.push(`| Family | ${SEVERITIES.map((x) => `${ICON[x]} ${x}`).join(' | ')} | total |`);
  lines.push(`|---|${SEVERITIES.map(() => '---:').join('|')}|---:|`);
  for (const family of FAMILIES) {
    const row = SEVERITIES.map((sev) => scan.findings.filter((f) => f.family === family && f.severity === sev).length);
    lines.push(`| ${FAMILY_LABEL[family]} | ${row.join(' | ')} | ${s.byFamily[family]} |`);
  }
  lines.push(`| **total** | ${SEVERITIES.map((x) => s.bySeverity[x]).join(' | ')} | **${s.findings}** |`);
  lines.push('');
  const active = scan.findings.filter((f) => !f.suppression);
  if (active.length) {
    lines.push(`### Most severe findings${active.length > limit ? ` (${limit} of ${active.length})` : ''}`);
    lines.push('');
    lines.push(...findingRows(active.slice(0, limit)));
    lines.push('');
  }
  if (s.suppressed) lines.push(`${s.suppressed} findings are suppressed (see the JSON or SARIF report for reasons).`, '');
  return `${lines.join('\n')}\n`;
}

/** Drift since the baseline: counts, new and resolved findings, then identity changes. */
export function driftMarkdown(d: Drift, limit = 20): string[] {
  const lines = [`### Drift since \`${d.baseline.source}\` (collected ${d.baseline.collectedAt})`, '', driftCounts(d)];
  if (d.findings.new.length) lines.push('', `**New findings (${d.findings.new.length})**`, '', ...findingRows(d.findings.new.slice(0, limit)));
  if (d.findings.resolved.length) {
    lines.push('', `**Resolved findings (${d.findings.resolved.length})**`, '', ...findingRows(d.findings.resolved.slice(0, limit)));
  }
  const changes = identityLines(d);
  if (changes.length) lines.push('', '<details><summary>Identity changes</summary>', '', '```diff', ...changes, '```', '', '</details>');
  return lines;
}

function findingRows(findings: Finding[]): string[] {
  return [
    '| Severity | Rule | Identity | Finding |',
    '|---|---|---|---|',
    ...findings.map(
      (f) =>
        `| ${ICON[f.severity]} ${SEVERITY_LABEL[f.severity]}${f.baselineState === 'new' ? ' 🆕' : ''} | \`${f.ruleId}\` | ${cell(shortName(f.identityName))} (${f.provider}) | ${cell(f.message)} |`,
    ),
  ];
}
