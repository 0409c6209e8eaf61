// Call-count benchmark of the GitHub collector (not a test): collects an organization of 5,000
// repositories, 100 of which hold deploy keys, from the local emulator, and prints how many
// calls it took. The plan must stay within 200 calls: GraphQL lists 100 repositories a query,
// and REST is asked only for the repositories that hold keys.
//   npm run bench:github [-- REPOS REPOS_WITH_KEYS]
// The emulator and estates are TypeScript test code, loaded through Vite's module runner; the
// collector is the built one (npm run build first, as the npm script does).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, createServerModuleRunner } from 'vite';

const ROOT = join(import.meta.dirname, '..');
const repos = Number(process.argv[2] ?? 5000);
const withKeys = Number(process.argv[3] ?? 100);
const LIMIT = 200;

const vite = await createServer({ root: ROOT, configFile: false, logLevel: 'silent', server: { middlewareMode: true, hmr: false }, appType: 'custom' });
const runner = createServerModuleRunner(vite.environments.ssr, { hmr: false });
const { GithubEmulator } = await runner.import('/test/emulators/github.ts');
const { syntheticEstate } = await runner.import('/test/emulators/github-estate.ts');
const { BundleWriter } = await import('../dist/bundle/write.js');
const { collectGithub } = await import('../dist/providers/github/collect/collect.js');

const org = 'bench-org';
const emulator = await GithubEmulator.start({ orgs: [syntheticEstate({ login: org, repositories: repos, reposWithKeys: withKeys, members: 250 })], tokens: ['ghp_bench'] });
const dir = mkdtempSync(join(tmpdir(), 'agentscan-bench-'));
process.env.GITHUB_TOKEN = 'ghp_bench';
const started = Date.now();
try {
  const writer = new BundleWriter(join(dir, 'bundle'));
  const result = await collectGithub(writer, { apiUrl: emulator.apiUrl, orgs: [org] });
  const manifest = writer.finish();
  const log = result.calls.get(org);
  const rows = log.counted();
  const calls = rows.reduce((n, [, c]) => n + c.calls, 0);
  const failed = manifest.coverage.filter((c) => c.status === 'error' && !/only to a GitHub App/.test(c.message ?? ''));
  console.log(`${repos} repositories, ${withKeys} with deploy keys: ${calls} calls, ${emulator.requests.length} HTTP requests, ${Date.now() - started} ms`);
  for (const [action, c] of rows) console.log(`  ${String(c.calls).padStart(5)}  ${action}`);
  if (failed.length > 0) {
    console.error(`failed calls: ${failed.map((c) => `${c.call}: ${c.message}`).join('; ')}`);
    process.exitCode = 1;
  }
  if (calls > LIMIT) {
    console.error(`over the limit: ${calls} calls > ${LIMIT}`);
    process.exitCode = 1;
  } else console.log(`within the limit of ${LIMIT} calls`);
} finally {
  await emulator.close();
  await runner.close();
  await vite.close();
  rmSync(dir, { recursive: true, force: true });
}
