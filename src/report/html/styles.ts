// The page's stylesheet, inline so the report is one file. System fonts only: no web font is
// fetched. Severity colours always come with the severity's name, so they are never the only cue.

export const STYLES = `
:root {
  --bg: #f5f6f8; --panel: #fff; --ink: #1c2330; --muted: #5b6474; --line: #dfe3ea; --head: #f0f2f6;
  --accent: #1f4e8c; --warn: #a3440a;
  --critical: #6a1b9a; --high: #c62828; --medium: #e08a00; --low: #1e6fb8; --info: #707a89;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
a { color: var(--accent); }
.wrap { max-width: 1320px; margin: 0 auto; padding: 0 24px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.muted, .sub { color: var(--muted); }
.sub { font-size: 12px; margin-top: 2px; overflow-wrap: anywhere; }

header.top { background: #16213a; color: #e9edf5; padding: 18px 0 20px; }
header.top .brand { margin: 0; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #9fb0cf; font-weight: 600; }
header.top .brand span { font-weight: 400; text-transform: none; letter-spacing: 0; }
header.top h1 { margin: 2px 0 10px; font-size: 24px; font-weight: 600; }
.scopes { list-style: none; margin: 0 0 10px; padding: 0; display: flex; flex-wrap: wrap; gap: 8px; }
.scopes li { background: rgba(255,255,255,.08); border: 1px solid rgba(255,255,255,.14); border-radius: 999px; padding: 3px 12px 3px 10px; }
.scopes code { color: #fff; }
.meta { display: flex; gap: 28px; margin: 0; color: #b8c4da; }
.meta div { display: flex; gap: 6px; } .meta dt { font-weight: 600; } .meta dd { margin: 0; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: 0; }

main.wrap { padding-top: 18px; padding-bottom: 40px; }
.status { border-radius: 8px; padding: 10px 14px; margin-bottom: 16px; border: 1px solid; }
.status.ok { background: #eaf6ee; border-color: #b4dcc0; color: #1d4d2b; }
.status.partial { background: #fff3e6; border-color: #f0b47a; color: #5c2a00; }
.status.partial > strong { background: #a3440a; color: #fff; padding: 1px 8px; border-radius: 4px; letter-spacing: .04em; }
.status ul { margin: 6px 0 0; padding-left: 20px; }
.status details { margin-top: 6px; color: var(--ink); }
.status summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
.cov-error td { color: #8a1f11; font-weight: 600; }

.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 16px; margin-bottom: 16px; }
.card, .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; }
.card h2 { margin: 0; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 600; }
.card .big { margin: 4px 0 8px; font-size: 30px; font-weight: 650; line-height: 1.1; }
.card .big small { font-size: 13px; font-weight: 400; color: var(--muted); }
.stats { list-style: none; margin: 0; padding: 0; }
.stats li { display: flex; justify-content: space-between; align-items: center; padding: 3px 0; border-top: 1px solid #eef0f4; }
.stats li:first-child { border-top: 0; }
.stats .value { font-weight: 600; font-variant-numeric: tabular-nums; }
.stats li.zero .value { color: #a0a7b3; font-weight: 400; }
.card .note { margin: 8px 0 0; font-size: 12.5px; color: var(--muted); }

.panel { margin-bottom: 16px; }
.panel > h2, .section-head h2 { margin: 0; font-size: 17px; font-weight: 600; }
.panel .sub { font-size: 13px; margin: 4px 0 10px; }
.chart-layout { display: grid; grid-template-columns: minmax(0, 1.4fr) minmax(0, 1fr); gap: 12px 32px; align-items: start; }
.chart-data tbody th { white-space: nowrap; }
.grid-table code.rule { white-space: nowrap; }
details.fold > summary { cursor: pointer; color: var(--accent); margin: 4px 0; }
@media (max-width: 980px) { .chart-layout { grid-template-columns: 1fr; } }
.chart { margin: 8px 0 0; }
.chart svg { width: 100%; height: auto; display: block; font-family: inherit; }
.chart .grid { stroke: #e6e9ef; stroke-width: 1; }
.chart .tick { font-size: 11px; fill: var(--muted); text-anchor: middle; }
.chart .family { font-size: 13px; fill: var(--ink); text-anchor: end; dominant-baseline: central; }
.chart .total { font-size: 13px; font-weight: 700; fill: var(--ink); dominant-baseline: central; }
.chart .seg rect { stroke: #fff; stroke-width: 1.5; }
.chart .seg-value { font-size: 12px; font-weight: 600; text-anchor: middle; dominant-baseline: central; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 6px 0 0; font-size: 12.5px; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.chart-data caption { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 600; padding-bottom: 4px; }
.chart-data tbody tr:last-child th, .chart-data tbody tr:last-child td { border-bottom: 0; }
details.more summary { cursor: pointer; color: var(--accent); }
details.more { display: inline; } details.more[open] { display: block; }

.grid-table { border-collapse: collapse; width: 100%; margin: 6px 0 4px; font-size: 13px; }
.grid-table th, .grid-table td { text-align: left; padding: 5px 10px 5px 0; border-bottom: 1px solid #edf0f4; vertical-align: top; }
.grid-table th { font-size: 12px; color: var(--muted); font-weight: 600; }
.grid-table.chart-data { margin-top: 8px; } .chart-data td, .chart-data thead th:not(:first-child) { text-align: right; padding-left: 8px; padding-right: 4px; }

.drift-part h3 { font-size: 14px; margin: 16px 0 2px; }
.count { display: inline-block; background: var(--head); border-radius: 999px; padding: 0 8px; font-size: 12px; color: var(--muted); font-weight: 600; }
.change { font-weight: 600; white-space: nowrap; }
.none { color: var(--muted); margin: 4px 0; }

.section-head { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; margin-bottom: 10px; }
.controls { display: flex; align-items: center; gap: 14px; flex: 1; flex-wrap: wrap; }
.controls input[type=search] { flex: 0 1 360px; padding: 7px 10px; border: 1px solid #c8ced8; border-radius: 6px; font: inherit; }
.controls input[type=search]:focus { outline: 2px solid var(--accent); outline-offset: 0; border-color: var(--accent); }
.controls label { color: var(--muted); user-select: none; }
.shown { color: var(--muted); margin-left: auto; font-variant-numeric: tabular-nums; }

table.data { border-collapse: separate; border-spacing: 0; width: 100%; font-size: 13px; }
table.data thead th { position: sticky; top: 0; z-index: 1; background: var(--head); text-align: left; font-size: 12px; font-weight: 600; color: #3b4352; border-bottom: 1px solid var(--line); padding: 0; white-space: nowrap; }
table.data thead th:not(:has(button)) { padding: 7px 8px; }
table.data th button.sort { all: unset; cursor: pointer; display: block; padding: 7px 8px; }
table.data th button.sort:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
table.data th button.sort::after { content: "↕"; margin-left: 5px; color: #a8b0bd; }
table.data th[aria-sort=ascending] button.sort::after { content: "▲"; color: var(--accent); }
table.data th[aria-sort=descending] button.sort::after { content: "▼"; color: var(--accent); }
table.data td { padding: 7px 8px; border-bottom: 1px solid #edf0f4; vertical-align: top; }
table.data tr.row:hover td { background: #f8f9fb; }
table.data td.toggle, table.data th.toggle { width: 28px; padding-right: 0; }
table.data td.num { text-align: right; }
table.data td.msg { min-width: 280px; overflow-wrap: anywhere; }
table.data td.nowrap { white-space: nowrap; }
table.data td { overflow-wrap: anywhere; }
table.data td.ident { min-width: 160px; }
table.data td.signals { min-width: 230px; }
table.data td.access { min-width: 210px; }
tr.suppressed td { color: #8a93a2; }
tr.suppressed .sev { opacity: .55; }
tr.detail td { background: #fafbfc; padding: 10px 14px 14px 36px; }
td.empty { color: var(--muted); text-align: center; padding: 20px; }
button.expand { all: unset; cursor: pointer; width: 20px; height: 20px; border-radius: 4px; text-align: center; color: var(--muted); }
button.expand::before { content: "▸"; font-size: 13px; }
button.expand[aria-expanded=true]::before { content: "▾"; }
button.expand:hover, button.expand:focus-visible { background: #e6ebf3; color: var(--ink); outline: none; }
button.link { all: unset; cursor: pointer; color: var(--accent); font-size: 12.5px; }
button.link:hover, button.link:focus-visible { text-decoration: underline; }
button.link:disabled { color: var(--muted, #8a8f98); cursor: default; text-decoration: none; }
.pager { display: flex; gap: 16px; justify-content: flex-end; align-items: center; padding: 10px 4px 2px; font-size: 12.5px; }
.pager[hidden] { display: none; }

.details { display: grid; grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); gap: 8px 28px; }
.details > p { grid-column: 1 / -1; margin: 0; }
.details h4 { margin: 0 0 4px; } .dsec h4 + .kv { margin-bottom: 10px; }
.details h4 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.dsec { min-width: 0; }
.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 14px; margin: 0; }
.kv dt { color: var(--muted); } .kv dd { margin: 0; overflow-wrap: anywhere; }
.remediation p { margin: 0 0 6px; }
.remediation pre { margin: 0; background: #16213a; color: #e9edf5; padding: 8px 10px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
ul.plain { margin: 0; padding-left: 16px; } ul.plain li { overflow-wrap: anywhere; }

.sev, .verdict, .badge, .count-pill { display: inline-block; border-radius: 4px; padding: 0 7px; font-size: 11.5px; font-weight: 600; line-height: 18px; white-space: nowrap; }
.sev { text-transform: uppercase; letter-spacing: .03em; min-width: 64px; text-align: center; color: #fff; }
.sev-critical { background: var(--critical); color: #fff; } .sev-high { background: var(--high); color: #fff; }
.sev-medium { background: var(--medium); color: #1c1300; } .sev-low { background: var(--low); color: #fff; }
.sev-info { background: var(--info); color: #fff; }
.count-pill { min-width: 26px; text-align: center; }
.verdict { border: 1px solid; background: #fff; }
.v-agent { color: #6a1b9a; border-color: #c9a6dd; background: #f7f0fb; }
.v-automation { color: #1f4e8c; border-color: #a9c0e0; background: #eff4fb; }
.v-human { color: #2e5e34; border-color: #b5d3b8; background: #f0f7f1; }
.v-unknown { color: #5b6474; border-color: #cfd4dc; background: #f4f5f7; }
.new-badge { background: #fde68a; color: #5c3d00; text-transform: uppercase; }
.muted-badge { background: #e4e7ec; color: #4b5361; text-transform: uppercase; }
.warn-badge { background: #fde2d2; color: #8a2f00; }
.warn { color: var(--warn); }
.zero { color: #a0a7b3; }
.prov { white-space: nowrap; }
.prov-aws .dot { background: #E69F00; } .prov-gcp .dot { background: #56B4E9; } .prov-github .dot { background: #009E73; }
.prov-entra .dot { background: #0072B2; } .prov-agentscan .dot { background: #CC79A7; }
footer { color: var(--muted); font-size: 12px; padding: 8px 0 32px; }

@media print {
  body { background: #fff; } .controls, button.expand, button.link { display: none; }
  table.data thead th { position: static; } .card, .panel { break-inside: avoid; }
}
`;
