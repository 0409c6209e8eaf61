import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../../src/util/errors.js';
import { REPOSITORIES_QUERY } from '../../../src/providers/github/collect/deploy-keys.js';
import { graphqlUrl } from '../../../src/providers/github/collect/client.js';
import { GithubEmulator } from '../../emulators/github.js';
import { estateFromBundle, syntheticEstate } from '../../emulators/github-estate.js';
import { graphqlArgs, graphqlQueryProblems } from '../../emulators/github-spec.js';
import { filesUnder, removeScratch } from '../aws/collect-helpers.js';
import { reader } from './helpers.js';
import { normalizeGithub } from '../../../src/providers/github/normalize.js';
import {
  APP_ID,
  DEMO_ORG,
  DEMO_SOURCE,
  TOKEN,
  asApp,
  collectInProcess,
  countByRoute,
  demoEmulatorOptions,
  orgIdentities,
  specProblems,
  useFastSettings,
} from './collect-helpers.js';

// The collector in-process with the real Octokit against the GitHub emulator: what it writes,
// how many calls it makes, and how every kind of failure becomes a coverage entry.

let emulator: GithubEmulator;
beforeAll(async () => {
  emulator = await GithubEmulator.start(demoEmulatorOptions());
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});
afterEach(() => vi.unstubAllEnvs());

const coverage = (c: { manifest: { coverage: { call: string; status: string; message?: string }[] } }, call: string) =>
  c.manifest.coverage.find((e) => e.call === call);

