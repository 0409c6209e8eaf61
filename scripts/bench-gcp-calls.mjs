#!/usr/bin/env node
// Counts the Google API calls of collecting one organisation of 200 projects with 50 service
// accounts each (a key on every tenth), with the Cloud Asset plan (--gcp-organization) and with
// the per-project plan (--gcp-projects listing every project), against the local GCP emulator.
// A benchmark to read, not a timed test: `npm run bench:gcp` (builds first).
//   node scripts/bench-gcp-calls.mjs [projects] [accounts]

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [projects = 200, accounts = 50] = process.argv.slice(2).map(Number);

// The emulator is TypeScript test code: transpile it (it imports only node built-ins and itself).
const work = mkdtempSync(join(tmpdir(), 'agentscan-bench-'));
writeFileSync(join(work, 'package.json'), '{"type":"module"}');
for (const name of ['gcp', 'gcp-estate']) {
  const source = readFileSync(join(ROOT, 'test', 'emulators', `${name}.ts`), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  writeFileSync(join(work, `${name}.js`), outputText);
}
const { GcpEmulator } = await import(pathToFileURL(join(work, 'gcp.js')).href);
const { syntheticOrg, ORG } = await import(pathToFileURL(join(work, 'gcp-estate.js')).href);
const { BundleWriter } = await import(pathToFileURL(join(ROOT, 'dist', 'bundle', 'write.js')).href);
const { collectGcp } = await import(pathToFileURL(join(ROOT, 'dist', 'providers', 'gcp', 'collect', 'collect.js')).href);

const estate = syntheticOrg(projects, accounts);
const emulator = await GcpEmulator.start({
  estate,
  pageSize: 100,
  maxPage: { 'cloudasset.searchAllResources': 500, 'cloudasset.searchAllIamPolicies': 500, 'policyanalyzer.projects.locations.activityTypes.activities.query': 1000 },
});
const keyFile = join(work, 'key.json');
writeFileSync(keyFile, JSON.stringify(emulator.serviceAccountKey('bench@bench-admin.iam.gserviceaccount.com')));
for (const [k, v] of Object.entries(emulator.env({ GOOGLE_APPLICATION_CREDENTIALS: keyFile, AGENTSCAN_GCP_PAGE_SIZE: '1000' }))) {
  if (v === undefined) delete process.env[k];
  else process.env[k] = v;
}

async function run(label, opts) {
  emulator.reset();
  const dir = join(work, label);
  mkdirSync(dir);
  const started = Date.now();
  await collectGcp(new BundleWriter(join(dir, 'bundle')), { concurrency: 16, ...opts });
  const ms = Date.now() - started;
  const counts = emulator.counts();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { label, total, ms, counts };
}

const ids = estate.projects.map((p) => p.project.projectId);
const results = [await run('org', { organization: ORG }), await run('projects', { projects: ids })];
await emulator.close();
rmSync(work, { recursive: true, force: true });

console.log(`${projects} projects × ${accounts} service accounts (${projects * accounts} accounts, a key on every tenth)\n`);
for (const r of results) {
  console.log(`${r.label === 'org' ? 'Cloud Asset plan (--gcp-organization)' : 'per-project plan (--gcp-projects …)'}: ${r.total} calls in ${(r.ms / 1000).toFixed(1)} s`);
  for (const [method, n] of Object.entries(r.counts).sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${method}`);
  console.log('');
}
const [org, each] = results;
console.log(`per-project / Cloud Asset: ${(each.total / org.total).toFixed(1)}× the calls`);
