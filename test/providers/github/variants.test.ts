import { afterEach, describe, expect, it } from 'vitest';
import { normalizeGithub } from '../../../src/providers/github/normalize.js';
import { TempBundle, reader } from './helpers.js';

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
