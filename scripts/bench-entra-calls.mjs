// Counts the Graph calls a live Entra collection makes for a large tenant: 5,000 service
// principals and 3,000 applications (each with an owner and a federated credential), served by
// the HTTPS emulator the tests use, with the CLI run as users run it. Prints calls per kind and
// what the count grows with. A benchmark to run by hand (npm run bench:entra), not a timed test.
//
//   node scripts/bench-entra-calls.mjs [SERVICE_PRINCIPALS] [APPLICATIONS]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runnerImport } from 'vite';

const ROOT = join(import.meta.dirname, '..');
const SPS = Number(process.argv[2] ?? 5000);
const APPS = Number(process.argv[3] ?? 3000);
const TENANT = '5e1f0c3a-9b7d-4e2f-8a6c-1d3b5f7e9a0c';

// The emulator and its estates are TypeScript test modules; Vite's module runner loads them.
const load = async (file) => (await runnerImport(join(ROOT, file))).module;
const { EntraGraphEmulator } = await load('test/emulators/entra-graph.ts');
const { syntheticEstate } = await load('test/emulators/entra-estate.ts');
const { makeTestCa } = await load('test/helpers/test-ca.ts');

const ca = makeTestCa();
const emulator = await EntraGraphEmulator.start({
  tls: ca,
  tenants: [syntheticEstate(TENANT, SPS, APPS)],
  pageSize: 999,
  clientId: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
  clientSecret: 'bench-secret',
});
const out = join(mkdtempSync(join(tmpdir(), 'agentscan-bench-')), 'bundle');
const started = Date.now();
const run = await new Promise((resolve, reject) => {
  const env = { ...process.env, ...emulator.env(TENANT), NODE_EXTRA_CA_CERTS: ca.caFile };
  delete env.AZURE_ACCESS_TOKEN;
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'agentscan.js'), 'collect', '--provider', 'entra', '--out', out, '--verbose'], { env });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    // BENCH_TRACE=1: the --verbose lines as they come, with the seconds since the start.
    if (process.env.BENCH_TRACE) for (const line of String(d).split('\n').filter(Boolean)) console.error(`${((Date.now() - started) / 1000).toFixed(2)} ${line.slice(0, 120)}`);
  });
  child.on('error', reject);
  child.on('close', (code) => resolve({ code, stderr }));
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
await emulator.close();
ca.dispose();
rmSync(join(out, '..'), { recursive: true, force: true });
if (run.code !== 0) {
  console.error(run.stderr);
  process.exit(1);
}

const counts = new Map();
let inner = 0;
for (const r of emulator.requests) {
  counts.set(r.route, (counts.get(r.route) ?? 0) + 1);
  inner += r.inner?.length ?? 0;
}
const total = [...counts].filter(([route]) => !/token|openid/.test(route)).reduce((n, [, c]) => n + c, 0);
console.log(`Entra tenant: ${SPS} service principals, ${APPS} applications — ${total} Graph calls in ${seconds} s`);
for (const [route, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${route}`);
console.log(`  (${inner} per-object reads inside the $batch calls, ${(inner / Math.max(1, (counts.get('POST /v1.0/$batch') ?? 0) + (counts.get('POST /beta/$batch') ?? 0))).toFixed(1)} a batch)`);
console.log(`  --verbose: ${/entra [0-9a-f-]+: (.*)/.exec(run.stderr)?.[1] ?? '(no summary)'}`);
