#!/usr/bin/env node
// `npm run bench`: generates deterministic bundles (cached under .cache/bench/ by parameters
// and generator source), then measures `agentscan scan --from` against the floor (a script
// that only reads and JSON.parses every file of the same bundle), medians of N runs, each run
// in its own process with its peak RSS recorded. Prints issue 14's table, time against size
// per provider (one scope, and the largest size split over several scopes), and the time of
// every output format. Not a test: nothing here runs under vitest.
//
//   node scripts/bench/run.mjs [--runs 3] [--runs-large N] [--sizes 2500,5000,10000,20000,40000]
//     [--table-sizes 10000,100000] [--providers aws,gcp,github,entra] [--skip-100k]
//     [--formats-at 10000] [--only table,series,formats] [--timeout 600] [--quick]
//     [--bundles four,aws] [--no-cache] [--json FILE] [--heap-mib N]
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateBundle, PROVIDERS } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const CLI = join(REPO, 'bin/agentscan.js');
const FLOOR = join(HERE, 'floor.mjs');
const RECORDER = pathToFileURL(join(HERE, 'record-rss.mjs')).href;
const SEED = 'agentscan-bench';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string' },
    'runs-large': { type: 'string' },
    sizes: { type: 'string' },
    'table-sizes': { type: 'string' },
    providers: { type: 'string', default: PROVIDERS.join(',') },
    'skip-100k': { type: 'boolean', default: false },
    bundles: { type: 'string', default: 'four,aws' },
    'formats-at': { type: 'string' },
    'split-scopes': { type: 'string', default: '8' },
    only: { type: 'string', default: 'table,series,formats' },
    timeout: { type: 'string', default: '600' },
    quick: { type: 'boolean', default: false },
    'no-cache': { type: 'boolean', default: false },
    json: { type: 'string' },
    'heap-mib': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(7, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

const fmtInt = (n) => n.toLocaleString('en-US');
const even = (n, ps) => Object.fromEntries(ps.map((p, i) => [p, Math.floor(n / ps.length) + (i < n % ps.length ? 1 : 0)]));
const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
const numbers = (text) => list(text).map((s) => {
  const n = Number(s.replace(/k$/i, '000'));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`not a positive identity count: ${s}`);
  return n;
});
const runs = Number(opts.runs ?? (opts.quick ? 1 : 3));
/** Runs for bundles of 50,000 identities and more, which take minutes each. */
const runsLarge = Number(opts['runs-large'] ?? runs);
const seriesSizes = numbers(opts.sizes ?? (opts.quick ? '250,500,1000,2000' : '2500,5000,10000,20000,40000'));
let tableSizes = numbers(opts['table-sizes'] ?? (opts.quick ? '1000' : '10000,100000'));
if (opts['skip-100k']) tableSizes = tableSizes.filter((n) => n < 100000);
const formatsAt = numbers(opts['formats-at'] ?? String(tableSizes[0] ?? 10000));
const providers = list(opts.providers);
for (const p of providers) if (!PROVIDERS.includes(p)) throw new Error(`unknown provider ${p} (expected ${PROVIDERS.join(', ')})`);
const sections = new Set(list(opts.only));
/** Which of the two estates the table and the formats use: all four providers, or AWS alone. */
const estates = (n) =>
  [
    ['four', `${fmtInt(n)} identities, four providers`, even(n, PROVIDERS)],
    ['aws', `${fmtInt(n)} AWS roles and users`, { aws: n }],
  ].filter(([k]) => list(opts.bundles).includes(k)).map(([, label, counts]) => [label, counts]);
const timeoutMs = Number(opts.timeout) * 1000;
const splitScopes = Number(opts['split-scopes']);

// ── bundles ──────────────────────────────────────────────────────────────────────────────

const generatorHash = (() => {
  const h = createHash('sha256');
  for (const f of ['generate.mjs', ...readdirSync(join(HERE, 'gen')).sort().map((f) => `gen/${f}`)]) h.update(readFileSync(join(HERE, f)));
  return h.digest('hex').slice(0, 12);
})();
const cacheRoot = opts['no-cache'] ? join(tmpdir(), `agentscan-bench-${process.pid}`) : join(REPO, '.cache/bench');
const scratch = join(tmpdir(), `agentscan-bench-out-${process.pid}`);
mkdirSync(scratch, { recursive: true });

