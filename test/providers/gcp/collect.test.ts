import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadBundle } from '../../../src/bundle/load.js';
import type { Identity } from '../../../src/model/inventory.js';
import { normalizeGcp } from '../../../src/providers/gcp/normalize.js';
import { InputError } from '../../../src/util/errors.js';
import { GcpEmulator, type Fault } from '../../emulators/gcp.js';
import { discoveryProblems } from '../../emulators/gcp-discovery.js';
import { estateFromDemo } from '../../emulators/gcp-estate.js';
import { ROOT } from '../../helpers/cli.js';
import { filesUnder, removeScratch } from '../aws/collect-helpers.js';
import { collectInProcess, identitiesOf, keyFileEnv, SCANNER, useEnv, watchSockets } from './collect-helpers.js';

// The collector in-process against the emulator serving the demo project: the real
// google-auth-library clients, a service-account key made for the run, Google's paging and
// error envelopes. Nothing may connect anywhere but 127.0.0.1.

const DEMO = join(ROOT, 'fixtures', 'demo', 'gcp', 'acme-ml-prod');
const PROJECT = 'acme-ml-prod';
const ETL = 'etl-pipeline@acme-ml-prod.iam.gserviceaccount.com';

let emulator: GcpEmulator;
let sockets: ReturnType<typeof watchSockets>;
const demoIdentities = () => {
  const { sources } = loadBundle(join(ROOT, 'fixtures', 'demo'));
  return sources.filter((s) => s.source.provider === 'gcp').flatMap((s) => normalizeGcp(s, sources));
};
const byName = (ids: Identity[], email: string) => ids.find((i) => i.name === email)!;
const coverage = (c: Awaited<ReturnType<typeof collectInProcess>>, call: string) => c.manifest.coverage.find((e) => e.call === call);