describe('collecting the demo org as a GitHub App', () => {
  it('writes a bundle that normalizes to the demo identities, every call ok (an org owner\'s token beside the App)', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN });
    emulator.reset({});
    const c = await collectInProcess(emulator, asApp());
    expect(c.manifest.coverage.filter((e) => e.status !== 'ok')).toEqual([]);
    // The demo read with its bundle.json (coverage says its repository listing is whole).
    expect(orgIdentities(c.dir)).toEqual(orgIdentities(join(DEMO_SOURCE, '..', '..')));
    // The App's JWT was used for the installation lookup and the token exchange, the installation token for the rest.
    const auth = new Set(emulator.requests.map((r) => `${r.route} ${r.auth}`));
    expect(auth).toContain('GET /app/installations jwt');
    expect(auth).toContain('POST /app/installations/{installation_id}/access_tokens jwt');
    expect(emulator.requests.filter((r) => !r.route.includes('/installation')).every((r) => r.auth === 'installation')).toBe(true);
    // …and the owner's token only for what GitHub answers to users.
    expect(auth).toContain('GET /user/installations/{installation_id}/repositories token');
    expect(emulator.requests.filter((r) => r.auth === 'token').map((r) => r.route)).toEqual(['GET /user/installations/{installation_id}/repositories']);
  });

  it('pages through Link headers and GraphQL cursors, and calls REST only for repositories with keys', async () => {
    useFastSettings();
    emulator.reset({});
    const c = await collectInProcess(emulator, { ...asApp(), orgs: [DEMO_ORG] });
    const estate = estateFromBundle(DEMO_SOURCE, DEMO_ORG);
    const pages = (n: number) => Math.max(1, Math.ceil(n / 3));
    expect(countByRoute(emulator.requests)).toEqual({
      'GET /orgs/{org}/installation': 1,
      'POST /app/installations/{installation_id}/access_tokens': 1,
      'GET /orgs/{org}': 1,
      'GET /orgs/{org}/installations': pages(estate.installations.length),
      'GET /orgs/{org}/personal-access-tokens': pages(estate.patGrants.length),
      'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories': 1,
      'GET /orgs/{org}/credential-authorizations': pages(estate.credentialAuthorizations!.length),
      'GET /orgs/{org}/members': pages(estate.members.length) + pages(estate.admins.length),
      'GET /orgs/{org}/actions/permissions/workflow': 1,
      'GET /orgs/{org}/actions/oidc/customization/sub': 1,
      'GET /orgs/{org}/actions/secrets': pages(estate.secrets.length),
      'POST /graphql': pages(estate.repositories.length),
      'GET /repos/{owner}/{repo}/keys': Object.keys(estate.deployKeys).length,
    });
    const files = filesUnder(join(c.dir, 'github', DEMO_ORG));
    expect(files.filter((f) => f.startsWith('orgs-list-members.page-'))).toHaveLength(pages(estate.members.length));
    expect(files.filter((f) => f.startsWith('repos-list-deploy-keys/')).sort()).toEqual(
      Object.keys(estate.deployKeys).map((r) => `repos-list-deploy-keys/${r}.json`).sort(),
    );
    expect(c.log.find((l) => l.startsWith(`github ${DEMO_ORG}: `))).toMatch(/^github acme-corp: \d+ calls \(\d+ requests\): /);
  });

  it('reports progress per organization: repositories listed of the total, then deploy keys', async () => {
    useFastSettings();
    emulator.reset({});
    const lines: string[] = [];
    const ended: string[] = [];
    await collectInProcess(emulator, { ...asApp(), progress: { update: (k, t) => lines.push(`${k}: ${t}`), end: (k) => ended.push(k), close() {} } });
    expect(lines).toContain('github acme-corp: repositories 3/9');
    expect(lines).toContain('github acme-corp: repositories 9/9');
    expect(lines.at(-1)).toBe('github acme-corp: deploy keys of 4/4 repositories');
    expect(ended).toEqual(['github acme-corp']);
  });

  it("answers only what GitHub's OpenAPI description and GraphQL schema allow, and queries only fields the schema has", async () => {
    useFastSettings();
    emulator.reset({});
    await collectInProcess(emulator, asApp());
    expect(emulator.requests.filter((r) => r.body !== undefined).length).toBeGreaterThan(15);
    expect(specProblems(emulator.requests)).toEqual([]);
    expect(graphqlArgs('Organization', 'repositories')).toEqual(expect.arrayContaining(['first', 'after', 'orderBy']));
    expect(graphqlArgs('Repository', 'deployKeys')).toContain('first');
    // Error envelopes too: a token is refused, an org has no installation, a server error.
    useFastSettings({ GITHUB_TOKEN: 'ghp_refused' });
    emulator.reset({ faults: [{ route: 'GET /orgs/{org}/installations', status: 500 }] });
    await expect(collectInProcess(emulator, { orgs: [DEMO_ORG] })).rejects.toThrow(/refused the credential/);
    useFastSettings({ GITHUB_TOKEN: TOKEN });
    await collectInProcess(emulator, { orgs: [DEMO_ORG] });
    const errors = emulator.requests.filter((r) => r.status >= 400 && r.body !== undefined);
    expect(new Set(errors.map((r) => r.status))).toEqual(new Set([401, 500]));
    expect(specProblems(errors)).toEqual([]);
    // The validator catches a body GitHub would not send.
    const bad = [{ ...emulator.requests.find((r) => r.route === 'GET /orgs/{org}/members' && r.status === 200)!, body: [{ login: 3 }] }];
    expect(specProblems(bad).length).toBeGreaterThan(0);
    expect(specProblems([{ route: 'POST /graphql', method: 'POST', status: 200, auth: 'installation', query: {}, body: { data: { organization: { repositories: { totalCount: '9' } } } } }])).toEqual([
      'data.organization.repositories.totalCount: "9" is not a Int',
    ]);
    expect(REPOSITORIES_QUERY).toMatch(/deployKeys\(first: 100\)/);
    expect(graphqlQueryProblems(REPOSITORIES_QUERY)).toEqual([]);
    expect(graphqlQueryProblems('query { organization(login: "x") { repos { nodes { nam } } } }')).toEqual([
      'Organization has no field repos',
    ]);
    expect(graphqlQueryProblems('query { organization(login: "x") { repositories(first: 1) { nodes { nam } } } }')).toEqual(['Repository has no field nam']);
    expect(graphqlQueryProblems('query { organization(login: "x", first: 1) { login } }')).toEqual(['Query.organization takes no argument first']);
  });

  it('finds the organizations the App is installed on when none is named', async () => {
    useFastSettings();
    const other = syntheticEstate({ login: 'beta-labs', repositories: 4, reposWithKeys: 1 });
    emulator.reset({ latencyMs: 15, orgs: [...demoEmulatorOptions().orgs, other], app: { ...demoEmulatorOptions().app!, installations: { [DEMO_ORG]: 61_000_001, 'beta-labs': 61_000_002 } } });
    const c = await collectInProcess(emulator, { ...asApp(), concurrency: 2 });
    expect(c.result.orgs).toEqual(['acme-corp', 'beta-labs']);
    expect(emulator.requests.filter((r) => r.route === 'GET /app/installations')).toHaveLength(1);
    expect(emulator.maxOrgsInFlight).toBe(2);
    expect(c.manifest.sources.map((s) => s.scope)).toEqual(['acme-corp', 'beta-labs']);
    emulator.reset(demoEmulatorOptions());
  });

  it('records an org the App is not installed on as not collected', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN });
    emulator.reset({});
    const c = await collectInProcess(emulator, { ...asApp(), orgs: [DEMO_ORG, 'nowhere-inc'] });
    const skipped = c.manifest.coverage.filter((e) => e.scope === 'nowhere-inc');
    expect(skipped.length).toBeGreaterThan(5);
    expect(skipped.every((e) => e.status === 'skipped' && /not installed on nowhere-inc/.test(e.message!))).toBe(true);
    expect(c.manifest.coverage.filter((e) => e.scope === DEMO_ORG).every((e) => e.status === 'ok')).toBe(true);
  });

  it('refuses a JWT signed with another key (exit 2 from the CLI)', async () => {
    useFastSettings();
    emulator.reset({ app: { id: APP_ID + 1, publicKey: demoEmulatorOptions().app!.publicKey, installations: { [DEMO_ORG]: 61_000_001 } } });
    await expect(collectInProcess(emulator, { ...asApp(), orgs: [DEMO_ORG] })).rejects.toThrow(/HTTP 401: GET \/orgs\/\{org\}\/installation .*check the App id and its private key/);
    emulator.reset(demoEmulatorOptions());
  });
});