function bundleFor(counts, scopes = 1) {
  const key = createHash('sha256').update(JSON.stringify({ counts, scopes, SEED, generatorHash })).digest('hex').slice(0, 16);
  const label = Object.entries(counts).filter(([, n]) => n > 0).map(([p, n]) => `${p}${n}`).join('-');
  const dir = join(cacheRoot, `${label}-s${scopes}-${key}`);
  const done = join(dir, '.generated.json');
  if (existsSync(done)) return { dir, ...JSON.parse(readFileSync(done, 'utf8')) };
  const started = performance.now();
  process.stderr.write(`generating ${label} in ${scopes} scope(s) … `);
  // Into a private folder renamed into place, so two benchmark processes sharing the cache
  // never read a half-written bundle; the second to finish throws its copy away.
  const tmp = `${dir}.tmp-${process.pid}`;
  const summary = generateBundle({ out: tmp, counts, scopes, seed: SEED });
  const info = { files: summary.files, bytes: summary.bytes, generatedSeconds: (performance.now() - started) / 1000 };
  writeFileSync(join(tmp, '.generated.json'), JSON.stringify(info));
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stderr.write(`${info.files} files, ${mib(info.bytes)} in ${info.generatedSeconds.toFixed(1)} s\n`);
  return { dir, ...info };
}

// ── measuring one process ────────────────────────────────────────────────────────────────

function runOnce(args, outFile) {
  return new Promise((done) => {
    const rssFile = join(scratch, `rss-${process.hrtime.bigint()}.json`);
    const out = openSync(outFile, 'w');
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', RECORDER, ...args], {
      cwd: REPO,
      stdio: ['ignore', out, 'pipe'],
      env: { ...process.env, AGENTSCAN_BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      clearTimeout(timer);
      closeSync(out);
      let maxRssKiB;
      let cpuSeconds;
      if (existsSync(rssFile)) {
        ({ maxRssKiB, cpuSeconds } = JSON.parse(readFileSync(rssFile, 'utf8')));
        rmSync(rssFile);
      }
      const outBytes = existsSync(outFile) ? statSync(outFile).size : 0;
      // Exit 1 only says findings reached --fail-on; anything else but 0 is a failure.
      const ok = !timedOut && (code === 0 || code === 1);
      const error = timedOut ? `timeout after ${timeoutMs / 1000} s` : ok ? undefined : `exit ${code ?? signal}: ${lastError(stderr)}`;
      done({ ok, seconds, cpuSeconds, maxRssKiB, outBytes, error });
    });
  });
}

function lastError(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /Error|error:|FATAL|heap/i.test(l)) ?? lines.at(-1) ?? '').slice(0, 200);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const measured = new Map();
/** Median wall time and highest peak RSS of `runs` runs; stops at the first failed run. */
async function measure(name, args, { identities = 0 } = {}) {
  const key = JSON.stringify(args);
  if (measured.has(key)) return measured.get(key);
  const results = [];
  const n = identities >= 50000 ? runsLarge : runs;
  for (let i = 0; i < n; i++) {
    const r = await runOnce(args, join(scratch, 'stdout'));
    results.push(r);
    process.stderr.write(`  ${name} run ${i + 1}/${n}: ${r.ok ? `${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds?.toFixed(2)} s cpu, ${mib((r.maxRssKiB ?? 0) * 1024)}` : `${r.error} (after ${r.seconds.toFixed(0)} s)`}\n`);
    if (!r.ok) break;
  }
  const good = results.filter((r) => r.ok);
  const failed = results.find((r) => !r.ok);
  const m = {
    runs: good.length,
    seconds: good.length ? median(good.map((r) => r.seconds)) : undefined,
    cpuSeconds: good.length ? median(good.map((r) => r.cpuSeconds ?? 0)) : undefined,
    secondsAll: results.map((r) => +r.seconds.toFixed(3)),
    maxRssKiB: Math.max(0, ...results.map((r) => r.maxRssKiB ?? 0)),
    outBytes: results.at(-1).outBytes,
    error: failed?.error,
  };
  measured.set(key, m);
  return m;
}