beforeAll(async () => {
  emulator = await GcpEmulator.start({
    estate: estateFromDemo(DEMO),
    pageSize: 4,
    staticTokens: { 'alice@acme.example': 'ya29.token-in-hand' },
    impersonation: { 'agentscan-reader@acme-security.iam.gserviceaccount.com': [SCANNER, 'alice@acme.example'] },
  });
  sockets = watchSockets();
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(async () => {
  sockets.restore();
  await emulator.close();
  removeScratch();
  // The guard over the whole file: every connection went to the emulator.
  expect([...new Set(sockets.hosts)]).toEqual(['127.0.0.1']);
});

describe('gcp collect: the demo project through a service-account key', () => {
  let collected: Awaited<ReturnType<typeof collectInProcess>>;
  beforeAll(async () => {
    emulator.reset();
    useEnv(keyFileEnv(emulator));
    collected = await collectInProcess({ projects: [PROJECT] });
  });

  it('exchanged the key for a token at the emulator, with a verified RS256 assertion, and used only that token', () => {
    expect(emulator.tokenRequests).toEqual([
      { grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', issuer: SCANNER, verified: true, audience: 'https://oauth2.googleapis.com/token' },
    ]);
    expect(emulator.requests.length).toBeGreaterThan(20);
    expect(new Set(emulator.requests.map((r) => r.principal))).toEqual(new Set([SCANNER]));
    expect(sockets.hosts.length).toBeGreaterThan(0);
    expect(sockets.hosts.every((h) => h === '127.0.0.1')).toBe(true);
  });

  it('normalizes to exactly the identities of the demo bundle', () => {
    expect(identitiesOf(collected.dir)).toEqual(demoIdentities());
  });

  it('writes the files of the demo project, pages re-cut at the emulator page size, plus the new calls', () => {
    const mine = filesUnder(join(collected.dir, 'gcp', PROJECT));
    const demo = filesUnder(DEMO);
    const notPaged = (f: string) => !/\.page-\d+\.json$/.test(f);
    expect(mine.filter(notPaged)).toEqual(demo.filter(notPaged));
    expect(mine).toEqual(expect.arrayContaining(['iam-projects-serviceAccounts-list.page-4.json', 'iam-projects-roles-list.page-1.json']));
    expect(collected.manifest.sources.map((s) => s.scope).sort()).toEqual(['acme-ml-prod', 'folders-739102846571', 'organizations-510293847561', 'roles']);
  });

  it('asks for policy version 3 and lists accounts in pages', () => {
    const policyCalls = emulator.requests.filter((r) => r.methodId === 'iam.projects.serviceAccounts.getIamPolicy');
    expect(policyCalls).toHaveLength(10);
    expect(policyCalls.every((r) => r.query.get('options.requestedPolicyVersion') === '3')).toBe(true);
    // 10 accounts, 3 asked per page (AGENTSCAN_GCP_PAGE_SIZE), the emulator allows 4.
    expect(emulator.counts()['iam.projects.serviceAccounts.list']).toBe(4);
  });

  it('records every call as ok, and a predefined role the API does not know as skipped, judged by name', () => {
    expect(collected.manifest.coverage.filter((c) => c.status === 'error')).toEqual([]);
    const skipped = collected.manifest.coverage.filter((c) => c.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((c) => c.scope === 'roles' && /NOT_FOUND: iam\.roles\.get\(roles\/.+\).*judged by its name/.test(c.message!))).toBe(true);
  });

  it('every route and answer is a documented discovery method, path, parameter and field', () => {
    const problems = emulator.requests.flatMap(discoveryProblems);
    expect(problems).toEqual([]);
  });
});

describe('gcp collect: credentials', () => {
  it('uses GOOGLE_OAUTH_ACCESS_TOKEN as it is, with no token exchange', async () => {
    emulator.reset();
    useEnv(emulator.env({ GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.token-in-hand' }));
    const c = await collectInProcess({ projects: [PROJECT] });
    expect(c.log[0]).toMatch(/GOOGLE_OAUTH_ACCESS_TOKEN/);
    expect(emulator.tokenRequests).toEqual([]);
    expect(new Set(emulator.requests.map((r) => r.principal))).toEqual(new Set(['alice@acme.example']));
    expect(JSON.stringify(c.log)).not.toContain('ya29.token-in-hand');
  });

  it('impersonates a service account through the IAM Credentials endpoint at the redirected root', async () => {
    emulator.reset();
    useEnv(keyFileEnv(emulator));
    const target = 'agentscan-reader@acme-security.iam.gserviceaccount.com';
    const c = await collectInProcess({ projects: [PROJECT], impersonateServiceAccount: target });
    const minted = emulator.requests.filter((r) => r.methodId === 'iamcredentials.projects.serviceAccounts.generateAccessToken');
    expect(minted.map((r) => [r.principal, r.path])).toEqual([[SCANNER, `/v1/projects/-/serviceAccounts/${target}:generateAccessToken`]]);
    const apiCalls = emulator.requests.filter((r) => r.methodId && !r.methodId.startsWith('iamcredentials.'));
    expect(new Set(apiCalls.map((r) => r.principal))).toEqual(new Set([target]));
    expect(c.log[0]).toContain(`impersonating ${target}`);
  });

  it('stops with a usage error when impersonation is refused', async () => {
    emulator.reset();
    useEnv(keyFileEnv(emulator));
    const err = await collectInProcess({ projects: [PROJECT], impersonateServiceAccount: 'admin@acme-security.iam.gserviceaccount.com' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/could not get an access token for admin@acme-security.*roles\/iam\.serviceAccountTokenCreator/);
  });

  it('stops with a usage error naming what to do when there is no credential at all', async () => {
    useEnv(emulator.env({ HOME: '/nonexistent-home', APPDATA: '/nonexistent-home' }));
    const err = await collectInProcess({ projects: [PROJECT] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/Google Cloud: no usable credentials — .*gcloud auth application-default login.*GOOGLE_APPLICATION_CREDENTIALS.*GOOGLE_OAUTH_ACCESS_TOKEN/);
  });

  it('refuses a request bound for a Google host once endpoints are redirected', async () => {
    emulator.reset();
    // Only IAM is redirected; Resource Manager would go to its public host, which must be refused, not contacted.
    const env = keyFileEnv(emulator);
    useEnv({ ...env, AGENTSCAN_GCP_API_ROOT: undefined, AGENTSCAN_GCP_ENDPOINT_IAM: emulator.url, AGENTSCAN_GCP_ENDPOINT_OAUTH2: emulator.url });
    const before = sockets.hosts.length;
    const c = await collectInProcess({ projects: [PROJECT] });
    expect(coverage(c, 'cloudresourcemanager.projects.get')?.message).toMatch(/refusing to send a request to cloudresourcemanager\.googleapis\.com/);
    expect(coverage(c, 'iam.projects.serviceAccounts.list')?.status).toBe('ok');
    expect(sockets.hosts.slice(before).every((h) => h === '127.0.0.1')).toBe(true);
  });
});

describe('gcp collect: faults become coverage entries', () => {
  const run = async (faults: Fault[], env: Record<string, string> = {}) => {
    emulator.reset(faults);
    useEnv({ ...keyFileEnv(emulator), ...env });
    return collectInProcess({ projects: [PROJECT] });
  };

  it('retries a throttled getIamPolicy POST and a 503 list page, and succeeds', async () => {
    const c = await run([
      { match: /^POST \/v3\/projects\/acme-ml-prod:getIamPolicy/, kind: 'throttle', times: 2 },
      { match: /^GET \/v1\/projects\/acme-ml-prod\/serviceAccounts\?.*pageToken/, kind: 'unavailable', times: 1 },
    ]);
    expect(coverage(c, 'cloudresourcemanager.projects.getIamPolicy')?.status).toBe('ok');
    expect(coverage(c, 'iam.projects.serviceAccounts.list')?.status).toBe('ok');
    expect(emulator.requests.filter((r) => r.methodId === 'cloudresourcemanager.projects.getIamPolicy' || r.path.endsWith(':getIamPolicy') && r.path.startsWith('/v3/projects')).map((r) => r.status)).toEqual([429, 429, 200]);
    const counted = c.result.calls.get(PROJECT)!.counted().find(([a]) => a === 'cloudresourcemanager.projects.getIamPolicy')![1];
    expect(counted).toEqual({ calls: 1, requests: 3, failed: 0 });
    expect(identitiesOf(c.dir)).toEqual(demoIdentities());
  });

  it('gives up after the attempt budget with the status, the call and the attempts', async () => {
    const c = await run([{ match: /^POST \/v3\/projects\/acme-ml-prod:getIamPolicy/, kind: 'throttle' }]);
    expect(coverage(c, 'cloudresourcemanager.projects.getIamPolicy')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^RESOURCE_EXHAUSTED: cloudresourcemanager\.projects\.getIamPolicy after 4 attempts \(Quota exceeded/),
    });
    // The bundle still loads: the missing policy is explained by the coverage entry.
    const ids = identitiesOf(c.dir);
    expect(byName(ids, ETL).entitlements).toEqual([]);
  });

  it('names the API and the command to enable it when Policy Analyzer is off, and usage becomes unknown, not "never"', async () => {
    const c = await run([{ match: /activities:query/, kind: 'disabled', service: 'policyanalyzer.googleapis.com' }]);
    const entry = coverage(c, 'policyanalyzer.projects.locations.activityTypes.activities.query(serviceAccountLastAuthentication)')!;
    expect(entry.status).toBe('error');
    expect(entry.message).toBe(
      'SERVICE_DISABLED: policyanalyzer.projects.locations.activityTypes.activities.query(serviceAccountLastAuthentication) — the policyanalyzer.googleapis.com API is not enabled in project 482910573746; enable it with `gcloud services enable policyanalyzer.googleapis.com --project 482910573746`',
    );
    const ids = identitiesOf(c.dir);
    expect(ids.every((i) => i.attributes.usageTracked === false && i.lastUsedAt === undefined)).toBe(true);
    expect(ids.flatMap((i) => i.credentials).every((k) => k.attributes?.usageTracked === false)).toBe(true);
  });

  it('records a 403 on one account as that account, and the others are complete', async () => {
    const c = await run([{ match: new RegExp(`/serviceAccounts/${encodeURIComponent(ETL)}/keys`), kind: 'denied' }]);
    expect(coverage(c, `iam.projects.serviceAccounts.keys.list(${ETL})`)).toMatchObject({ status: 'error', message: expect.stringMatching(/^PERMISSION_DENIED: .*\(The caller does not have permission\)$/) });
    const ids = identitiesOf(c.dir);
    expect(byName(ids, ETL).attributes.keysUnknown).toBe(true);
    expect(byName(ids, 'support-bot@acme-ml-prod.iam.gserviceaccount.com').credentials.length).toBeGreaterThan(0);
  });

  // Hanging, trickling, HTML, empty and oversized answers: test/collect/fault-matrix.test.ts.
  it('a 200 of the wrong shape is a malformed-response entry naming the field, never a file', async () => {
    const c = await run([{ match: /^GET \/v1\/projects\/acme-ml-prod\/serviceAccounts\?/, kind: 'wrong-shape', times: 1 }]);
    expect(coverage(c, 'iam.projects.serviceAccounts.list')).toMatchObject({ status: 'error', message: expect.stringMatching(/malformed response: iam\.projects\.serviceAccounts\.list at accounts: /) });
    expect(filesUnder(join(c.dir, 'gcp', PROJECT)).some((f) => f.startsWith('iam-projects-serviceAccounts-list.'))).toBe(false);
    expect(identitiesOf(c.dir)).toEqual([]);
  });
});

describe('gcp collect: requests that cannot work', () => {
  it('needs exactly one of projects, folder or organization', async () => {
    await expect(collectInProcess({})).rejects.toThrow(/--gcp-projects ID\[,ID…\], --gcp-folder ID or --gcp-organization ID/);
    await expect(collectInProcess({ projects: ['a-project'], organization: '1' })).rejects.toThrow(/not --gcp-projects and --gcp-organization/);
    await expect(collectInProcess({ folder: 'abc' })).rejects.toThrow(/--gcp-folder abc: expected a numeric id/);
  });
});