describe('collecting with a token', () => {
  it('records what only an App may read as not collected, saying how to fix it', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN });
    emulator.reset({});
    const c = await collectInProcess(emulator, { orgs: [DEMO_ORG] });
    expect(coverage(c, 'GET /orgs/{org}/personal-access-tokens')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/only to a GitHub App .*--github-app-id and --github-app-key-file/),
    });
    expect(emulator.requests.some((r) => r.route.includes('personal-access-tokens'))).toBe(false);
    expect(c.manifest.coverage.filter((e) => e.status !== 'ok').map((e) => e.call).sort()).toEqual([
      'GET /orgs/{org}/personal-access-tokens',
      'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories',
    ]);
    const kinds = new Set(orgIdentities(c.dir).map((i) => i.kind));
    expect(kinds.has('fine-grained-pat')).toBe(false);
    expect(kinds.has('deploy-key') && kinds.has('classic-pat') && kinds.has('machine-user')).toBe(true);
    for (const secret of [TOKEN, ...emulator.issuedSecrets]) {
      for (const f of filesUnder(c.dir)) expect(readFileSync(join(c.dir, f), 'utf8')).not.toContain(secret);
      expect(c.log.join('\n')).not.toContain(secret);
    }
  });

  it('lists the organizations the token sees when none is named (GH_TOKEN works too)', async () => {
    useFastSettings({ GH_TOKEN: TOKEN });
    emulator.reset({});
    const c = await collectInProcess(emulator, {});
    expect(c.result.orgs).toEqual([DEMO_ORG]);
    expect(emulator.requests.filter((r) => r.route === 'GET /user/orgs')).toHaveLength(1);
  });

  it('fails with a clear message without any credential, and on a token GitHub refuses', async () => {
    useFastSettings();
    await expect(collectInProcess(emulator, { orgs: [DEMO_ORG] })).rejects.toThrow(InputError);
    await expect(collectInProcess(emulator, { orgs: [DEMO_ORG] })).rejects.toThrow(/no credential\. Set GITHUB_TOKEN \(or GH_TOKEN\)/);
    useFastSettings({ GITHUB_TOKEN: 'ghp_wrong' });
    await expect(collectInProcess(emulator, { orgs: [DEMO_ORG] })).rejects.toThrow(/refused the credential \(HTTP 401: GET \/orgs\/\{org\} \(Bad credentials\)\)/);
    await expect(collectInProcess(emulator, { appId: '12', appKeyFile: '/nonexistent/key.pem' })).rejects.toThrow(/key\.pem: cannot read the GitHub App private key \(ENOENT\)/);
  });
});

