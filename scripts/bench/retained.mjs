#!/usr/bin/env node
// What each part of a finished analysis holds on the heap: analyses a bundle, then drops one
// part after another (each finding field, the reach, each identity field) and reports how much
// the heap shrank after a full GC. Measures retained memory by removal, so a part shared with
// one not yet dropped is counted where the last holder goes. Not a test.
//
// Deleting fields turns objects into slower, larger dictionaries, so the objects' own row is
// inflated; `--whole` drops only whole lists (findings, reach, identities) for their true totals.
// `--snapshot FILE` writes a heap snapshot of the finished analysis first, for a dominator view.
//
//   node --expose-gc scripts/bench/retained.mjs BUNDLE_DIR [--dist DIR] [--whole] [--snapshot FILE]
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { distImporter } from './dist.mjs';

const { values: opts, positionals } = parseArgs({ allowPositionals: true, options: { dist: { type: 'string' }, whole: { type: 'boolean' }, snapshot: { type: 'string' } } });
if (positionals.length !== 1 || !globalThis.gc) {
  console.error('usage: node --expose-gc scripts/bench/retained.mjs BUNDLE_DIR [--dist DIR]');
  process.exit(2);
}
const load = distImporter(opts.dist);
const { loadBundle } = await load('bundle/load.js');
const { prepareAnalysis } = await load('cli/analysis-setup.js');
const { analyseBundle } = await load('scan/analyse.js');

const MiB = (bytes) => (bytes / 2 ** 20).toFixed(1);
const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

async function measure() {
  const base = heap();
  const { options } = prepareAnalysis({ rules: [], suppressions: [] });
  const result = analyseBundle(loadBundle(positionals[0]), options);
  let last = heap();
  if (opts.snapshot) writeHeapSnapshot(opts.snapshot);
  console.log(`${result.identities.length} identities, ${result.findings.length} findings; live ${MiB(last - base)} MiB`);
  const rows = [];
  const drop = (name, fn) => {
    fn();
    const now = heap();
    rows.push([name, MiB(last - now)]);
    last = now;
  };
  const findingFields = new Set(result.findings.flatMap((f) => Object.keys(f)));
  if (!opts.whole) for (const k of findingFields) drop(`finding.${k}`, () => result.findings.forEach((f) => delete f[k]));
  drop('findings (objects)', () => (result.findings.length = 0));
  if (result.reach) {
    drop('reach.byIdentity', () => (result.reach.byIdentity = {}));
    drop('reach.edges', () => (result.reach.edges = []));
    drop('reach.nodes', () => (result.reach.nodes = []));
  }
  const attributeKeys = new Set(result.identities.flatMap((i) => Object.keys(i.attributes ?? {})));
  if (!opts.whole) for (const k of attributeKeys) drop(`identity.attributes.${k}`, () => result.identities.forEach((i) => i.attributes && delete i.attributes[k]));
  const identityFields = new Set(result.identities.flatMap((i) => Object.keys(i)));
  if (!opts.whole) for (const k of identityFields) drop(`identity.${k}`, () => result.identities.forEach((i) => delete i[k]));
  drop('identities (objects)', () => (result.identities.length = 0));
  for (const k of Object.keys(result)) drop(`scan.${k}`, () => delete result[k]);
  rows.sort((a, b) => Number(b[1]) - Number(a[1]));
  console.log('| part | MiB |\n|---|---:|');
  for (const r of rows) if (Number(r[1]) >= 0.1) console.log(`| ${r.join(' | ')} |`);
  console.log(`left: ${MiB(last - base)} MiB`);
}
await measure();
