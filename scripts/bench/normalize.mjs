#!/usr/bin/env node
// CPU time of one provider's normalizer on a bundle, without the rest of the scan: where a
// normalizer change is measured (`node --cpu-prof scripts/bench/normalize.mjs …` for its
// profile). Prints the CPU seconds (user + system) spent in NORMALIZERS[provider] for every
// source of that provider, the identities it returned, and a sha256 of their JSON, so a
// change that should not alter the inventory can be checked by comparing two runs. Reads
// dist/: run `npm run build` first. Not a test.
//
//   node scripts/bench/normalize.mjs BUNDLE_DIR [--provider aws] [--runs 1]
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { provider: { type: 'string', default: 'aws' }, runs: { type: 'string', default: '1' } },
});
if (positionals.length !== 1) {
  console.error('usage: node scripts/bench/normalize.mjs BUNDLE_DIR [--provider aws] [--runs 1]');
  process.exit(2);
}
const { loadBundle } = await import(pathToFileURL(join(REPO, 'dist/bundle/load.js')).href);
const { NORMALIZERS } = await import(pathToFileURL(join(REPO, 'dist/providers/index.js')).href);

const normalize = NORMALIZERS[opts.provider];
if (!normalize) {
  console.error(`unknown provider "${opts.provider}"; one of ${Object.keys(NORMALIZERS).join(', ')}`);
  process.exit(2);
}
for (let run = 1; run <= Number(opts.runs); run++) {
  // A fresh load per run: the normalizers cache per bundle, and a second pass over the same
  // sources would measure the caches.
  const bundle = loadBundle(positionals[0]);
  const identities = [];
  let micros = 0;
  for (const source of bundle.sources) {
    if (source.source.provider !== opts.provider) continue;
    const start = process.cpuUsage();
    const found = normalize(source, bundle.sources);
    const used = process.cpuUsage(start);
    micros += used.user + used.system;
    identities.push(...found);
  }
  const hash = createHash('sha256').update(JSON.stringify(identities)).digest('hex');
  console.log(`run ${run}: ${opts.provider} normalize ${(micros / 1e6).toFixed(2)} s CPU, ${identities.length} identities, sha256 ${hash}`);
}
