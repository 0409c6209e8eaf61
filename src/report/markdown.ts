import type { ScanResult } from '../scan/analyse.js';
import { isIncomplete } from '../scan/analyse.js';
import { FAMILIES, SEVERITIES } from '../model/finding.js';
import { summarize } from './summary.js';
import { FAMILY_LABEL, SEVERITY_LABEL, shortName, verdictCounts } from './text.js';

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
  lines.push('');
  lines.push(`| Family | ${SEVERITIES.map((x) => `${ICON[x]} ${x}`).join(' | ')} | total |`);
  lines.push(`|---|${SEVERITIES.map(() => '---:').join('|')}|---:|`);
  for (const family of FAMILIES) {
    const row = SEVERITIES.map((sev) => scan.findings.filter((f) => f.family === family && f.severity === sev).length);
    lines.push(`| ${FAMILY_LABEL[family]} | ${row.join(' | ')} | ${s.byFamily[family]} |`);
  }
  lines.push(`| **total** | ${SEVERITIES.map((x) => s.bySeverity[x]).join(' | ')} | **${s.findings}** |`);
  lines.push('');
  if (scan.findings.length) {
    const shown = scan.findings.slice(0, limit);
    lines.push(`### Most severe findings${scan.findings.length > limit ? ` (${limit} of ${scan.findings.length})` : ''}`);
    lines.push('');
    lines.push('| Severity | Rule | Identity | Finding |');
    lines.push('|---|---|---|---|');
    for (const f of shown) {
      lines.push(
        `| ${ICON[f.severity]} ${SEVERITY_LABEL[f.severity]} | \`${f.ruleId}\` | ${cell(shortName(f.identityName))} (${f.provider}) | ${cell(f.message)} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
