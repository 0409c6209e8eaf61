// The graph view's styles, added to the page only when it has a graph. Provider colours are the
// chart's Okabe–Ito fills; highlight states also change stroke width and opacity, and the side
// panel says the same in words, so colour is never the only cue.

export const GRAPH_STYLES = `
.graph-count { margin: 0 0 2px; font-variant-numeric: tabular-nums; }
.graph-matches { list-style: none; margin: 0 0 8px; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
.graph-matches:empty { display: none; }
.graph-matches li button.link { border: 1px solid var(--line); border-radius: 6px; padding: 3px 8px; background: #f8f9fb; color: var(--ink); }
.graph-layout { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 14px; align-items: start; }
@media (max-width: 980px) { .graph-layout { grid-template-columns: 1fr; } }
.graph-frame { position: relative; border: 1px solid var(--line); border-radius: 8px; background: #fbfcfd; overflow: hidden; }
#graph-svg { display: block; width: 100%; height: 560px; cursor: grab; touch-action: none; user-select: none; font-family: inherit; }
#graph-svg.panning { cursor: grabbing; }
#graph-svg:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.graph-zoom { position: absolute; top: 8px; right: 8px; display: flex; gap: 4px; }
.graph-zoom button { font: inherit; min-width: 32px; height: 28px; border: 1px solid #c8ced8; border-radius: 6px; background: #fff; cursor: pointer; }
.graph-zoom button:focus-visible { outline: 2px solid var(--accent); }
.graph-legend { margin: 0; padding: 6px 12px; border-top: 1px solid var(--line); background: #fff; }
.graph-key-sel { background: #16213a; }
.graph-key-reach { background: #fff3c4; border: 1px solid #b7791f; }
.graph-key-admin { background: #fff; border: 2px solid var(--high); }
.graph-key-cross { height: 0; width: 20px; border-top: 2px dashed #7b8494; border-radius: 0; }
.graph-key-gated { height: 0; width: 20px; border-top: 2px dotted #b3bac6; border-radius: 0; }

.gnode { cursor: pointer; }
.gnode rect.box { fill: #fff; stroke: #98a1b0; stroke-width: 1.2; }
.gnode.kind-repository rect.box, .gnode.kind-workflow rect.box, .gnode.kind-principal rect.box { stroke-dasharray: 4 3; }
.gnode.lvl-admin rect.box { stroke: var(--high); stroke-width: 2; }
.gnode text.name { font-size: 12px; font-weight: 600; fill: var(--ink); }
.gnode text.meta { font-size: 10.5px; fill: var(--muted); }
g.gnode .stripe { fill: #CC79A7; }
g.gp-aws .stripe { fill: #E69F00; } g.gp-gcp .stripe { fill: #56B4E9; } g.gp-github .stripe { fill: #009E73; } g.gp-entra .stripe { fill: #0072B2; }
.gnode:focus { outline: none; } .gnode:focus-visible rect.box { stroke: var(--accent); stroke-width: 3; }
.gnode.sel rect.box { fill: #16213a; stroke: #16213a; }
.gnode.sel text.name { fill: #fff; } .gnode.sel text.meta { fill: #c9d3e6; }
.gnode.reach rect.box { fill: #fff3c4; stroke: #b7791f; }
.gnode.reach.lvl-admin rect.box { stroke: var(--high); }
.gnode.via rect.box { fill: #fffaf0; stroke: #b7791f; }
.gnode.chain rect.box { stroke: var(--accent); stroke-width: 2.6; }
.gnode.dim, .gedge.dim { opacity: .2; }
.gedge path.line { fill: none; stroke: #98a1b0; stroke-width: 1.4; }
.gedge path.head { fill: #98a1b0; }
.gedge.cross path.line { stroke-dasharray: 6 4; }
/* A gated hop (MFA, an external id, a permission the scan cannot see): short dots, pale, a hollow
   head; reach never follows it. Where the selection's reach stops at one it stays in view. */
.gedge.gated path.line { stroke: #b3bac6; stroke-width: 1.2; stroke-dasharray: 1.5 4; stroke-linecap: round; }
.gedge.gated path.head { fill: #fff; stroke: #b3bac6; stroke-width: 1.2; }
.gedge.gated.blocked path.line, .gedge.gated.blocked path.head { stroke: #8a6d3b; }
.gedge.on path.line { stroke: #b7791f; stroke-width: 2; } .gedge.on path.head { fill: #b7791f; }
.gedge.chain path.line { stroke: var(--accent); stroke-width: 3.4; } .gedge.chain path.head { fill: var(--accent); }

.graph-panel { max-height: 640px; overflow: auto; font-size: 13px; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.graph-panel h3 { margin: 0; font-size: 15px; overflow-wrap: anywhere; }
.graph-panel h4 { margin: 12px 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.graph-panel .sub { margin: 2px 0; }
.graph-panel p { margin: 4px 0; }
.graph-targets, .graph-chain { margin: 0; padding-left: 20px; }
.graph-targets li { margin: 2px 0; overflow-wrap: anywhere; }
.graph-targets button[aria-pressed=true] { font-weight: 700; text-decoration: underline; }
.graph-chain-box { background: #f3f6fb; border-radius: 6px; padding: 2px 10px 6px; margin-top: 8px; }
.graph-chain li { margin: 6px 0; overflow-wrap: anywhere; }
.graph-chain .hop { font-weight: 600; } .graph-chain .arrow { color: var(--muted); }
.graph-chain .evidence { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.graph-chain .condition { color: var(--warn); font-size: 12px; }
.graph-gated li { margin: 3px 0; overflow-wrap: anywhere; }
.lvl { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 11px; font-weight: 600; line-height: 17px; text-transform: uppercase; }
.lvl-admin { background: var(--high); color: #fff; } .lvl-write { background: var(--medium); color: #1c1300; } .lvl-read { background: #e4e7ec; color: #3b4352; }
@media print { .graph-zoom, #graph-search { display: none; } }
`;
