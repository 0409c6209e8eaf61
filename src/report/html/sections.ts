import { FAMILIES, SEVERITIES, type Finding } from '../../model/finding.js';
import type { ScanResult } from '../../model/scan-result.js';
import { summarize } from '../summary.js';
import { FAMILY_LABEL } from '../text.js';
import { PROVIDER_STYLE } from './chart.js';
import { esc } from './escape.js';

// The static parts of the page: header, completeness banner and summary cards. They are
// plain server-rendered HTML so they read the same with scripts blocked (some ticket systems
// preview attachments that way).

/** "2026-11-20 09:30 UTC": one unambiguous zone, whatever the reader's locale. */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "1 call", "3 calls": counts read naturally in the banner and the cards. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function providerLabel(provider: string): string {
  return PROVIDER_STYLE[provider]?.label.replace(/ \(.*\)$/, '') ?? provider;
}

export function renderHeader(scan: ScanResult, generatedAt: string, version: string): string {
  const scopes = scan.scope
    .map((s) => `<li><span class="dot" style="background:${PROVIDER_STYLE[s.provider]?.fill ?? '#999'}"></span>${esc(providerLabel(s.provider))} <code>${esc(s.scope)}</code></li>`)
    .join('');
  return `<header class="top">
<div class="wrap">
<p class="brand">agentscan <span>v${esc(version)}</span></p>
<h1>Agent identity report</h1>
<ul class="scopes" aria-label="Scope">${scopes}</ul>
<dl class="meta">
<div><dt>Collected</dt><dd><time datetime="${esc(scan.collectedAt)}">${esc(formatTime(scan.collectedAt))}</time></dd></div>
<div><dt>Generated</dt><dd><time datetime="${esc(generatedAt)}">${esc(formatTime(generatedAt))}</time></dd></div>
</dl>
</div>
</header>`;
}

export function renderStatus(scan: ScanResult, incomplete: boolean): string {
  const calls = scan.coverage.length;
  const failed = scan.coverage.filter((c) => c.status === 'error');
  const skipped = scan.coverage.filter((c) => c.status === 'skipped').length;
  const coverage = `<details class="coverage"><summary>All ${plural(calls, 'collection call')}</summary><table class="grid-table"><thead><tr><th scope="col">Provider</th><th scope="col">Scope</th><th scope="col">Call</th><th scope="col">Status</th></tr></thead><tbody>${scan.coverage
    .map(
      (c) =>
        `<tr class="cov-${esc(c.status)}"><td>${esc(providerLabel(c.provider))}</td><td><code>${esc(c.scope)}</code></td><td><code>${esc(c.call)}</code></td><td>${esc(c.status)}${c.message ? ` — ${esc(c.message)}` : ''}</td></tr>`,
    )
    .join('')}</tbody></table></details>`;
  if (!incomplete) {
    return `<div class="status ok" role="status" id="status"><strong>Complete</strong> — ${plural(calls, 'collection call')} succeeded${skipped ? ` (${skipped} skipped)` : ''} and every rule was evaluated.${coverage}</div>`;
  }
  const items = [
    ...failed.map(
      (c) => `<li><code>${esc(c.provider)} ${esc(c.scope)}</code> <code>${esc(c.call)}</code>: ${esc(c.message ?? 'failed')}</li>`,
    ),
    ...scan.ruleErrors.map(
      (e) => `<li>rule <code>${esc(e.ruleId)}</code> could not be evaluated on ${plural(e.count, 'item')}: ${esc(e.message)}</li>`,
    ),
  ];
  return `<div class="status partial" role="alert" id="status"><strong>PARTIAL</strong> — the scan is incomplete: ${plural(failed.length, 'collection call')} failed${scan.ruleErrors.length ? ` and ${plural(scan.ruleErrors.length, 'rule')} could not be evaluated` : ''}. The results below cover only what was collected and evaluated.<ul>${items.join('')}</ul>${coverage}</div>`;
}

function stat(name: string, label: string, value: number, cls = ''): string {
  return `<li class="${cls}"><span class="label">${label}</span><span class="value" data-stat="${name}">${value}</span></li>`;
}

/** Counts exclude suppressed findings, which are counted on their own: muted work is not open work. */
export function renderSummary(scan: ScanResult, active: Finding[]): string {
  const s = summarize(scan.identities, active);
  const suppressed = scan.findings.length - active.length;
  const verdicts = (['agent', 'automation', 'human', 'unknown'] as const)
    .map((v) => stat(`verdict-${v}`, `<span class="verdict v-${v}">${v}</span>`, s.byVerdict[v]))
    .join('');
  const severities = SEVERITIES.map((v) => stat(`severity-${v}`, `<span class="sev sev-${v}">${v}</span>`, s.bySeverity[v], s.bySeverity[v] ? '' : 'zero')).join('');
  const families = FAMILIES.map((f) => stat(`family-${f}`, esc(FAMILY_LABEL[f]), s.byFamily[f], s.byFamily[f] ? '' : 'zero')).join('');
  const drift = scan.drift
    ? `<section class="card" aria-labelledby="card-drift"><h2 id="card-drift">Since the baseline</h2><p class="big"><span data-stat="drift-new">${scan.drift.findings.new.length}</span> <small>new ${scan.drift.findings.new.length === 1 ? 'finding' : 'findings'}</small></p><ul class="stats">${stat('drift-resolved', 'resolved findings', scan.drift.findings.resolved.length)}${stat('drift-added', 'identities added', scan.drift.identities.added.length)}${stat('drift-removed', 'identities removed', scan.drift.identities.removed.length)}${stat('drift-changed', 'identities changed', scan.drift.identities.changed.length)}</ul><p class="note"><a href="#drift">Details below</a></p></section>`
    : '';
  return `<div class="cards">
<section class="card" aria-labelledby="card-identities"><h2 id="card-identities">Identities</h2><p class="big"><span data-stat="identities">${s.identities}</span> <small>scanned</small></p><ul class="stats">${verdicts}</ul></section>
<section class="card" aria-labelledby="card-findings"><h2 id="card-findings">Findings by severity</h2><p class="big"><span data-stat="findings">${s.findings}</span> <small>open</small></p><ul class="stats">${severities}</ul><p class="note">${
    suppressed ? `<span data-stat="suppressed">${suppressed}</span> suppressed ${suppressed === 1 ? 'finding' : 'findings'} not counted above` : 'No suppressed findings'
  }</p></section>
<section class="card" aria-labelledby="card-families"><h2 id="card-families">Findings by family</h2><ul class="stats">${families}</ul></section>
${drift}
</div>`;
}
