import { FAMILIES, type Finding } from '../../model/finding.js';
import { FAMILY_LABEL } from '../text.js';
import { esc } from './escape.js';

// Findings by family and provider as stacked horizontal bars, inline SVG so the report needs
// nothing from the network. Colours are the Okabe–Ito palette (distinguishable with the common
// colour-vision deficiencies); segments are also separated by white gaps and carry their
// value, and the same numbers sit in a table under the chart, so colour is never the only cue.

export const PROVIDER_STYLE: Record<string, { label: string; short: string; fill: string; ink: string }> = {
  aws: { label: 'AWS', short: 'AWS', fill: '#E69F00', ink: '#000' },
  gcp: { label: 'Google Cloud', short: 'GCP', fill: '#56B4E9', ink: '#000' },
  github: { label: 'GitHub', short: 'GitHub', fill: '#009E73', ink: '#000' },
  entra: { label: 'Entra ID', short: 'Entra', fill: '#0072B2', ink: '#fff' },
  agentscan: { label: 'agentscan checks', short: 'agentscan', fill: '#CC79A7', ink: '#000' },
};
const PROVIDER_ORDER = Object.keys(PROVIDER_STYLE);

const W = 720;
const TOTAL_W = 40;
const ROW_H = 34;
const BAR_H = 22;
const TOP = 8;
const AXIS_H = 24;
/** Narrower segments show their value only in the tooltip and the table below. */
const MIN_LABEL_W = 20;

/** 1, 2 or 5 times a power of ten: gridlines at round numbers. */
function niceStep(max: number): number {
  const raw = Math.max(1, max / 5);
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
}

function counts(findings: Finding[]): Map<string, Map<string, number>> {
  const byFamily = new Map<string, Map<string, number>>(FAMILIES.map((f) => [f, new Map()]));
  for (const f of findings) {
    const row = byFamily.get(f.family) ?? byFamily.set(f.family, new Map()).get(f.family)!;
    row.set(f.provider, (row.get(f.provider) ?? 0) + 1);
  }
  return byFamily;
}

/** `findings` should be the active (unsuppressed) ones: the chart shows what needs work. */
export function renderChart(findings: Finding[]): string {
  const data = counts(findings);
  const familyName = (f: string) => FAMILY_LABEL[f as keyof typeof FAMILY_LABEL] ?? f;
  // Room for the longest family name (about 7.5 px a character at 13 px), so none is clipped.
  const LABEL_W = Math.max(110, Math.ceil(Math.max(...[...data.keys()].map((f) => familyName(f).length)) * 7.5) + 16);
  const BAR_W = W - LABEL_W - TOTAL_W;
  const providers = PROVIDER_ORDER.filter((p) => findings.some((f) => f.provider === p));
  const totals = [...data.values()].map((row) => [...row.values()].reduce((a, b) => a + b, 0));
  const step = niceStep(Math.max(1, ...totals));
  const max = Math.ceil(Math.max(1, ...totals) / step) * step;
  const x = (n: number) => (n / max) * BAR_W;
  const height = TOP + data.size * ROW_H + AXIS_H;

  const grid: string[] = [];
  for (let v = 0; v <= max; v += step) {
    const gx = LABEL_W + x(v);
    grid.push(
      `<line x1="${gx.toFixed(1)}" x2="${gx.toFixed(1)}" y1="${TOP - 4}" y2="${height - AXIS_H + 2}" class="grid"/>`,
      `<text x="${gx.toFixed(1)}" y="${height - 6}" class="tick">${v}</text>`,
    );
  }
  const bars = [...data].map(([family, row], r) => {
    const y = TOP + r * ROW_H + (ROW_H - BAR_H) / 2;
    let at = 0;
    const segments = providers
      .filter((p) => row.get(p))
      .map((p) => {
        const n = row.get(p)!;
        const sx = LABEL_W + x(at);
        const sw = x(n);
        at += n;
        const style = PROVIDER_STYLE[p];
        const label =
          sw >= MIN_LABEL_W
            ? `<text x="${(sx + sw / 2).toFixed(1)}" y="${y + BAR_H / 2}" class="seg-value" fill="${style.ink}">${n}</text>`
            : '';
        return (
          `<g class="seg" data-provider="${esc(p)}"><rect x="${sx.toFixed(1)}" y="${y}" width="${sw.toFixed(1)}" height="${BAR_H}" fill="${style.fill}">` +
          `<title>${esc(familyName(family))}, ${esc(style.label)}: ${n}</title></rect>${label}</g>`
        );
      });
    const total = totals[r];
    return (
      `<g class="bar" data-family="${esc(family)}">` +
      `<text x="${LABEL_W - 10}" y="${y + BAR_H / 2}" class="family">${esc(familyName(family))}</text>` +
      segments.join('') +
      `<text x="${(LABEL_W + x(total) + 6).toFixed(1)}" y="${y + BAR_H / 2}" class="total">${total}</text></g>`
    );
  });
  const legend = providers
    .map((p) => `<li><span class="swatch" style="background:${PROVIDER_STYLE[p].fill}"></span>${esc(PROVIDER_STYLE[p].label)}</li>`)
    .join('');
  return `<div class="chart-layout"><figure class="chart">
<svg viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="chart-title">
<title id="chart-title">Findings by family, stacked by provider</title>
${grid.join('')}
${bars.join('\n')}
</svg>
<ul class="legend" style="margin-left:${((LABEL_W / W) * 100).toFixed(1)}%">${legend}</ul>
</figure>
${chartTable(data, providers, familyName)}</div>`;
}

/** The chart's numbers as a table: exact values for every segment, and for screen readers. */
function chartTable(data: Map<string, Map<string, number>>, providers: string[], familyName: (f: string) => string): string {
  const head = providers.map((p) => `<th scope="col">${esc(PROVIDER_STYLE[p].short)}</th>`).join('');
  const rows = [...data].map(([family, row]) => {
    const cells = providers.map((p) => `<td>${row.get(p) ?? 0}</td>`).join('');
    const total = [...row.values()].reduce((a, b) => a + b, 0);
    return `<tr><th scope="row">${esc(familyName(family))}</th>${cells}<td><strong>${total}</strong></td></tr>`;
  });
  return `<table class="grid-table chart-data"><caption>The numbers</caption><thead><tr><th scope="col">Family</th>${head}<th scope="col">Total</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
