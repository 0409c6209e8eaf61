import { describe, expect, it } from 'vitest';
import { buildAccessGraph } from '../../src/facts/reach/build.js';
import { computeReach } from '../../src/facts/reach/reach.js';
import { trustBreadth } from '../../src/facts/reach/trust-breadth.js';
import { githubEstate } from '../../src/facts/reach/github.js';
import type { Identity, Trust } from '../../src/model/inventory.js';
import { actions, grant, githubWriter, oidcTrust, role, serviceAccount } from './reach-helpers.js';

// Reach: what each identity can become, by its shortest chain, and the highest level per provider.

const trusting = (...callers: Identity[]): Trust[] => callers.map((c) => ({ principal: c.attributes.arn as string, kind: 'role', via: `trust of ${c.name}` }));

function reachOf(identities: Identity[]) {
  return computeReach(buildAccessGraph(identities), identities);
}

describe('reach', () => {
  it('follows cycles once and lists each identity once, the source never among its own targets', () => {
    const a = role('a');
    const b = role('b');
    a.trustedBy = trusting(b);
    b.trustedBy = trusting(a);
    const c = role('c', { trustedBy: trusting(b) });
    const reach = reachOf([a, b, c]);
    expect(reach.byIdentity[a.id].targets.map((t) => t.identityId)).toEqual([b.id, c.id]);
    expect(reach.byIdentity[c.id]).toBeUndefined();
  });

  it('keeps the shortest chain, as edge indexes from the source in order', () => {
    const a = role('a');
    const b = role('b', { trustedBy: trusting(a) });
    const c = role('c', { trustedBy: trusting(b) });
    const d = role('d', { trustedBy: trusting(c, a) });
    const reach = reachOf([a, b, c, d]);
    const toD = reach.byIdentity[a.id].targets.find((t) => t.identityId === d.id)!;
    expect(toD.chain).toHaveLength(1);
    expect(reach.edges[toD.chain[0]]).toMatchObject({ from: a.id, to: d.id });
    const toC = reach.byIdentity[a.id].targets.find((t) => t.identityId === c.id)!;
    expect(toC.chain.map((i) => `${reach.edges[i].from}>${reach.edges[i].to}`)).toEqual([`${a.id}>${b.id}`, `${b.id}>${c.id}`]);
  });

  it('gives the highest level reached per provider, its own grants included, across providers', () => {
    const app = githubWriter('acme', 'coder', ['contents:write', 'workflows:write'], 'acme/*');
    const reader = role('reader', { trustedBy: [oidcTrust('repo:acme/api:*')], entitlements: [grant(['s3:GetObject'], 'read')] });
    const admin = role('admin', { trustedBy: trusting(reader), entitlements: [grant(['*'], 'admin')] });
    const reach = reachOf([actions('acme', { api: 1 }), app, reader, admin]);
    expect(reach.byIdentity[app.id].maxLevel).toEqual({ github: 'write', aws: 'admin' });
    expect(reach.byIdentity[app.id].targets.map((t) => [t.identityId, t.level, t.chain.length])).toEqual([
      [reader.id, 'read', 3],
      [admin.id, 'admin', 4],
    ]);
  });

  it('does not follow gated hops (an MFA condition the caller may not meet)', () => {
    const a = role('a');
    const b = role('b', { trustedBy: [{ ...trusting(a)[0], gates: ['mfa'] }] });
    expect(reachOf([a, b]).byIdentity[a.id]).toBeUndefined();
  });

  it('impersonation roles held on a project count as hops, not as the holder\'s own admin', () => {
    const holder = serviceAccount('p', 'helper', {
      entitlements: [grant(['roles/iam.serviceAccountTokenCreator'], 'admin', { resource: 'projects/p', via: { type: 'role-binding', name: 'roles/iam.serviceAccountTokenCreator' } })],
    });
    const owner = serviceAccount('p', 'owner', {
      trustedBy: [{ principal: holder.attributes.email as string, kind: 'service-account', via: 'roles/iam.serviceAccountTokenCreator on projects/p' }],
      entitlements: [grant(['roles/owner'], 'admin', { resource: 'projects/p', via: { type: 'role-binding', name: 'roles/owner' } })],
    });
    const reach = reachOf([holder, owner]);
    expect(reach.byIdentity[holder.id].targets[0]).toMatchObject({ identityId: owner.id, level: 'admin' });
  });
});

describe('what a GitHub OIDC trust lets in', () => {
  const estate = githubEstate([actions('acme', { api: 1, web: 2 })]);
  const breadth = (subject?: string) => trustBreadth(estate, role('r'), oidcTrust(subject));

  it('names any repository, an org, a repository\'s branches and its pull requests', () => {
    expect(breadth()).toMatchObject({ anyRepository: true, says: 'workflows of any repository on GitHub' });
    expect(breadth('repo:acme/*')).toMatchObject({ anyRepository: false, organizations: ['acme'] });
    expect(breadth('repo:acme/api:*')).toMatchObject({ organizations: [], everyBranch: true, pullRequests: true });
    expect(breadth('repo:acme/api:pull_request')).toMatchObject({ everyBranch: false, pullRequests: true, says: 'pull-request workflows of acme/api' });
    expect(breadth('repo:acme/api:ref:refs/heads/main')).toMatchObject({ everyBranch: false, pullRequests: false });
  });

  it('a template without context makes every branch and pull request alike, even for an exact subject', () => {
    const noContext = githubEstate([actions('acme', { api: 1 }, ['repository_owner', 'repository'])]);
    expect(trustBreadth(noContext, role('r'), oidcTrust('repository_owner:acme:repository:acme/api'))).toMatchObject({
      organizations: [],
      everyBranch: true,
      pullRequests: true,
    });
  });

  it('is not judged for trusts that are not GitHub Actions OIDC', () => {
    expect(trustBreadth(estate, role('r'), { principal: 'lambda.amazonaws.com', kind: 'service', via: 't' })).toBeUndefined();
  });
});
