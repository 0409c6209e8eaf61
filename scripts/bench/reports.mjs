#!/usr/bin/env node
// `npm run bench:reports`: what the reports cost on a big estate, apart from the analysis.
// Generates (or reuses) an AWS bundle, analyses it once in this process, then writes each
// format to a file (JSON, SARIF, HTML, markdown, OCSF, the snapshot) timing each render and
// write, reads the snapshot back as `--baseline` does and computes the drift; then, each in its
// own process with its peak memory recorded, `agentscan diff SNAPSHOT SNAPSHOT` (a snapshot
// read twice, no analysis) and, with --cli, the whole `scan --from … -o … --save-snapshot` and
// `scan --from … --baseline SNAPSHOT`. Not a test: nothing here runs under vitest.
//
//   node scripts/bench/reports.mjs [--aws 100000] [--dir DIR] [--cli] [--keep] [--json FILE]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { generateBundle } from './generate.mjs';
import { distImporter } from './dist.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const CLI = join(REPO, 'bin/agentscan.js');
const RECORDER = pathToFileURL(join(HERE, 'record-rss.mjs')).href;
const dist = distImporter();

const { values: opts } = parseArgs({
  options: {
    aws: { type: 'string', default: '100000' },
    dir: { type: 'string' },
    cli: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const n = Number(opts.aws);
const work = resolve(opts.dir ?? join(tmpdir(), `agentscan-bench-reports-${n}`));
const bundleDir = join(work, 'bundle');
const out = join(work, 'out');
mkdirSync(out, { recursive: true });

const mib = (bytes) => `${(bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0)} MiB`;
const rows = [];
const say = (line) => console.log(line);

if (!existsSync(join(bundleDir, '.generated'))) {
  const t = performance.now();
  generateBundle({ out: bundleDir, counts: { aws: n } });
  writeFileSync(join(bundleDir, '.generated'), '');
  process.stderr.write(`generated ${n} AWS identities in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}

// ── in this process: one analysis, then each format on its own ──────────────────────────
const { loadBundle } = await dist('bundle/load.js');
const { analyseBundle } = await dist('scan/analyse.js');
const { prepareAnalysis } = await dist('cli/analysis-setup.js');
const { render } = await dist('report/formats.js');
const { writeReports } = await dist('report/write.js');
const { openSnapshot } = await dist('drift/snapshot.js');
const { computeDrift } = await dist('drift/diff.js');
const { driftSection, painter } = await dist('report/table.js');
const { driftMarkdown } = await dist('report/markdown.js');

const rss = () => process.memoryUsage().rss;
const peak = () => process.resourceUsage().maxRSS * 1024;
function step(what, fn, file) {
  globalThis.gc?.();
  const before = rss();
  const t = performance.now();
  const value = fn();
  const seconds = (performance.now() - t) / 1000;
  const size = file && existsSync(file) ? statSync(file).size : undefined;
  const row = { what, seconds, rssAfter: rss(), rssGrowth: rss() - before, peakSoFar: peak(), size };
  rows.push(row);
  process.stderr.write(`  ${what}: ${seconds.toFixed(2)} s${size !== undefined ? `, ${mib(size)}` : ''}, RSS ${mib(row.rssAfter)} (peak so far ${mib(row.peakSoFar)})\n`);
  return value;
}

const { options } = prepareAnalysis({ rules: [], suppressions: [] });
const scan = step('load bundle + analyse (not this bench\'s subject)', () => analyseBundle(loadBundle(bundleDir), options));
const ctx = { generatedAt: new Date().toISOString(), color: false, width: 120, sarifArtifact: 'bundle.json', warn: (m) => process.stderr.write(`  warning: ${m}\n`) };
const files = {};
for (const [format, name] of [['json', 'report.json'], ['sarif', 'report.sarif'], ['html', 'report.html'], ['markdown', 'report.md'], ['ocsf', 'report.ocsf.jsonl']]) {
  files[format] = join(out, name);
  step(`-o ${format}`, () => writeReports([{ file: files[format], text: render(format, scan, ctx) }]), files[format]);
}
const sarif = readFileSync(files.sarif);
const sarifGz = gzipSync(sarif).length;
const sarifRun = JSON.parse(sarif.toString('utf8')).runs[0];
const snapshot = join(out, 'snapshot.json');
step('--save-snapshot (the JSON report)', () => writeReports([{ file: snapshot, text: render('json', scan, ctx) }]), snapshot);
const baseline = step('index the snapshot (--baseline)', () => openSnapshot(snapshot));
const drift = step('drift: scan against its snapshot', () => computeDrift(baseline, { source: bundleDir, ...scan }));
step('drift as text (table + markdown)', () => {
  driftSection(drift, painter(false), 120).join('\n');
  driftMarkdown(drift).join('\n');
});

say(`\n**Reports of ${n.toLocaleString('en-US')} AWS identities** (${scan.identities.length.toLocaleString('en-US')} identities, ${scan.findings.length.toLocaleString('en-US')} findings; one analysis, then each step in the same process; Node ${process.version})\n`);
say('| step | time | output | RSS after | growth | peak so far |');
say('|---|---|---|---|---|---|');
for (const r of rows) say(`| ${r.what} | ${r.seconds.toFixed(2)} s | ${r.size === undefined ? '–' : mib(r.size)} | ${mib(r.rssAfter)} | ${r.rssGrowth >= 0 ? '+' : ''}${mib(r.rssGrowth)} | ${mib(r.peakSoFar)} |`);
say(`\nSARIF: ${sarifRun.results.length} results kept of ${sarifRun.properties?.['agentscan/results']?.total ?? sarifRun.results.length}, ${mib(sarifGz)} gzip-compressed (code scanning: ≤ 25,000 results, ≤ 10 MB).`);
say(`Drift against its own snapshot: ${drift.findings.new.length} new, ${drift.findings.resolved.length} resolved, ${drift.identities.changed.length} identities changed (all 0 expected).`);

// ── each in its own process: peak memory of the whole command ───────────────────────────
function cli(what, args) {
  const rssFile = join(out, `rss-${rows.length}.json`);
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', RECORDER, CLI, ...args], {
    cwd: REPO,
    env: { ...process.env, AGENTSCAN_BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - t) / 1000;
  const { maxRssKiB } = existsSync(rssFile) ? JSON.parse(readFileSync(rssFile, 'utf8')) : { maxRssKiB: 0 };
  const ok = r.status === 0 || r.status === 1;
  const row = { what, seconds, peak: maxRssKiB * 1024, ok, error: ok ? undefined : String(r.stderr).slice(-300) };
  rows.push(row);
  process.stderr.write(`  ${what}: ${ok ? `${seconds.toFixed(1)} s, peak ${mib(row.peak)}` : `failed: ${row.error}`}\n`);
  return row;
}
const procs = [cli('agentscan diff SNAPSHOT SNAPSHOT', ['diff', snapshot, snapshot, '-f', 'markdown'])];
if (opts.cli) {
  const o = (f, name) => ['-o', `${f}=${join(out, `cli-${name}`)}`];
  procs.push(cli('agentscan scan --from B -f markdown (analysis + markdown)', ['scan', '--from', bundleDir, '-f', 'markdown', '--fail-on', 'none', '-q']));
  procs.push(cli('agentscan scan --from B -o json, sarif, html --save-snapshot', ['scan', '--from', bundleDir, '-f', 'markdown', ...o('json', 'r.json'), ...o('sarif', 'r.sarif'), ...o('html', 'r.html'), '--save-snapshot', join(out, 'cli-snapshot.json'), '--fail-on', 'none', '-q']));
  procs.push(cli('agentscan scan --from B --baseline SNAPSHOT', ['scan', '--from', bundleDir, '--baseline', snapshot, '-f', 'markdown', '--fail-on', 'none', '-q']));
}
say('\n| command (own process) | time | peak memory |');
say('|---|---|---|');
for (const r of procs) say(`| ${r.what} | ${r.ok ? `${r.seconds.toFixed(1)} s` : `**failed**: ${r.error}`} | ${mib(r.peak)} |`);

if (opts.json) writeFileSync(opts.json, `${JSON.stringify({ n, rows }, null, 2)}\n`);
if (!opts.keep) rmSync(out, { recursive: true, force: true });
