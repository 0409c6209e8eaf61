import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AccessLevel, Identity, Provider } from '../../model/inventory.js';
import type { Reach } from '../../model/reach.js';
import { ownLevel } from '../../facts/reach/graph.js';
import { GRAPH_CLIENT } from './graph-client.js';
import { esc } from './escape.js';

// The access-path graph view: who can act as whom, drawn in the browser from the scan's access
// graph. Layout is dagre's layered layout (left to right suits "can act as" chains); drawing,
// pan, zoom, selection and the reach of a selection are our own code in graph-client.ts. Only
// nodes on some edge are sent: an identity nobody can become and that becomes nobody has no
// place on this map.

export interface GraphNode {
  id: string;
  name: string;
  provider: Provider;
  kind: string;
  /** The identity's own highest level (its grants that take effect now); absent when none. */
  level?: AccessLevel;
}

export interface GraphEdge {
  /** Indexes into `GraphData.nodes`. */
  from: number;
  to: number;
  kind: string;
  evidence: string;
  condition?: string;
  /** What the hop needs that the scan cannot see: drawn, never followed. */
  gated?: string;
}

/** The graph alone; the page works out reach itself. */
export interface GraphData {
  nodes: GraphNode[];
  /** In the same order as `Reach.edges`: the page's search follows them in that order, as
   * computeReach does, so it finds the same shortest chains. */
  edges: GraphEdge[];
}

/**
 * The scan's access graph in the page's shape: node indexes instead of ids, each identity with
 * its own level. Per-identity reach is not sent (at 100,000 identities it would be millions
 * of targets): the page searches the graph from whatever is selected, following the same hops
 * by the same rule as computeReach.
 */
export function graphData(reach: Reach, identities: readonly Identity[]): GraphData {
  const known = new Map(reach.nodes.map((n) => [n.id, n]));
  const byId = new Map(identities.map((i) => [i.id, i]));
  const nodes: GraphNode[] = [];
  const index = new Map<string, number>();
  const nodeIndex = (id: string): number => {
    let at = index.get(id);
    if (at === undefined) {
      const n = known.get(id);
      const identity = byId.get(id);
      const level = identity && ownLevel(identity);
      // An edge to an id the node list lacks still draws, named by its id.
      nodes.push(
        n
          ? { id, name: n.name, provider: n.provider, kind: n.kind, ...(level && { level }) }
          : { id, name: id, provider: id.split(':')[0] as Provider, kind: 'principal' },
      );
      at = nodes.length - 1;
      index.set(id, at);
    }
    return at;
  };
  const edges = reach.edges.map(
    (e): GraphEdge => ({
      from: nodeIndex(e.from),
      to: nodeIndex(e.to),
      kind: e.kind,
      evidence: e.evidence,
      ...(e.condition && { condition: e.condition }),
      ...(e.gated && { gated: e.gated }),
    }),
  );
  return { nodes, edges };
}

// dagre's browser build, read from node_modules when a report is first written (it is a
// dependency, never copied into this repository), wrapped with our client code in one function
// so its `var dagre` stays out of the page's globals. Its licence travels with it.
let script: { text: string; hash: string; libraryBytes: number } | undefined;

export function graphScript(): { text: string; hash: string; libraryBytes: number } {
  if (script) return script;
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@dagrejs/dagre/package.json')), 'dist');
  const version = (JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const licence = readFileSync(join(dist, 'dagre.min.js.LEGAL.txt'), 'utf8').replace(/\*\//g, '* /').trim();
  // The source-map comment would point at a file the report does not carry.
  const library = readFileSync(join(dist, 'dagre.min.js'), 'utf8')
    .replace(/\/\/# sourceMappingURL=\S*\s*$/, '')
    .replace(/\/\*! For license information[^*]*\*\/\s*/, '');
  const text = `(function () {\n/*! @dagrejs/dagre ${version}\n${licence}\n*/\n${library}\n;${GRAPH_CLIENT}\n})();`;
  script = { text, hash: createHash('sha256').update(text).digest('base64'), libraryBytes: Buffer.byteLength(library) };
  return script;
}

/** The section with its controls (ending in a newline); the script draws into it. Empty without reach data. */
export function renderGraphSection(reach: Reach | undefined): string {
  if (!reach) return '';
  const head = `<section id="paths" class="panel" aria-labelledby="paths-title">
<div class="section-head"><h2 id="paths-title">Access paths</h2>`;
  if (!reach.edges.length) {
    return `${head}</div>
<p class="none" id="graph-empty">No identity in this scan can act as another: there are no access paths to draw.</p>
</section>\n`;
  }
  return `${head}
<div class="controls"><input type="search" id="graph-search" placeholder="Find an identity…" aria-label="Find an identity in the graph" aria-controls="graph-matches" autocomplete="off"></div></div>
<p class="graph-count" id="graph-count" aria-live="polite"></p>
<p class="sub">Who can act as whom, across providers. Select an identity to highlight everything it can become (hops gated on something the scan cannot see, such as MFA, are drawn dotted and not followed); choose one of its targets to see the chain, hop by hop, with the evidence for each hop. Drag to pan, scroll or use the buttons to zoom.</p>
<ul class="graph-matches" id="graph-matches" aria-label="Matching identities"></ul>
<div class="graph-layout">
<div class="graph-frame" id="graph-frame">
<div class="graph-zoom" role="group" aria-label="Zoom"><button type="button" id="graph-zoom-in" aria-label="Zoom in">+</button><button type="button" id="graph-zoom-out" aria-label="Zoom out">−</button><button type="button" id="graph-fit">Fit</button></div>
<svg id="graph-svg" role="group" aria-label="Access-path graph: arrow keys pan, + and − zoom; each node is a button"><g id="graph-viewport"></g></svg>
<ul class="legend graph-legend" aria-label="Legend">${legend()}</ul>
</div>
<aside class="graph-panel" id="graph-panel" aria-label="Selected identity"><p class="none">No identity selected.</p></aside>
</div>
<noscript><p class="none">The graph needs JavaScript. The same paths are in <code>agentscan paths</code> and in the <code>reach</code> field of <code>agentscan scan --format json</code>.</p></noscript>
</section>\n`;
}

function legend(): string {
  const items = [
    ['graph-key-sel', 'selected identity'],
    ['graph-key-reach', 'can be reached'],
    ['graph-key-admin', 'holds admin'],
    ['graph-key-cross', 'hop across providers'],
    ['graph-key-gated', 'gated hop (MFA, an external id…): drawn, not followed'],
  ];
  return items.map(([cls, label]) => `<li><span class="swatch ${cls}"></span>${esc(label)}</li>`).join('');
}
