import { afterEach, describe, expect, it } from 'vitest';
import { normalizeGithub } from '../../../src/providers/github/normalize.js';
import { TempBundle, failed, reader } from './helpers.js';

// Shapes the demo org does not show: expired and never-used credentials, suspended apps,
// public-only PAT grants, keys on servers without usage tracking.

let bundle: TempBundle;
afterEach(() => bundle?.dispose());

const find = (bundleDir: string, id: string) => normalizeGithub(reader(bundleDir)).find((i) => i.id === id)!;

describe('GitHub credential states', () => {
  it('marks an SSO-authorized classic token past its expiry inactive, and one never accessed as never used', () => {
    bundle = new TempBundle();
    const auths = bundle.read('orgs-list-saml-sso-authorizations.page-1.json');
    auths[1].authorized_credential_expires_at = '2026-10-01T00:00:00.000+02:00';
    auths[1].credential_accessed_at = null;
    bundle.write('orgs-list-saml-sso-authorizations.page-1.json', auths);
    const pat = find(bundle.dir, 'github:acme-corp:classic-pat/2877016');
    expect(pat.enabled).toBe(false);
    expect(pat.credentials[0]).toMatchObject({ status: 'inactive', expiresAt: '2026-09-30T22:00:00Z' });
    expect(pat.credentials[0].lastUsedAt).toBeUndefined();
    expect(pat.credentials[0].attributes?.usageTracked).toBe(true);
    expect(pat.entitlements[0]).toMatchObject({ standing: false, expiresAt: '2026-09-30T22:00:00Z' });
  });

  it('reports a suspended installation as disabled, with who suspended it', () => {
    bundle = new TempBundle();
    const page = bundle.read('orgs-list-app-installations.page-1.json');
    const owner = bundle.read('orgs-list-members.page-1.json').find((m: { login: string }) => m.login === 'asmith');
    Object.assign(page.installations[2], { suspended_at: '2026-11-01T10:00:00Z', suspended_by: owner });
    bundle.write('orgs-list-app-installations.page-1.json', page);
    const renovate = find(bundle.dir, 'github:acme-corp:app/renovate');
    expect(renovate.enabled).toBe(false);
    expect(renovate.attributes).toMatchObject({ suspendedAt: '2026-11-01T10:00:00Z', suspendedBy: 'asmith' });
  });

  it('scopes a public-repositories-only PAT grant to public repositories, with org and account permissions apart', () => {
    bundle = new TempBundle();
    const grants = bundle.read('orgs-list-pat-grants.page-1.json');
    grants[1].repository_selection = 'none';
    grants[1].permissions.organization = { members: 'write' };
    grants[1].permissions.other = { git_ssh_keys: 'write' };
    bundle.write('orgs-list-pat-grants.page-1.json', grants);
    const pat = find(bundle.dir, 'github:acme-corp:fine-grained-pat/7902216');
    expect(pat.entitlements.map((e) => [e.resource, e.scope, e.level, e.risks])).toEqual([
      ['acme-corp/(public repositories)', 'resource', 'read', []],
      ['acme-corp', 'organization', 'admin', ['privilege-escalation']],
      ['user/rpatel', 'resource', 'write', ['privilege-escalation']],
    ]);
  });

  it('does not claim usage tracking for a deploy key from a server that omits last_used', () => {
    bundle = new TempBundle();
    const keys = bundle.read('repos-list-deploy-keys/infra.json');
    delete keys[0].last_used;
    bundle.write('repos-list-deploy-keys/infra.json', keys);
    const key = find(bundle.dir, 'github:acme-corp:deploy-key/infra/108734211');
    expect(key.credentials[0].attributes?.usageTracked).toBeUndefined();
    expect(key.lastUsedAt).toBeUndefined();
  });
});

describe('GitHub bundles from before Actions, grant repositories and machine-user signals', () => {
  it('still load without the Actions files and grant repositories, and without an Actions identity', () => {
    bundle = new TempBundle();
    for (const f of [
      'actions-get-github-actions-default-workflow-permissions-organization.json',
      'oidc-get-oidc-custom-sub-template-for-org.json',
      'actions-list-org-secrets.page-1.json',
      'orgs-list-pat-grant-repositories/4306551.page-1.json',
    ]) {
      bundle.remove(f);
    }
    const identities = normalizeGithub(reader(bundle.dir));
    expect(identities.some((i) => i.kind === 'github-actions')).toBe(false);
    expect(identities.find((i) => i.id === 'github:acme-corp:fine-grained-pat/7902216')!.attributes.repositories).toBeUndefined();
    expect(identities).toHaveLength(15);
  });

  it('keeps an Actions identity without secrets when only the secrets call failed', () => {
    bundle = new TempBundle();
    bundle.remove('actions-list-org-secrets.page-1.json');
    const actions = normalizeGithub(reader(bundle.dir, [failed('GET /orgs/{org}/actions/secrets')])).find((i) => i.kind === 'github-actions')!;
    expect(actions.credentials).toEqual([]);
    // Unknown, not zero.
    expect(actions.attributes.orgSecretCount).toBeUndefined();
    expect(actions.entitlements).toHaveLength(2);
  });

  it('recognises a Bot account, and a member holding only automation credentials, as machine users', () => {
    bundle = new TempBundle();
    const members = bundle.read('orgs-list-members.page-1.json');
    const dkim = members.find((m: { login: string }) => m.login === 'dkim');
    dkim.type = 'Bot';
    bundle.write('orgs-list-members.page-1.json', members);
    // rpatel gets a second token, also named for automation.
    const grants = bundle.read('orgs-list-pat-grants.page-1.json');
    const rpatel = grants.find((g: { owner: { login: string } }) => g.owner.login === 'rpatel');
    grants.push({ ...rpatel, id: 4999001, token_id: 7999001, token_name: 'release-ci' });
    bundle.write('orgs-list-pat-grants.page-1.json', grants);
    const identities = normalizeGithub(reader(bundle.dir));
    const machine = (login: string) => identities.find((i) => i.id === `github:acme-corp:machine-user/${login}`);
    expect(machine('dkim')?.attributes.machineUserSignals).toEqual(['GitHub account type is Bot']);
    expect(machine('rpatel')?.attributes.machineUserSignals).toEqual(['holds only credentials named for automation: nightly-docs-sync, release-ci']);
    expect(machine('rpatel')?.attributes.holds).toEqual(['github:acme-corp:fine-grained-pat/7902216', 'github:acme-corp:fine-grained-pat/7999001']);
    expect(identities.filter((i) => i.kind === 'fine-grained-pat' && i.attributes.ownerLogin === 'rpatel').every((i) => !i.human)).toBe(true);
    expect(machine('mchen')).toBeUndefined();
  });
});
