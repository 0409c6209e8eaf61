import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GithubEmulator } from '../../emulators/github.js';
import { estateFromBundle } from '../../emulators/github-estate.js';
import { filesUnder, removeScratch } from '../aws/collect-helpers.js';
import { DEMO_ORG, DEMO_SOURCE, TOKEN, asApp, collectInProcess, demoEmulatorOptions, orgIdentities, specProblems, useFastSettings } from './collect-helpers.js';

// Repositories' own OIDC subject templates: one call a repository, so only when asked for
// (AGENTSCAN_GITHUB_REPO_OIDC_TEMPLATES=1), for the repositories that are not archived.

const ROUTE = 'GET /repos/{owner}/{repo}/actions/oidc/customization/sub';
const estate = () => {
  const e = estateFromBundle(DEMO_SOURCE, DEMO_ORG);
  e.repositories = e.repositories.map((r) => (r.name === 'website' ? { ...r, archived: true } : r));
  e.repoOidcTemplates = { infra: { use_default: true }, 'ml-models': { use_default: false, include_claim_keys: ['repository_owner_id', 'repository_id', 'context'] } };
  return e;
};

let emulator: GithubEmulator;
beforeAll(async () => {
  emulator = await GithubEmulator.start(demoEmulatorOptions({ orgs: [estate()] }));
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});
afterEach(() => vi.unstubAllEnvs());

const actionsOf = (dir: string) => orgIdentities(dir).find((i) => i.kind === 'github-actions')!;

describe('repository OIDC subject templates', () => {
  it('are not asked for unless turned on: no call, no coverage entry, the org template for every repository', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN });
    emulator.reset({});
    const c = await collectInProcess(emulator, asApp());
    expect(emulator.requests.some((r) => r.route === ROUTE)).toBe(false);
    expect(c.manifest.coverage.some((e) => e.call.endsWith('/actions/oidc/customization/sub') && e.call.startsWith('GET /repos/'))).toBe(false);
    expect(actionsOf(c.dir).attributes.oidcSubjectClaimKeysByRepository).toBeUndefined();
  });

  it('turned on: one call per active repository, each answer a file; overrides become the repository\'s claims', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN, AGENTSCAN_GITHUB_REPO_OIDC_TEMPLATES: '1' });
    emulator.reset({});
    const c = await collectInProcess(emulator, asApp());
    const asked = emulator.requests.filter((r) => r.route === ROUTE);
    // Nine repositories, one archived (its workflows cannot run).
    expect(asked).toHaveLength(8);
    expect(specProblems(asked)).toEqual([]);
    const files = filesUnder(join(c.dir, 'github', DEMO_ORG)).filter((f) => f.startsWith('actions-get-custom-oidc-sub-claim-for-repo/'));
    expect(files).toHaveLength(8);
    expect(files).not.toContain('actions-get-custom-oidc-sub-claim-for-repo/website.json');
    expect(c.manifest.coverage.find((e) => e.call === ROUTE)?.status).toBe('ok');
    // use_default → GitHub's own template; own keys → those; {use_default: false} alone → the org's (not listed).
    expect(actionsOf(c.dir).attributes.oidcSubjectClaimKeysByRepository).toEqual({
      infra: ['repo', 'context'],
      'ml-models': ['repository_owner_id', 'repository_id', 'context'],
    });
  });

  it('a repository whose call fails is recorded under its own call; the others stand', async () => {
    useFastSettings({ GITHUB_TOKEN: TOKEN, AGENTSCAN_GITHUB_REPO_OIDC_TEMPLATES: '1', AGENTSCAN_GITHUB_RETRIES: '0' });
    emulator.reset({ faults: [{ route: ROUTE, repo: 'infra', status: 403, message: 'Resource not accessible by integration' }] });
    const c = await collectInProcess(emulator, asApp());
    expect(c.manifest.coverage.find((e) => e.call === `GET /repos/${DEMO_ORG}/infra/actions/oidc/customization/sub`)).toMatchObject({ status: 'error', message: expect.stringContaining('403') });
    expect(actionsOf(c.dir).attributes.oidcSubjectClaimKeysByRepository).toEqual({ 'ml-models': ['repository_owner_id', 'repository_id', 'context'] });
  });
});
