import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { graphData, graphScript, type GraphData } from '../../src/report/html/graph.js';
import { makeScan, XSS_IMG, XSS_NAME, XSS_SCRIPT } from '../helpers/html-scan.js';
import { EDGES, GATED_EDGE, IDS, LEVELS, handReach, identitiesOf, reachScan } from '../helpers/reach-scan.js';

// The graph view's page data and how it rides in the page: only nodes on an edge, each with its
// own level, edges by index with their gates, no per-identity reach (the page searches the graph
// itself), a second script pinned by its own hash, dagre inlined with its licence and nothing
// that a strict CSP would refuse, and no trace of any of it when the scan has no reach.

const GENERATED = '2026-11-21T10:00:00Z';
const render = (scan = reachScan()) => renderHtml(scan, { generatedAt: GENERATED });
const csp = (html: string) => html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)![1];
/** The bodies of the page's executable (not JSON) scripts. */
const scripts = (html: string) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const graphBlock = (html: string): GraphData => JSON.parse(html.match(/<script type="application\/json" id="agentscan-graph">([^<]*)<\/script>/)![1]);

describe('graph page data', () => {
  const reach = handReach();
  const data = graphData(reach, identitiesOf(reach.nodes, LEVELS));
  const at = (id: string) => data.nodes.findIndex((n) => n.id === id);

  it('keeps only nodes on an edge, and every edge in its order with its ends by index', () => {
    expect(data.nodes.map((n) => n.id)).not.toContain(IDS.loner);
    expect(data.nodes).toHaveLength(11);
    expect(data.edges).toHaveLength(EDGES.length);
    data.edges.forEach((e, i) => {
      expect(data.nodes[e.from].id).toBe(EDGES[i].from);
      expect(data.nodes[e.to].id).toBe(EDGES[i].to);
      expect(e.evidence).toBe(EDGES[i].evidence);
    });
    expect(data.edges[1].condition).toBe('sub matches repo:acme/api:*');
    expect(data.edges[0]).not.toHaveProperty('condition');
  });

  it('gives each identity its own level, from its grants, and nothing to a principal or a level-less identity', () => {
    expect(data.nodes[at(IDS.admin)].level).toBe('admin');
    expect(data.nodes[at(IDS.deploy)].level).toBe('write');
    expect(data.nodes[at(IDS.entraBot)].level).toBe('read');
    expect(data.nodes[at(IDS.agent)].level).toBe('write');
    expect(data.nodes[at(IDS.gcpAgent)]).not.toHaveProperty('level');
    expect(data.nodes[at(IDS.workflow)]).not.toHaveProperty('level');
    // A grant that never takes effect is no level.
    const [admin] = identitiesOf(reach.nodes, LEVELS).filter((i) => i.id === IDS.admin);
    admin.entitlements[0].ineffective = 'window closed';
    const closed = graphData(reach, [admin]);
    expect(closed.nodes[at(IDS.admin)]).not.toHaveProperty('level');
  });

  it('carries the gate of a gated hop, and none on the others', () => {
    expect(data.edges[GATED_EDGE]).toMatchObject({ gated: 'MFA', condition: 'requires MFA' });
    expect(data.edges.filter((e) => e.gated)).toHaveLength(1);
  });

  it('sends no per-identity reach: its size follows the graph, not what each identity reaches', () => {
    expect(Object.keys(data).sort()).toEqual(['edges', 'nodes']);
    // Whatever byIdentity holds, the page data is the same.
    const emptied = graphData({ ...reach, byIdentity: {} }, identitiesOf(reach.nodes, LEVELS));
    expect(emptied).toEqual(data);
  });

  it('still draws an edge whose end is missing from the node list, named by its id', () => {
    const r = handReach();
    r.edges = [...r.edges, { from: IDS.admin, to: 'aws:222222222222:role/elsewhere', kind: 'assume-role', evidence: 'x' }];
    const d = graphData(r, []);
    expect(d.nodes.at(-1)).toEqual({ id: 'aws:222222222222:role/elsewhere', name: 'aws:222222222222:role/elsewhere', provider: 'aws', kind: 'principal' });
  });
});

describe('the graph in the page', () => {
  it('leaves a page without reach exactly as it was: no section, no styles, one script, one hash', () => {
    const html = render(makeScan());
    expect(html).not.toContain('id="paths"');
    expect(html).not.toMatch(/graph|dagre/i);
    expect(scripts(html)).toHaveLength(1);
    expect(csp(html).match(/'sha256-/g)).toHaveLength(1);
  });

  it('says so, and ships no library, when the reach has no edge', () => {
    const html = render(reachScan({ nodes: [], edges: [], byIdentity: {} }));
    expect(html).toContain('No identity in this scan can act as another');
    expect(html).not.toContain('dagre');
    expect(scripts(html)).toHaveLength(1);
  });

  it('pins each executable script by its own hash and still allows no network access', () => {
    const html = render();
    const policy = csp(html);
    const bodies = scripts(html);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) expect(policy).toContain(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    expect(policy.match(/'sha256-/g)).toHaveLength(2);
    // The rest of the policy is the page's usual one.
    expect(policy).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[^']+' 'sha256-[^']+'; base-uri 'none'; form-action 'none'$/);
  });

  it('inlines dagre from node_modules with its licence, and nothing a strict CSP would refuse', () => {
    const { text, libraryBytes } = graphScript();
    const require = createRequire(import.meta.url);
    const version = (JSON.parse(readFileSync(require.resolve('@dagrejs/dagre/package.json'), 'utf8')) as { version: string }).version;
    expect(text).toContain(`@dagrejs/dagre ${version}`);
    expect(text).toContain('Permission is hereby granted, free of charge');
    expect(text).not.toContain('sourceMappingURL');
    // No code from strings, no workers, nothing fetched.
    expect(text).not.toMatch(/\beval\s*\(|new Function|\bFunction\s*\(|Worker\s*\(|importScripts|fetch\s*\(|XMLHttpRequest|WebSocket|\.innerHTML|insertAdjacentHTML|document\.write/);
    // A size budget, so a swap to a heavier library is a decision and not an accident.
    expect(libraryBytes).toBeLessThan(80_000);
    expect(Buffer.byteLength(text)).toBeLessThan(110_000);
  });

  it('embeds hostile names and evidence with every "<" escaped, and keeps them exact', () => {
    const html = render();
    const block = html.match(/<script type="application\/json" id="agentscan-graph">([^<]*)<\/script>/);
    expect(block).not.toBeNull();
    const data = graphBlock(html);
    expect(data.nodes.find((n) => n.id === IDS.hostile)!.name).toBe(XSS_NAME);
    expect(data.edges[7].evidence).toBe(`hostile: Allow sts:AssumeRole ${XSS_IMG}`);
    expect(data.edges[7].condition).toBe(XSS_SCRIPT);
    expect(block![1]).not.toMatch(/[<>]/);
  });
});
