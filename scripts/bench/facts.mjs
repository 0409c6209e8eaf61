#!/usr/bin/env node
// CPU time and retained heap of the facts stage (`computeFacts`: identity and credential facts,
// trusts, the access graph and every identity's reach) on a bundle, without the rest of the scan.
// Loads, normalizes and classifies first (not timed), then runs the stage and prints its CPU
// seconds (user + system), the heap it leaves behind after a full GC, the graph's size, and a
// sha256 of the facts' JSON (Maps as arrays), so a change that should not alter the facts is
// checked by comparing two builds' hashes. Reads dist/ (run `npm run build` first), or another
// build's with `--dist DIR`. `--profile FILE` writes a CPU profile of the stage alone (for
// scripts/bench/profile-summary.mjs). Not a test. Run with --expose-gc for the heap figure.
// Later runs over the same identities are faster (the stage caches per identity object): the
// first run is the scan's figure.
//
//   node --expose-gc scripts/bench/facts.mjs BUNDLE_DIR [--runs 1] [--dist DIR] [--now ISO] [--profile FILE]
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { distImporter } from './dist.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '1' }, dist: { type: 'string' }, now: { type: 'string' }, profile: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: node --expose-gc scripts/bench/facts.mjs BUNDLE_DIR [--runs 1] [--dist DIR] [--now ISO]');
  process.exit(2);
}
const load = distImporter(opts.dist);
const { loadBundle } = await load('bundle/load.js');
const { NORMALIZERS } = await load('providers/index.js');
const { classifyAll } = await load('classify/classify.js');
const { loadPatterns } = await load('classify/patterns.js');
const { computeFacts } = await load('facts/stage.js');

const bundle = loadBundle(positionals[0]);
const identities = classifyAll(
  bundle.sources.flatMap((s) => NORMALIZERS[s.source.provider](s, bundle.sources)),
  loadPatterns(),
);
const now = opts.now ?? bundle.manifest.collectedAt;

/** Maps as arrays of entries, so the hash covers them. */
const plain = (_key, value) => (value instanceof Map ? [...value] : value instanceof Set ? [...value] : value);
const MiB = (bytes) => (bytes / 2 ** 20).toFixed(1);

for (let run = 1; run <= Number(opts.runs); run++) {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const session = opts.profile && run === 1 ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const start = process.cpuUsage();
  const wall = performance.now();
  let facts = computeFacts(identities, now);
  const used = process.cpuUsage(start);
  const ms = performance.now() - wall;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(opts.profile, JSON.stringify(profile));
    session.disconnect();
  }
  globalThis.gc?.();
  const retained = process.memoryUsage().heapUsed - heapBefore;
  const hash = createHash('sha256');
  for (const part of ['identity', 'credentials', 'trusts']) hash.update(JSON.stringify(facts[part], plain) ?? '');
  const { nodes, edges, byIdentity } = facts.reach;
  hash.update(JSON.stringify(nodes));
  hash.update(JSON.stringify(edges));
  hash.update(JSON.stringify(byIdentity));
  const line = {
    run,
    identities: identities.length,
    cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
    wallSeconds: Number((ms / 1000).toFixed(2)),
    retainedMiB: globalThis.gc ? Number(MiB(retained)) : 'run with --expose-gc',
    nodes: nodes.length,
    edges: edges.length,
    withReach: Object.keys(byIdentity).length,
    sha256: hash.digest('hex'),
  };
  console.log(JSON.stringify(line));
  facts = undefined;
}
