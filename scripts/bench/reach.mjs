#!/usr/bin/env node
// Reach at scale: generates (or reuses) a bundle, runs the whole analysis once in-process, then
// times the access-path stage on its own over the same identities — graph building and the
// per-identity searches, each provider's edges on their own — and prints both with the graph's
// size and the heap the kept reach holds. Not a test. `--no-rules` skips rule evaluation in the
// first pass (reach does not need it) for a quicker run.
//
//   npm run build && node --expose-gc scripts/bench/reach.mjs [--identities 100000] [--scopes 4] [--out DIR] [--no-rules]
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { generateBundle, PROVIDERS } from './generate.mjs';

const REPO = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { identities: { type: 'string', default: '100000' }, scopes: { type: 'string', default: '4' }, out: { type: 'string' }, 'no-rules': { type: 'boolean' } } });
const total = Number(values.identities);
const out = values.out ?? join(tmpdir(), `agentscan-reach-bench-${total}-${values.scopes}`);
if (!existsSync(join(out, 'bundle.json'))) {
  const counts = Object.fromEntries(PROVIDERS.map((p) => [p, Math.floor(total / PROVIDERS.length)]));
  generateBundle({ out, counts, scopes: Number(values.scopes) });
}
const { loadBundle } = await import(join(REPO, 'dist/bundle/load.js'));
const { analyseBundle } = await import(join(REPO, 'dist/scan/analyse.js'));
const { loadRules } = await import(join(REPO, 'dist/rules/load.js'));
const { loadPatterns } = await import(join(REPO, 'dist/classify/patterns.js'));
const { buildAccessGraph } = await import(join(REPO, 'dist/facts/reach/build.js'));
const { GraphBuilder } = await import(join(REPO, 'dist/facts/reach/graph.js'));
const { githubEstate, githubWriterEdges } = await import(join(REPO, 'dist/facts/reach/github.js'));
const edgeModules = {
  github: githubWriterEdges,
  aws: (await import(join(REPO, 'dist/facts/reach/aws.js'))).awsEdges,
  gcp: (await import(join(REPO, 'dist/facts/reach/gcp.js'))).gcpEdges,
  entra: (await import(join(REPO, 'dist/facts/reach/entra.js'))).entraEdges,
};
const { computeReach } = await import(join(REPO, 'dist/facts/reach/reach.js'));

const rules = values['no-rules'] ? [] : loadRules();
const settings = new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }]));
const t0 = performance.now();
const result = analyseBundle(loadBundle(out), { rules, settings, patterns: loadPatterns(), now: '2026-11-20T09:30:00Z' });
const analysis = performance.now() - t0;
// Each provider's edges on their own, in the order the scan adds them.
const perProvider = {};
{
  const g = new GraphBuilder(new Map(result.identities.map((i) => [i.id, i])));
  const github = githubEstate(result.identities);
  for (const [p, add] of Object.entries(edgeModules)) {
    const start = performance.now();
    const before = g.edges.length;
    add(g, github);
    perProvider[p] = { ms: Math.round(performance.now() - start), edges: g.edges.length - before };
  }
}
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const t1 = performance.now();
const graph = buildAccessGraph(result.identities);
const t2 = performance.now();
const reach = computeReach(graph, result.identities);
const t3 = performance.now();
globalThis.gc?.();
const reachHeapMiB = Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
const entries = Object.values(reach.byIdentity);
const targets = entries.reduce((n, r) => n + r.count, 0);
const kept = entries.reduce((n, r) => n + r.targets.length, 0);
const ms = (x) => Math.round(x);
console.log(
  JSON.stringify({
    identities: result.identities.length,
    nodes: graph.nodes.length,
    edges: graph.edges.length,
    gatedEdges: graph.edges.filter((e) => e.gated).length,
    identitiesWithReach: Object.keys(reach.byIdentity).length,
    targets,
    keptTargets: kept,
    reachHeapMiB: globalThis.gc ? reachHeapMiB : 'run with --expose-gc',
    edgesByProvider: perProvider,
    findings: result.findings.length,
    reachFindings: result.findings.filter((f) => f.ruleId.startsWith('reach-')).length,
    analysisMs: ms(analysis),
    reachMs: { graph: ms(t2 - t1), search: ms(t3 - t2), total: ms(t3 - t1) },
    restOfAnalysisMs: ms(analysis - (t3 - t1)),
  }),
);