// Node lets the heap grow far past what a scan keeps alive (a quarter of the machine's memory,
// at most 4 GiB); `--heap-mib` caps it for the scans, as NODE_OPTIONS=--max-old-space-size would
// on a small CI runner, to measure the memory a scan needs rather than the memory it is allowed.
const heapMib = opts['heap-mib'] === undefined ? undefined : Number(opts['heap-mib']);
if (heapMib !== undefined && !(Number.isInteger(heapMib) && heapMib >= 64)) throw new Error(`--heap-mib wants a whole number of MiB, at least 64: ${opts['heap-mib']}`);
const heapFlags = heapMib ? [`--max-old-space-size=${heapMib}`] : [];
const scanArgs = (dir, format, extra = []) => [...heapFlags, CLI, 'scan', '--from', dir, '-f', format, '--fail-on', 'none', '-q', ...extra];

async function scanAndFloor(name, bundle, identities) {
  const scan = await measure(`${name} scan`, scanArgs(bundle.dir, 'markdown'), { identities });
  const floor = await measure(`${name} floor`, [FLOOR, bundle.dir], { identities });
  return { name, bundle: { files: bundle.files, bytes: bundle.bytes }, scan, floor };
}

// ── formatting ───────────────────────────────────────────────────────────────────────────

function mib(bytes) {
  if (!bytes) return '–';
  if (bytes < 1024 ** 2) return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}
