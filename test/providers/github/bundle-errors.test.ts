import { afterEach, describe, expect, it } from 'vitest';
import { normalizeGithub } from '../../../src/providers/github/normalize.js';
import { bundleErrorOf } from '../../helpers/errors.js';
import { TempBundle, failed, reader } from './helpers.js';

let bundle: TempBundle;
afterEach(() => bundle?.dispose());

describe('GitHub bundles that do not have the API shape', () => {
  it('names the file and the nested field of a wrong type', () => {
    bundle = new TempBundle();
    const page = bundle.read('orgs-list-app-installations.page-1.json');
    page.installations[1].permissions.contents = 5;
    bundle.write('orgs-list-app-installations.page-1.json', page);
    const err = bundleErrorOf(() => normalizeGithub(reader(bundle.dir)));
    expect(err.message).toMatch(/orgs-list-app-installations\.page-1\.json: at installations\[1\]\.permissions\.contents: /);
  });

  it('rejects a timestamp that is not ISO-8601', () => {
    bundle = new TempBundle();
    const grants = bundle.read('orgs-list-pat-grants.page-1.json');
    grants[0].token_last_used_at = 'yesterday';
    bundle.write('orgs-list-pat-grants.page-1.json', grants);
    const err = bundleErrorOf(() => normalizeGithub(reader(bundle.dir)));
    expect(err.message).toMatch(/orgs-list-pat-grants\.page-1\.json: at \[0\]\.token_last_used_at: /);
  });

  it('rejects a deploy key whose key is not an OpenSSH public key', () => {
    bundle = new TempBundle();
    const keys = bundle.read('repos-list-deploy-keys/infra.json');
    keys[0].key = '-----BEGIN OPENSSH PRIVATE KEY-----';
    bundle.write('repos-list-deploy-keys/infra.json', keys);
    const err = bundleErrorOf(() => normalizeGithub(reader(bundle.dir)));
    expect(err.message).toMatch(/repos-list-deploy-keys\/infra\.json: at \[0\]\.key: expected an OpenSSH public key/);
  });

  it('fails on a missing file that no failed call explains', () => {
    bundle = new TempBundle();
    bundle.remove('orgs-list-pat-grants.page-1.json');
    const err = bundleErrorOf(() => normalizeGithub(reader(bundle.dir)));
    expect(err.message).toMatch(/orgs-list-pat-grants\.page-1\.json: file is missing/);
    expect(err.message).toContain('GET /orgs/{org}/personal-access-tokens');
  });

  it("fails on a missing repository's deploy-key file", () => {
    bundle = new TempBundle();
    bundle.remove('repos-list-deploy-keys/ml-models.json');
    const err = bundleErrorOf(() => normalizeGithub(reader(bundle.dir)));
    expect(err.message).toMatch(/repos-list-deploy-keys\/ml-models\.json: file is missing/);
  });

  it('fails when a page in the middle of a paged call is missing', () => {
    bundle = new TempBundle();
    bundle.write('orgs-list-members.page-3.json', []);
    const err = bundleErrorOf(() => normalizeGithub(reader(bundle.dir)));
    expect(err.message).toMatch(/orgs-list-members\.page-2\.json: page 2 is missing while page 3 is present/);
  });
});

describe('GitHub bundles with calls that failed during collection', () => {
  it('leaves out fine-grained PATs when their call failed and keeps the rest', () => {
    bundle = new TempBundle();
    bundle.remove('orgs-list-pat-grants.page-1.json');
    const identities = normalizeGithub(reader(bundle.dir, [failed('GET /orgs/{org}/personal-access-tokens')]));
    // The demo's 15 identities less its two fine-grained tokens.
    expect(identities).toHaveLength(14);
    expect(identities.some((i) => i.kind === 'fine-grained-pat')).toBe(false);
    expect(identities.filter((i) => i.kind === 'github-app-installation')).toHaveLength(5);
  });

  it("leaves out one repository's deploy keys when only that repository's call failed", () => {
    bundle = new TempBundle();
    bundle.remove('repos-list-deploy-keys/infra.json');
    const identities = normalizeGithub(reader(bundle.dir, [failed('GET /repos/acme-corp/infra/keys')]));
    const deployKeys = identities.filter((i) => i.kind === 'deploy-key').map((i) => i.name);
    expect(deployKeys.sort()).toEqual(['docs/site-publisher', 'ml-models/llm-eval-runner', 'website/site-publisher']);
  });

  it('reads the deploy-key files that exist when the repository list failed', () => {
    bundle = new TempBundle();
    bundle.remove('repos-list-for-org.page-1.json');
    const identities = normalizeGithub(reader(bundle.dir, [failed('GET /orgs/{org}/repos')]));
    expect(identities.filter((i) => i.kind === 'deploy-key')).toHaveLength(4);
  });

  it('does not claim an owner left when the member list could not be read', () => {
    bundle = new TempBundle();
    bundle.remove('orgs-list-members.page-1.json');
    const identities = normalizeGithub(reader(bundle.dir, [failed('GET /orgs/{org}/members')]));
    const jdoe = identities.find((i) => i.id === 'github:acme-corp:classic-pat/3318842')!;
    expect(jdoe.owners[0].exists).toBeUndefined();
    expect(jdoe.attributes.ownerOrgRole).toBeUndefined();
  });

  it('goes without the org name when GET /orgs/{org} failed', () => {
    bundle = new TempBundle();
    bundle.remove('orgs-get.json');
    const identities = normalizeGithub(reader(bundle.dir, [failed('GET /orgs/{org}')]));
    expect(identities).toHaveLength(16);
    expect(identities[0].container).toEqual({ type: 'organization', id: 'acme-corp' });
  });
});

describe('GitHub paged calls', () => {
  it('reads every page in order', () => {
    bundle = new TempBundle();
    const members: { login: string }[] = bundle.read('orgs-list-members.page-1.json');
    const cut = members.findIndex((m) => m.login === 'mchen');
    bundle.write('orgs-list-members.page-1.json', members.slice(0, cut));
    bundle.write('orgs-list-members.page-2.json', members.slice(cut));
    const identities = normalizeGithub(reader(bundle.dir));
    const cursor = identities.find((i) => i.name === 'mchen/cursor-agent')!;
    expect(cursor.owners[0].exists).toBe(true);
  });
});
