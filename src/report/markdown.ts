import type { ScanResult } from '../model/scan-result.js';
import { isIncomplete } from '../scan/analyse.js';
import { FAMILIES, SEVERITIES } from '../model/finding.js';
import { summarize } from './summary.js';
import { FAMILY_LABEL, SEVERITY_LABEL, shortName, verdictCounts } from './text.js';
import { driftCounts, identityLines } from './drift-text.js';
import type { Finding } from '../model/finding.js';
import type { Drift } from '../model/drift.js';

const ICON = { critical: '🟣', high: '🔴', medium: '🟠', low: '🔵', info: '⚪' } as const;

/** Text from the estate as inert Markdown (GitHub's, as in $GITHUB_STEP_SUMMARY): no links,
 * images, raw HTML, comments, emphasis or autolinked URLs, and on one line so it stays in its
 * table cell. */
export function cell(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-!|~]/g, (c) => `\\${c}`)
    .replace(/:\/\//g, '&#58;//')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}&#46;`);
}

/** An inline code span that no backtick in `text` can end early. */
function code(text: string): string {
  return `<code>${cell(text)}</code>`;
}

/** A fence longer than any run of backticks inside, so no line can close it. */
function fence(lines: string[]): string {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A summary that fits $GITHUB_STEP_SUMMARY: counts, then the most severe findings. `clean`
 * prepares for output the few findings printed, when the scan's findings are raw. */
export function renderMarkdown(scan: ScanResult, { limit = 20, clean = (f: Finding[]) => f } = {}): string {
  const s = summarize(scan.identities, scan.findings);
  const lines: string[] = [];
  lines.push('## agentscan');
  lines.push('');
  lines.push(`Scanned ${scan.scope.map((x) => code(`${x.provider}:${x.scope}`)).join(', ')} (collected ${cell(scan.collectedAt)}).`);
  lines.push(`**${s.identities} identities** — ${verdictCounts(s)}. **${s.findings} findings.**`);
  if (isIncomplete(scan)) {
    lines.push('');
    lines.push('> [!WARNING]');
    lines.push('> The scan is **incomplete**; these results cover only what could be collected and evaluated.');
    for (const c of scan.coverage.filter((x) => x.status === 'error')) {
      lines.push(`> - ${code(`${c.provider} ${c.scope}`)} ${cell(c.call)}: ${cell(c.message ?? 'failed')}`);
    }
    for (const e of scan.ruleErrors) lines.push(`> - rule ${code(e.ruleId)} failed on ${e.count} item(s): ${cell(e.message)}`);
  }
  if (scan.drift) lines.push('', ...driftMarkdown(scan.drift, limit));
  lines.push('');
  lines.push(`| Family | ${SEVERITIES.map((x) => `${ICON[x]} ${x}`).join(' | ')} | total |`);
  lines.push(`|---|${SEVERITIES.map(() => '---:').join('|')}|---:|`);
  // One pass over the findings, not one per cell of the table.
  const cells = new Map<string, number>();
  for (const f of scan.findings) cells.set(`${f.family} ${f.severity}`, (cells.get(`${f.family} ${f.severity}`) ?? 0) + 1);
  for (const family of FAMILIES) {
    const row = SEVERITIES.map((sev) => cells.get(`${family} ${sev}`) ?? 0);
    lines.push(`| ${FAMILY_LABEL[family]} | ${row.join(' | ')} | ${s.byFamily[family]} |`);
  }
  lines.push(`| **total** | ${SEVERITIES.map((x) => s.bySeverity[x]).join(' | ')} | **${s.findings}** |`);
  lines.push('');
  const active = scan.findings.filter((f) => !f.suppression);
  if (active.length) {
    lines.push(`### Most severe findings${active.length > limit ? ` (${limit} of ${active.length})` : ''}`);
    lines.push('');
    lines.push(...findingRows(clean(active.slice(0, limit))));
    lines.push('');
  }
  if (s.suppressed) lines.push(`${s.suppressed} findings are suppressed (see the JSON or SARIF report for reasons).`, '');
  return `${lines.join('\n')}\n`;
}

/** Drift since the baseline: counts, new and resolved findings, then identity changes. */
export function driftMarkdown(d: Drift, limit = 20): string[] {
  const lines = [`### Drift since ${code(d.baseline.source)} (collected ${cell(d.baseline.collectedAt)})`, '', driftCounts(d)];
  if (d.findings.new.length) lines.push('', `**New findings (${d.findings.new.length})**`, '', ...findingRows(d.findings.new.slice(0, limit)));
  if (d.findings.resolved.length) {
    lines.push('', `**Resolved findings (${d.findings.resolved.length})**`, '', ...findingRows(d.findings.resolved.slice(0, limit)));
  }
  const changes = identityLines(d);
  if (changes.length) {
    const f = fence(changes);
    lines.push('', '<details><summary>Identity changes</summary>', '', `${f}diff`, ...changes, f, '', '</details>');
  }
  return lines;
}

function findingRows(findings: Finding[]): string[] {
  return [
    '| Severity | Rule | Identity | Finding |',
    '|---|---|---|---|',
    ...findings.map(
      (f) =>
        `| ${ICON[f.severity]} ${SEVERITY_LABEL[f.severity]}${f.baselineState === 'new' ? ' 🆕' : ''} | ${code(f.ruleId)} | ${cell(shortName(f.identityName))} (${f.provider}) | ${cell(f.message)} |`,
    ),
  ];
}