const s = (x) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} s`;
const secs = (m) => (m.seconds === undefined ? `**${m.error}**` : `${s(m.seconds)}${m.error ? ` (then ${m.error})` : ''}`);
const cpu = (m) => (m.cpuSeconds === undefined ? '–' : s(m.cpuSeconds));
const rss = (m) => mib(m.maxRssKiB * 1024);
/** On CPU time: steadier than wall time when other work shares the machine. */
const ratio = (scan, floor) => (scan.cpuSeconds !== undefined && floor.cpuSeconds ? `${(scan.cpuSeconds / floor.cpuSeconds).toFixed(0)}×` : '–');
const perIdentity = (m, n) => (m.cpuSeconds ? `${((1000 * m.cpuSeconds) / n).toFixed(2)} ms` : '–');
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// ── the benchmark ────────────────────────────────────────────────────────────────────────

const results = { machine: machine(), runs, generatorHash, ...(heapMib && { heapMib }), table: [], series: [], formats: [] };
const printed = [];
const say = (text) => {
  printed.push(text);
  console.log(text);
};

function machine() {
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {}
  return { nproc: availableParallelism(), cpu: cpus()[0]?.model, memory: mib(totalmem()), node: process.version, commit };
}

say(`agentscan benchmark · ${results.machine.nproc} CPUs (${results.machine.cpu}), ${results.machine.memory}, Node ${results.machine.node}, commit ${results.machine.commit} · median of ${runs} run(s), timeout ${timeoutMs / 1000} s per run${heapMib ? ` · scans with --max-old-space-size=${heapMib}` : ''}\n`);

if (sections.has('table')) {
  const rows = [];
  for (const n of tableSizes) {
    for (const [label, counts] of estates(n)) {
      const r = await scanAndFloor(label, bundleFor(counts), n);
      results.table.push(r);
      rows.push([label, secs(r.scan), cpu(r.scan), secs(r.floor), cpu(r.floor), ratio(r.scan, r.floor), rss(r.scan)]);
    }
  }
  say('Scan against the floor (read and JSON.parse every file); wall and CPU time (user + system), ratio on CPU time\n');
  say(`${table(['bundle', 'scan (markdown out)', 'scan cpu', 'floor', 'floor cpu', 'ratio', 'peak memory'], rows)}\n`);
}

if (sections.has('series')) {
  for (const p of providers) {
    const rows = [];
    let previous;
    for (const n of seriesSizes) {
      const r = await scanAndFloor(`${p} ${fmtInt(n)}`, bundleFor({ [p]: n }), n);
      r.provider = p;
      r.identities = n;
      r.scopes = 1;
      results.series.push(r);
      // Growth exponent of CPU time between neighbouring sizes: ~1 is linear, ~2 quadratic.
      const k = previous?.scan.cpuSeconds && r.scan.cpuSeconds ? (Math.log(r.scan.cpuSeconds / previous.scan.cpuSeconds) / Math.log(n / previous.identities)).toFixed(2) : '';
      rows.push([fmtInt(n), '1', secs(r.scan), cpu(r.scan), cpu(r.floor), ratio(r.scan, r.floor), rss(r.scan), perIdentity(r.scan, n), k]);
      previous = r;
    }
    const largest = seriesSizes.at(-1);
    if (splitScopes > 1 && largest) {
      const r = await scanAndFloor(`${p} ${fmtInt(largest)} in ${splitScopes} scopes`, bundleFor({ [p]: largest }, splitScopes), largest);
      Object.assign(r, { provider: p, identities: largest, scopes: splitScopes });
      results.series.push(r);
      rows.push([fmtInt(largest), String(splitScopes), secs(r.scan), cpu(r.scan), cpu(r.floor), ratio(r.scan, r.floor), rss(r.scan), perIdentity(r.scan, largest), '']);
    }
    say(`**${p}**: time against size in one ${{ aws: 'account', gcp: 'project', github: 'organisation', entra: 'tenant' }[p]}${splitScopes > 1 ? `, and the largest split over ${splitScopes}` : ''} (exponent: growth of CPU time between neighbouring sizes, 1 linear, 2 quadratic)\n`);
    say(`${table(['identities', 'scopes', 'scan', 'scan cpu', 'floor cpu', 'ratio', 'peak memory', 'cpu per identity', 'exponent'], rows)}\n`);
  }
}

if (sections.has('formats')) {
  for (const n of formatsAt) {
    for (const [label, counts] of estates(n)) {
      const bundle = bundleFor(counts);
      const rows = [];
      const at = { identities: n };
      const base = await measure(`${label} markdown`, scanArgs(bundle.dir, 'markdown'), at);
      const row = (what, m) => {
        results.formats.push({ bundle: label, what, ...m });
        const delta = m.cpuSeconds !== undefined && base.cpuSeconds !== undefined ? `${m.cpuSeconds - base.cpuSeconds >= 0 ? '+' : ''}${(m.cpuSeconds - base.cpuSeconds).toFixed(2)} s` : '–';
        rows.push([what, secs(m), cpu(m), delta, m.seconds === undefined ? '–' : mib(m.outBytes), rss(m)]);
      };
      row('-f markdown', base);
      for (const f of ['json', 'table', 'sarif', 'html', 'ocsf']) row(`-f ${f}`, await measure(`${label} ${f}`, scanArgs(bundle.dir, f), at));
      const snapshot = join(scratch, `snapshot-${n}-${Object.keys(counts).length}.json`);
      const saved = await measure(`${label} --save-snapshot`, scanArgs(bundle.dir, 'markdown', ['--save-snapshot', snapshot]), at);
      row('-f markdown --save-snapshot', { ...saved, outBytes: existsSync(snapshot) ? statSync(snapshot).size : 0 });
      if (existsSync(snapshot)) row('-f markdown --baseline (its own snapshot)', await measure(`${label} --baseline`, scanArgs(bundle.dir, 'markdown', ['--baseline', snapshot]), at));
      say(`**Output formats, ${label}** (whole scan; "vs markdown": extra CPU time of the format)\n`);
      say(`${table(['output', 'scan', 'scan cpu', 'vs markdown', 'output size', 'peak memory'], rows)}\n`);
    }
  }
}

const jsonFile = opts.json ?? join(REPO, '.cache/bench', `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
mkdirSync(dirname(jsonFile), { recursive: true });
writeFileSync(jsonFile, `${JSON.stringify({ ...results, markdown: printed.join('\n') }, null, 2)}\n`);
rmSync(scratch, { recursive: true, force: true });
if (opts['no-cache']) rmSync(cacheRoot, { recursive: true, force: true });
console.error(`results: ${jsonFile}`);
