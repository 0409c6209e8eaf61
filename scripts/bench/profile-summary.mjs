#!/usr/bin/env node
// Top self-time functions of a V8 CPU profile (`node --cpu-prof`), as file:line function,
// with paths relative to the repository: where the next optimisation should look. Shares
// count samples, not the time between them: on a busy machine the gaps between samples
// include the waits for a core, the samples themselves are taken while the code runs.
//   node scripts/bench/profile-summary.mjs PROFILE.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
for (const id of profile.samples) selfUs.set(id, (selfUs.get(id) ?? 0) + 1);
const wallSeconds = (profile.endTime - profile.startTime) / 1e6;
const root = process.cwd();
const totals = new Map();
let all = 0;
for (const [id, us] of selfUs) {
  const { callFrame: f } = byId.get(id);
  const file = f.url.replace(`file://${root}/`, '').replace(/^file:\/\//, '') || '(native)';
  const key = `${file}:${f.lineNumber + 1} ${f.functionName || '(anonymous)'}`;
  totals.set(key, (totals.get(key) ?? 0) + us);
  all += us;
}
const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
console.log(`${all} samples over ${wallSeconds.toFixed(1)} s of wall time`);
console.log('| share of samples | function |\n|---:|---|');
for (const [key, n] of rows) console.log(`| ${((100 * n) / all).toFixed(1)}% | \`${key}\` |`);

// The same, summed per source file: which modules hold the time.
const perFile = new Map();
for (const [key, us] of totals) {
  const file = key.replace(/:\d+ .*$/, '');
  perFile.set(file, (perFile.get(file) ?? 0) + us);
}
console.log('\n| share of samples | file |\n|---:|---|');
for (const [file, n] of [...perFile].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`| ${((100 * n) / all).toFixed(1)}% | \`${file}\` |`);
