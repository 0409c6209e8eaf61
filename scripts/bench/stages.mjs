#!/usr/bin/env node
// CPU time, heap and RSS of each stage of one scan of a bundle (load, normalize, classify,
// facts, rules, summary and the markdown report), in one process: which stage a change should
// look at, and whether it moved. `--dump FILE` writes the findings as sorted JSON lines (one
// per finding) so two builds' results are compared with `cmp`. `--profile STAGE:FILE` writes a
// CPU profile of that stage alone (for scripts/bench/profile-summary.mjs). Reads dist/ (run
// `npm run build` first) or another build's with `--dist DIR`. Run with --expose-gc for the
// retained-heap figures. Not a test.
//
//   node --expose-gc scripts/bench/stages.mjs BUNDLE_DIR [--dist DIR] [--dump FILE] [--profile rules:FILE]
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { distImporter } from './dist.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { dist: { type: 'string' }, dump: { type: 'string' }, profile: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: node --expose-gc scripts/bench/stages.mjs BUNDLE_DIR [--dist DIR] [--dump FILE] [--profile STAGE:FILE]');
  process.exit(2);
}
const load = distImporter(opts.dist);
const { loadBundle } = await load('bundle/load.js');
const { NORMALIZERS } = await load('providers/index.js');
const { classifyAll } = await load('classify/classify.js');
const { prepareAnalysis } = await load('cli/analysis-setup.js');
const { computeFacts } = await load('facts/stage.js');
const { evaluateRules } = await load('rules/evaluate.js');
const { summarize } = await load('report/summary.js');
const { renderMarkdown } = await load('report/markdown.js');
const { analyseBundle } = await load('scan/analyse.js');
const { boundHeapGrowth } = await load('util/heap-growth.js');
// Builds before the closures (--dist of an older tree) have no such module.
const fastCelStats = await load('rules/cel-fast.js').then((m) => m.fastCelStats, () => undefined);

const [profileStage, profileFile] = opts.profile?.split(':') ?? [];
const MiB = (bytes) => (bytes / 2 ** 20).toFixed(0);
const rows = [];

async function stage(name, run) {
  const session = name === profileStage ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const value = run();
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - wall;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
  const heapAfter = process.memoryUsage().heapUsed;
  globalThis.gc?.();
  const m = process.memoryUsage();
  rows.push([name, ((used.user + used.system) / 1e6).toFixed(2), (ms / 1000).toFixed(2), MiB(heapAfter), globalThis.gc ? MiB(m.heapUsed) : '-', MiB(m.rss)]);
  return value;
}

const { options } = prepareAnalysis({ rules: [], suppressions: [] });
const bundle = await stage('load', () => loadBundle(positionals[0]));
const normalized = await stage('normalize', () => bundle.sources.flatMap((s) => NORMALIZERS[s.source.provider](s, [...bundle.sources])));
// As the scan does between its stages (scan/analyse.ts).
boundHeapGrowth();
const identities = await stage('classify', () => classifyAll(normalized, options.patterns));
const collectedAt = bundle.manifest.collectedAt;
const facts = await stage('facts', () => computeFacts(identities, collectedAt));
boundHeapGrowth();
const evaluated = await stage('rules', () => evaluateRules(identities, options.rules, collectedAt, options.settings, { facts }));
await stage('summary', () => summarize(identities, evaluated.findings));
// The report from the whole analysis, as the scan writes it (the stages above do not apply
// suppressions or sort, so their findings are not handed to the renderer).
const result = analyseBundle(bundle, options);
await stage('markdown', () => renderMarkdown(result).length);

console.log(`${identities.length} identities, ${evaluated.findings.length} findings, ${evaluated.errors.length} rule errors`);
// Over both analyses above: a share handed to cel-js that grows means the closures stopped covering a rule.
if (fastCelStats) console.log(`CEL evaluations: ${fastCelStats.answered} answered by closures, ${fastCelStats.handedOver} handed to cel-js (AGENTSCAN_CEL_FAST=0: all by cel-js)`);
console.log('| stage | cpu s | wall s | heap after MiB | heap after gc MiB | rss MiB |\n|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
if (opts.dump) {
  // Line by line: at 100,000 identities the findings are more than one string can hold.
  const fd = openSync(opts.dump, 'w');
  for (const line of result.findings.map((f) => JSON.stringify(f)).sort()) writeSync(fd, `${line}\n`);
  closeSync(fd);
  console.log(`findings: ${opts.dump}`);
}