describe('failures become coverage entries', () => {
  const withToken = async (faults: Parameters<GithubEmulator['reset']>[0]['faults'], env: Record<string, string> = {}) => {
    useFastSettings({ GITHUB_TOKEN: TOKEN, ...env });
    emulator.reset({ faults });
    return collectInProcess(emulator, { orgs: [DEMO_ORG] });
  };

  it('waits out a secondary rate limit (retry-after) and a spent primary limit (x-ratelimit-reset), then succeeds', async () => {
    const c = await withToken([
      { route: 'GET /orgs/{org}/installations', rateLimit: 'secondary', retryAfter: 2, times: 1 },
      { route: 'GET /orgs/{org}/members', rateLimit: 'primary', resetSeconds: 1, times: 2 },
    ]);
    expect(coverage(c, 'GET /orgs/{org}/installations')?.status).toBe('ok');
    expect(coverage(c, 'GET /orgs/{org}/members')?.status).toBe('ok');
    expect(emulator.requests.filter((r) => r.route === 'GET /orgs/{org}/installations' && r.status === 403)).toHaveLength(1);
    expect(c.log.join('\n')).toMatch(/GET \/orgs\/\{org\}\/installations \d+/);
    const summary = c.log.find((l) => l.startsWith('github acme-corp:'))!;
    const [, calls, requests] = /(\d+) calls \((\d+) requests\)/.exec(summary)!.map(Number);
    expect(requests - calls).toBe(3);
  });

  it('gives up a rate limit that resets beyond the wait ceiling, saying when it resets', async () => {
    const c = await withToken([{ route: 'GET /orgs/{org}/actions/secrets', rateLimit: 'primary', resetSeconds: 3600 }], { AGENTSCAN_GITHUB_MAX_RATE_LIMIT_WAIT_MS: '60000' });
    expect(coverage(c, 'GET /orgs/{org}/actions/secrets')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^rate limit exhausted: GET \/orgs\/\{org\}\/actions\/secrets \(HTTP 403: API rate limit exceeded .*resets at 20\d\d-/),
    });
  });

  it('retries 5xx, then records GitHub\'s status and message; 403 names the call', async () => {
    const c = await withToken([
      { route: 'GET /orgs/{org}/installations', status: 502, message: 'Server Error' },
      { route: 'GET /orgs/{org}/actions/permissions/workflow', status: 403, message: 'Resource not accessible by personal access token' },
      { route: 'GET /orgs/{org}/members', status: 503, message: 'Service Unavailable', times: 1 },
    ]);
    expect(coverage(c, 'GET /orgs/{org}/installations')).toMatchObject({ status: 'error', message: 'HTTP 502: GET /orgs/{org}/installations (Server Error) on page 1' });
    expect(emulator.requests.filter((r) => r.route === 'GET /orgs/{org}/installations')).toHaveLength(4);
    expect(coverage(c, 'GET /orgs/{org}/actions/permissions/workflow')).toMatchObject({
      status: 'error',
      message: 'HTTP 403: GET /orgs/{org}/actions/permissions/workflow (Resource not accessible by personal access token)',
    });
    expect(coverage(c, 'GET /orgs/{org}/members')?.status).toBe('ok');
    // The bundle reads as partial: installations left out, the rest stands.
    const kinds = new Set(orgIdentities(c.dir).map((i) => i.kind));
    expect(kinds.has('github-app-installation')).toBe(false);
    expect(kinds.has('deploy-key')).toBe(true);
  });

  it('records SAML SSO authorizations of an org without SAML as skipped', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN });
    const estate = { ...estateFromBundle(DEMO_SOURCE, DEMO_ORG), credentialAuthorizations: undefined };
    emulator.reset({ orgs: [estate] });
    const c = await collectInProcess(emulator, { orgs: [DEMO_ORG] });
    expect(coverage(c, 'GET /orgs/{org}/credential-authorizations')).toMatchObject({ status: 'skipped', message: expect.stringMatching(/no SAML single sign-on/) });
    expect(orgIdentities(c.dir).some((i) => i.kind === 'classic-pat')).toBe(false);
    emulator.reset(demoEmulatorOptions());
  });

  it('refuses HTML, empty and cut-off 200 answers as malformed, without writing them', async () => {
    const c = await withToken([
      { route: 'GET /orgs/{org}', spoil: { body: 'html' } },
      { route: 'GET /orgs/{org}/installations', spoil: { body: 'truncated' }, times: 1 },
      { route: 'GET /orgs/{org}/actions/oidc/customization/sub', spoil: { body: 'empty' } },
      { route: 'GET /repos/{owner}/{repo}/keys', repo: 'infra', spoil: { body: 'truncated' } },
    ]);
    expect(coverage(c, 'GET /orgs/{org}')?.message).toBe('malformed response: GET /orgs/{org} returned a body that is not JSON');
    expect(coverage(c, 'GET /orgs/{org}/installations')?.message).toBe('malformed response: GET /orgs/{org}/installations returned a body that is not JSON');
    expect(coverage(c, 'GET /orgs/{org}/actions/oidc/customization/sub')?.message).toBe('malformed response: GET /orgs/{org}/actions/oidc/customization/sub returned an empty body');
    expect(coverage(c, 'GET /repos/acme-corp/infra/keys')?.message).toMatch(/^malformed response: GET \/repos\/acme-corp\/infra\/keys/);
    const files = filesUnder(join(c.dir, 'github', DEMO_ORG));
    expect(files).not.toContain('orgs-get.json');
    expect(files).not.toContain('repos-list-deploy-keys/infra.json');
    const ids = orgIdentities(c.dir).map((i) => i.id);
    expect(ids.some((id) => id.includes('deploy-key/infra/'))).toBe(false);
    expect(ids.some((id) => id.includes('deploy-key/docs/'))).toBe(true);
  });

  it('records a GraphQL page without a cursor, or with errors, as partial', async () => {
    let c = await withToken([{ route: 'POST /graphql', body: 'graphql-no-cursor' }]);
    expect(coverage(c, 'POST /graphql (organization.repositories.deployKeys)')?.message).toMatch(/says hasNextPage but gives no endCursor; the repository list is partial/);
    c = await withToken([{ route: 'POST /graphql', body: 'graphql-error', after: 2 }]);
    expect(coverage(c, 'POST /graphql (organization.repositories.deployKeys)')?.message).toMatch(/^rate limit exhausted: .*RATE_LIMITED: API rate limit exceeded/);
    // The first two pages' repositories (.github … ml-models, three a page) were still asked for their keys.
    expect(emulator.requests.filter((r) => r.route === 'GET /repos/{owner}/{repo}/keys').length).toBe(3);
  });

  it('records a repository with more than 100 deploy keys as partial', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN });
    emulator.reset({ orgs: [syntheticEstate({ login: 'many-keys', repositories: 2, reposWithKeys: 1, keysPerRepo: 101 })] });
    const c = await collectInProcess(emulator, { orgs: ['many-keys'] });
    expect(coverage(c, 'GET /repos/many-keys/repo-00000/keys')).toMatchObject({ status: 'error', message: expect.stringMatching(/more than 100 deploy keys/) });
    expect(orgIdentities(c.dir, 'many-keys').filter((i) => i.kind === 'deploy-key')).toHaveLength(100);
    emulator.reset(demoEmulatorOptions());
  });
});

describe('GitHub Enterprise Server', () => {
  it('uses REST under /api/v3 and GraphQL at /api/graphql', async () => {
    expect(graphqlUrl('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrl('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api/graphql');
    const ghes = await GithubEmulator.start(demoEmulatorOptions({ ghes: true }));
    try {
      useFastSettings({ GITHUB_TOKEN: TOKEN });
      const c = await collectInProcess(ghes, asApp());
      expect(ghes.apiUrl).toMatch(/\/api\/v3$/);
      expect(c.manifest.coverage.filter((e) => e.status !== 'ok')).toEqual([]);
      expect(ghes.requests.filter((r) => r.route === 'POST /graphql').length).toBeGreaterThan(0);
      expect(orgIdentities(c.dir).length).toBe(normalizeGithub(reader(join(DEMO_SOURCE, '..', '..'))).length);
    } finally {
      await ghes.close();
    }
  });
});
