import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildAccessGraph } from '../../../src/facts/reach/build.js';
import { GithubEmulator } from '../../emulators/github.js';
import { filesUnder, removeScratch } from '../aws/collect-helpers.js';
import { TOKEN, asApp, collectInProcess, demoEmulatorOptions, orgIdentities, specProblems, useFastSettings, DEMO_ORG } from './collect-helpers.js';

// Which repositories an installation limited to selected repositories was given: GitHub says it
// only to a user (GET /user/installations/{id}/repositories), so a token collects it, an App
// collects it with an org owner's token beside it, and an App alone records it as not collected.
// The access-path graph then gives such an installation write on those repositories only.

const CLAUDE = 61930217;
const ROUTE = 'GET /user/installations/{installation_id}/repositories';
const claudeOf = (dir: string) => orgIdentities(dir).find((i) => i.name === 'claude')!;
const writesOf = (dir: string) =>
  buildAccessGraph(orgIdentities(dir))
    .edges.filter((e) => e.from === 'github:acme-corp:app/claude')
    .map((e) => `${e.to} [${e.kind}]${e.gated ? ' gated' : ''}`)
    .sort();

let emulator: GithubEmulator;
beforeAll(async () => {
  emulator = await GithubEmulator.start(demoEmulatorOptions());
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});
afterEach(() => vi.unstubAllEnvs());

describe('repositories of selected-repository installations', () => {
  it('with a token: one paged list per installation that can push to selected repositories, and edges to those only', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN, AGENTSCAN_GITHUB_PAGE_SIZE: '1' });
    emulator.reset({});
    const c = await collectInProcess(emulator, { orgs: [DEMO_ORG] });
    const asked = emulator.requests.filter((r) => r.route === ROUTE);
    // claude is the only selected installation with contents or workflows write; two repositories, one a page.
    expect(asked.map((r) => `${r.auth} ${r.query.page ?? '1'}`)).toEqual(['token 1', 'token 2']);
    expect(specProblems(asked)).toEqual([]);
    expect(filesUnder(join(c.dir, 'github', DEMO_ORG)).filter((f) => f.startsWith('apps-list-installation-repos-for-authenticated-user/'))).toEqual([
      `apps-list-installation-repos-for-authenticated-user/${CLAUDE}.page-1.json`,
      `apps-list-installation-repos-for-authenticated-user/${CLAUDE}.page-2.json`,
    ]);
    expect(c.manifest.coverage.find((e) => e.call === ROUTE)?.status).toBe('ok');
    expect(claudeOf(c.dir).attributes.repositories).toEqual(['data-pipelines', 'ml-models']);
    expect(writesOf(c.dir)).toEqual(['github:workflow:acme-corp/data-pipelines [code-write]', 'github:workflow:acme-corp/ml-models [code-write]']);
  });

  it('an App alone cannot ask: recorded as not collected, saying how; the installation\'s write is drawn but not followed', async () => {
    useFastSettings();
    emulator.reset({});
    const c = await collectInProcess(emulator, { ...asApp(), orgs: [DEMO_ORG] });
    expect(emulator.requests.some((r) => r.route === ROUTE)).toBe(false);
    expect(c.manifest.coverage.filter((e) => e.status !== 'ok')).toEqual([
      expect.objectContaining({ call: ROUTE, status: 'error', message: expect.stringMatching(/only to that installation's own token or to a user .*set GITHUB_TOKEN/) }),
    ]);
    expect(claudeOf(c.dir).attributes.repositories).toBeUndefined();
    expect(writesOf(c.dir)).toEqual(['github:workflow:acme-corp/* [code-write] gated']);
  });

  it('a page that fails keeps the pages read, marks the list partial under the installation\'s own call, and stays gated', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN, AGENTSCAN_GITHUB_PAGE_SIZE: '1', AGENTSCAN_GITHUB_RETRIES: '0' });
    emulator.reset({ faults: [{ route: ROUTE, after: 1, status: 502, message: 'Bad Gateway' }] });
    const c = await collectInProcess(emulator, { orgs: [DEMO_ORG] });
    expect(c.manifest.coverage.find((e) => e.call === `GET /user/installations/${CLAUDE}/repositories`)).toMatchObject({ status: 'error', message: expect.stringContaining('502') });
    expect(c.manifest.coverage.some((e) => e.call === ROUTE)).toBe(false);
    const claude = claudeOf(c.dir);
    expect(claude.attributes.repositories).toEqual(['ml-models']);
    expect(claude.attributes.repositoriesPartial).toBe(true);
    expect(writesOf(c.dir)).toEqual(['github:workflow:acme-corp/* [code-write] gated', 'github:workflow:acme-corp/ml-models [code-write]']);
  });

  it('an installation token is refused there, as GitHub does', async () => {
    useFastSettings();
    emulator.reset({});
    await collectInProcess(emulator, { ...asApp(), orgs: [DEMO_ORG] });
    const installationToken = emulator.issuedSecrets[0];
    useFastSettings({ GITHUB_TOKEN: installationToken, AGENTSCAN_GITHUB_RETRIES: '0' });
    const c = await collectInProcess(emulator, { ...asApp(), orgs: [DEMO_ORG] });
    expect(c.manifest.coverage.find((e) => e.call === `GET /user/installations/${CLAUDE}/repositories`)).toMatchObject({ status: 'error', message: expect.stringContaining('403') });
    expect(specProblems(emulator.requests.filter((r) => r.route === ROUTE))).toEqual([]);
  });
});
