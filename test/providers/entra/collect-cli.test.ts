import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../../src/report/json.js';
import { filesUnder, removeScratch, runCliAsync, scratchDir } from '../aws/collect-helpers.js';
import { TENANT } from './helpers.js';
import { CLIENT_SECRET, DEMO_SOURCE, runLive, startLive, stopLive, type GuardedRun, type LiveSetup } from './live-helpers.js';

// The CLI end to end as processes, with the real Graph client and DefaultAzureCredential
// (its environment path: a client secret) against the HTTPS emulator serving the demo tenant:
// `collect` writes a bundle that `scan --from` reads, `scan --provider entra` collects live,
// and both give exactly the identities `scan --demo --provider entra` gives.

let live: LiveSetup;
let demoReport: JsonReport;
const comparable = (report: JsonReport) => JSON.parse(JSON.stringify(report.identities)) as unknown[];

beforeAll(async () => {
  live = await startLive();
  const demo = await runCliAsync(['scan', '--demo', '--provider', 'entra', '--format', 'json'], {});
  expect(demo.code, demo.stderr).toBe(0);
  demoReport = JSON.parse(demo.stdout) as JsonReport;
});
afterAll(async () => {
  await stopLive(live);
  removeScratch();
});

describe('agentscan collect --provider entra', () => {
  let out: string;
  let collected: GuardedRun;

  beforeAll(async () => {
    live.emulator.reset();
    out = join(scratchDir(), 'bundle');
    collected = await runLive(live, ['collect', '--provider', 'entra', '--out', out, '--verbose']);
  });

  it('writes a complete bundle for the credential\'s own tenant and exits 0', () => {
    expect(collected.code, collected.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8'));
    expect(manifest.sources).toEqual([{ provider: 'entra', scope: TENANT, path: `entra/${TENANT}` }]);
    expect(manifest.coverage.filter((c: any) => c.status !== 'ok')).toEqual([]);
  });

  it('writes the per-object files the demo bundle has, and the sponsors of its Agent ID objects', () => {
    const all = filesUnder(join(out, 'entra', TENANT));
    const mine = all.filter((f) => f.includes('/') && !f.startsWith('servicePrincipals-sponsors/'));
    const demo = filesUnder(DEMO_SOURCE).filter((f) => f.includes('/'));
    expect(mine).toEqual(demo);
    // The agent identity and the blueprint principal; the demo tenant records no sponsors.
    expect(all.filter((f) => f.startsWith('servicePrincipals-sponsors/'))).toEqual([
      'servicePrincipals-sponsors/802c3226-77af-458a-a6fd-d843ed218aac.json',
      'servicePrincipals-sponsors/ae081d8b-3fca-4b65-94b6-cfff28c24933.json',
    ]);
  });

  it('pages the collections as Graph paged them, with $select and $top', () => {
    const all = filesUnder(join(out, 'entra', TENANT));
    // 13 service principals in pages of at most 4.
    expect(all.filter((f) => f.startsWith('servicePrincipals.page-'))).toEqual([1, 2, 3, 4].map((n) => `servicePrincipals.page-${n}.json`));
    const first = JSON.parse(readFileSync(join(out, 'entra', TENANT, 'servicePrincipals.page-1.json'), 'utf8'));
    expect(first['@odata.nextLink']).toMatch(/\$skiptoken=/);
    const list = live.emulator.requests.filter((r) => r.route === 'GET /servicePrincipals');
    expect(list).toHaveLength(4);
    expect(list[0].path).toMatch(/\$select=id,appId,displayName,/);
    expect(list[0].path).toMatch(/\$top=4/);
  });

  it('reads owners, sponsors, credentials and assignments in $batch requests of at most 20', () => {
    const batches = (version: string) => live.emulator.requests.filter((r) => r.route === `POST /${version}/$batch`);
    const inner = (version: string) => batches(version).flatMap((b) => b.inner ?? []);
    // 12 judged service principals × (owners + app role assignments) + 2 sponsors + 7 application owners.
    expect(inner('v1.0')).toHaveLength(12 * 2 + 2 + 7);
    expect(batches('v1.0')).toHaveLength(Math.ceil(inner('v1.0').length / 20));
    // Federated credentials from beta, where flexible ones (claimsMatchingExpression) exist.
    expect(inner('beta')).toEqual(Array(7).fill('GET beta /applications/{id}/federatedIdentityCredentials'));
    expect(batches('beta')).toHaveLength(1);
    for (const b of [...batches('v1.0'), ...batches('beta')]) expect((b.inner ?? []).length).toBeLessThanOrEqual(20);
    // No per-object request went outside a batch.
    expect(live.emulator.requests.filter((r) => /\{id\}/.test(r.route))).toEqual([]);
    // The owners' users in one getByIds call.
    expect(live.emulator.requests.filter((r) => r.route === 'POST /directoryObjects/getByIds')).toHaveLength(1);
  });

  it('talks only to the emulator: the token request went there and nothing else was contacted', () => {
    const port = new URL(live.emulator.url).port;
    expect(collected.connections.length).toBeGreaterThan(0);
    expect(new Set(collected.connections)).toEqual(new Set([`127.0.0.1:${port}`]));
    const routes = live.emulator.requests.map((r) => r.route);
    expect(routes).toContain('POST /token');
    expect(routes).toContain('GET /openid-configuration');
    expect(routes.some((r) => /discovery\/instance/.test(r))).toBe(false);
  });

  it('sent the token to the overridden Graph host (registered as a custom host of the Graph client)', () => {
    const graphCalls = live.emulator.requests.filter((r) => !/token|openid/.test(r.route));
    expect(graphCalls.length).toBeGreaterThan(10);
    // The emulator reads the tenant from the bearer token; a request without one would have no tenant (and a 401).
    expect(graphCalls.filter((r) => r.tenant !== TENANT)).toEqual([]);
  });

  it('never prints the client secret', () => {
    expect(collected.stderr).not.toContain(CLIENT_SECRET);
    expect(collected.stdout).not.toContain(CLIENT_SECRET);
  });

  it('logs the call counts with --verbose', () => {
    expect(collected.stderr).toMatch(new RegExp(`entra ${TENANT}: \\d+ calls \\(\\d+ requests\\): .*POST /\\$batch \\d+`));
  });

  it('scan --from the bundle gives the identities of the demo', async () => {
    const scan = await runCliAsync(['scan', '--from', out, '--format', 'json'], {});
    expect(scan.code, scan.stderr).toBe(0);
    expect(comparable(JSON.parse(scan.stdout))).toEqual(comparable(demoReport));
  });
});

describe('agentscan scan --provider entra (live)', () => {
  it('gives the same identities as the demo and the collected bundle', async () => {
    live.emulator.reset();
    const scan = await runLive(live, ['scan', '--provider', 'entra', '--format', 'json']);
    expect(scan.code, scan.stderr).toBe(0);
    expect(comparable(JSON.parse(scan.stdout))).toEqual(comparable(demoReport));
  });
});
