import { describe, expect, it } from 'vitest';
import { buildAccessGraph } from '../../src/facts/reach/build.js';
import { computeReach, REACH_TARGET_LIMIT, ReachSearch } from '../../src/facts/reach/reach.js';
import { ReachReader } from '../../src/facts/reach/view.js';
import { computeFacts } from '../../src/facts/stage.js';
import { trustBreadth } from '../../src/facts/reach/trust-breadth.js';
import { githubEstate } from '../../src/facts/reach/github.js';
import type { Identity, Trust } from '../../src/model/inventory.js';
import type { IdentityReach } from '../../src/model/reach.js';
import { ACCOUNT, actions, grant, githubWriter, oidcTrust, role, serviceAccount } from './reach-helpers.js';

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

describe('principals that share one AssumeRole pattern', () => {
  it('reach the roles it matches through one hub: holders + roles edges, one hop each', () => {
    const accountTrust: Trust[] = [{ principal: `arn:aws:iam::${ACCOUNT}:root`, kind: 'account', via: 'trust' }];
    const pattern = `arn:aws:iam::${ACCOUNT}:role/team-*`;
    const holders = ['a', 'b', 'c'].map((n) => role(`holder-${n}`, { entitlements: [grant(['sts:AssumeRole'], 'write', { resource: pattern })] }));
    const team = [1, 2, 3, 4].map((k) => role(`team-${k}`, { trustedBy: accountTrust, entitlements: [grant(k === 4 ? ['iam:*'] : ['s3:GetObject'], k === 4 ? 'admin' : 'read')] }));
    const other = role('other', { trustedBy: accountTrust });
    const estate = [...holders, ...team, other];
    const graph = buildAccessGraph(estate);
    const hub = graph.nodes.find((n) => n.id.includes(':assumable:'))!;
    expect(hub).toBeDefined();
    expect(graph.edges.filter((e) => e.kind === 'assume-role')).toHaveLength(holders.length + team.length);
    expect(graph.edges.filter((e) => e.from === hub.id).map((e) => e.to)).toEqual(team.map((t) => t.id));
    const reach = computeReach(graph, estate);
    const reader = new ReachReader(reach, estate);
    for (const h of holders) {
      expect(reach.byIdentity[h.id].targets.map((t) => t.identityId)).toEqual(team.map((t) => t.id));
      const view = reader.view(h);
      expect(view.escalations.get().map((t) => [t.name, t.hops])).toEqual([['team-4', 1]]);
      expect(view.escalations.get()[0].rootKeys[0]).toMatch(/^grant:/);
    }
  });
});

describe('reach at the scan\'s clock', () => {
  it('a grant whose end has passed gives no level: reaching its holder is no escalation', () => {
    const expired = grant(['roles/owner'], 'admin', { resource: 'projects/p', standing: false, expiresAt: '2026-01-01T00:00:00Z', via: { type: 'role-binding', name: 'roles/owner' } });
    const helper = serviceAccount('p', 'helper');
    const owner = serviceAccount('p', 'owner', {
      trustedBy: [{ principal: helper.attributes.email as string, kind: 'service-account', via: 'roles/iam.serviceAccountTokenCreator on projects/p' }],
      entitlements: [expired],
    });
    const before = computeFacts([helper, owner], '2025-12-01T00:00:00Z').reach.byIdentity[helper.id];
    expect(before).toMatchObject({ count: 1, escalations: 1, maxLevel: { gcp: 'admin' } });
    const after = computeFacts([helper, owner], '2026-12-01T00:00:00Z').reach.byIdentity[helper.id];
    expect(after).toMatchObject({ count: 1, escalations: 0, maxLevel: {} });
    expect(new ReachReader(computeFacts([owner], '2026-12-01T00:00:00Z').reach, [owner], '2026-12-01T00:00:00Z').view(owner).ownLevel).toEqual({});
  });
});

describe('reach behind a hub stays bounded', () => {
  // One role may assume every role that trusts its account (sts:AssumeRole on `*`); 60 roles
  // trust the account, 5 of them admin, in two accounts' worth of containers; a second hop
  // (a role that names the hub user directly) gives it a distinct first hop to an admin.
  const accountTrust = (account: string): Trust[] => [{ principal: `arn:aws:iam::${account}:root`, kind: 'account', via: 'trust' }];
  const hubUser = role('hub-user', { entitlements: [grant(['sts:AssumeRole'], 'write')] });
  const behind = Array.from({ length: 60 }, (_, k) =>
    role(`behind-${String(k).padStart(2, '0')}`, { trustedBy: accountTrust(ACCOUNT), entitlements: [grant(k % 12 === 0 ? ['*'] : ['s3:GetObject'], k % 12 === 0 ? 'admin' : 'read')] }),
  );
  const direct = role('direct-admin', { trustedBy: trusting(hubUser), entitlements: [grant(['iam:*'], 'admin')] });
  const estate = [hubUser, ...behind, direct];
  const reach = reachOf(estate);
  const entry = reach.byIdentity[hubUser.id];

  it('counts every target but keeps the most telling, escalations first, each first hop included', () => {
    expect(entry.count).toBe(61);
    expect(entry.escalations).toBe(6);
    expect(entry.gains).toBe(6);
    expect(entry.targets.length).toBe(REACH_TARGET_LIMIT);
    const kept = new Set(entry.targets.map((t) => t.identityId));
    for (const admin of [direct, ...behind.filter((_, k) => k % 12 === 0)]) expect(kept.has(admin.id)).toBe(true);
    // The direct hop and the hub hop are both first hops behind an admin: both chains are there.
    const firstHops = new Set(entry.targets.filter((t) => t.level === 'admin').map((t) => reach.edges[t.chain[0]].to));
    expect(firstHops).toEqual(new Set([direct.id, `aws:${ACCOUNT}:any-role`]));
    expect(entry.scopes).toEqual([{ provider: 'aws', container: ACCOUNT, count: 61, level: 'admin' }]);
    expect(entry.maxLevel).toEqual({ aws: 'admin' });
  });

  it('rules read the counts, not the kept list, and a new search lists every target', () => {
    const view = new ReachReader(reach, estate).view(hubUser);
    expect(view).toMatchObject({ count: 61, escalationCount: 6, gainCount: 6, reachesAdmin: true, reachesAdminElsewhere: true, providers: ['aws'] });
    expect(view.escalations.get()).toHaveLength(6);
    expect(view.escalations.get()[0]).toMatchObject({ name: 'direct-admin', hops: 1, container: ACCOUNT });
    const search = new ReachSearch(reach.nodes, reach.edges);
    const all = search.search(search.index.get(hubUser.id)!).map((v) => reach.nodes[v].id);
    expect(all).toHaveLength(61);
    expect(new Set(all)).toEqual(new Set([...behind, direct].map((i) => i.id)));
  });

  it('an identity with few targets keeps them all, in the order found', () => {
    const small = reachOf([hubUser, ...behind.slice(0, 3)]).byIdentity[hubUser.id];
    expect(small.targets.map((t) => t.identityId)).toEqual(behind.slice(0, 3).map((i) => i.id));
    expect(small.count).toBe(3);
  });
});

describe('reach shared behind hubs equals a search from every identity', () => {
  const accountTrust: Trust[] = [{ principal: `arn:aws:iam::${ACCOUNT}:root`, kind: 'account', via: 'trust' }];
  const assumeAny = grant(['sts:AssumeRole'], 'write');
  const hubUser = role('hub-user', { entitlements: [assumeAny] });
  const behind = Array.from({ length: 40 }, (_, k) =>
    role(`behind-${String(k).padStart(2, '0')}`, {
      trustedBy: accountTrust,
      // Two of them may assume any role themselves: they are behind the hub and in front of it.
      entitlements: [grant(k % 8 === 0 ? ['*'] : ['s3:GetObject'], k % 8 === 0 ? 'admin' : 'read'), ...(k === 5 || k === 6 ? [assumeAny] : [])],
    }),
  );
  // Reached directly in one hop and through the hub in two: the direct chain is the shorter.
  const side = role('side', { trustedBy: [...trusting(hubUser), ...accountTrust], entitlements: [grant(['iam:*'], 'admin')] });
  // Beyond the hub's roles: reached only through one of them.
  const deeper = role('deeper', { trustedBy: trusting(behind[3]), entitlements: [grant(['*'], 'admin')] });
  const estate = [hubUser, ...behind, side, deeper];
  const graph = buildAccessGraph(estate);
  const full = computeReach(graph, estate, { fullSearchLimit: Number.MAX_SAFE_INTEGER });
  const sharedReach = computeReach(graph, estate, { fullSearchLimit: 0 });
  const search = new ReachSearch(graph.nodes, graph.edges);

  it('gives every identity the same counts, levels, containers, escalations and gains', () => {
    expect(Object.keys(sharedReach.byIdentity).sort()).toEqual(Object.keys(full.byIdentity).sort());
    expect(Object.keys(full.byIdentity).length).toBeGreaterThan(3);
    for (const [id, f] of Object.entries(full.byIdentity)) {
      const { targets: _a, ...want } = f;
      const { targets: _b, ...got } = sharedReach.byIdentity[id];
      expect(got, id).toEqual(want);
    }
    expect(full.byIdentity[behind[5].id].count).toBe(41);
  });

  it('keeps shortest chains that start at the source and end at the target, escalations first', () => {
    for (const [id, r] of Object.entries(sharedReach.byIdentity)) {
      const s = search.index.get(id)!;
      search.search(s);
      expect(r.targets.length).toBeGreaterThanOrEqual(Math.min(r.count, REACH_TARGET_LIMIT));
      expect(r.targets.length).toBeLessThanOrEqual(REACH_TARGET_LIMIT + search.outDegree(s));
      for (const t of r.targets) {
        const v = search.index.get(t.identityId)!;
        expect(t.chain.length, `${id} → ${t.identityId}`).toBe(search.depth[v]);
        expect(graph.edges[t.chain[0]].from).toBe(id);
        expect(graph.edges[t.chain.at(-1)!].to).toBe(t.identityId);
        for (let k = 1; k < t.chain.length; k++) expect(graph.edges[t.chain[k]].from).toBe(graph.edges[t.chain[k - 1]].to);
      }
      const admins = (x: typeof r) => new Set(x.targets.filter((t) => t.level === 'admin').map((t) => t.identityId));
      if (r.escalations <= REACH_TARGET_LIMIT) expect(admins(r), id).toEqual(admins(full.byIdentity[id]));
    }
    const toSide = sharedReach.byIdentity[hubUser.id].targets.find((t) => t.identityId === side.id)!;
    expect(toSide.chain).toHaveLength(1);
  });

  it('answers each identity alike whatever order the identities come in, listed in that order', () => {
    // Identities are answered grouped by the hubs they reach; the answer is listed in input order.
    const reversed = [...estate].reverse();
    const again = computeReach(graph, reversed, { fullSearchLimit: 0 });
    expect(Object.keys(again.byIdentity)).toEqual(reversed.map((i) => i.id).filter((id) => id in sharedReach.byIdentity));
    // Targets are read from the scan's shared store, not own fields: compared as written.
    const written = (r: IdentityReach) => JSON.parse(JSON.stringify(r)) as IdentityReach;
    for (const [id, r] of Object.entries(sharedReach.byIdentity)) {
      expect(written(again.byIdentity[id]), id).toEqual(written(r));
      expect(written(r).targets, id).toEqual(r.targets);
    }
  });

  it('writes each reach with its fields in the report order, targets last and in full', () => {
    const r = sharedReach.byIdentity[hubUser.id];
    const text = JSON.stringify(r);
    expect(Object.keys(JSON.parse(text))).toEqual(['count', 'maxLevel', 'scopes', 'escalations', 'gains', 'targets']);
    expect(r.targets.length).toBeGreaterThan(1);
    expect(JSON.parse(text).targets).toEqual(r.targets);
    // Each read is a fresh list: a caller that sorts or trims it changes nobody else's.
    r.targets.length = 0;
    expect(r.targets.length).toBeGreaterThan(1);
  });

  it('reads what lies behind hubs only until the next such search', () => {
    const hub = graph.nodes.findIndex((n) => n.id.endsWith(':any-role'));
    const first = search.behind([{ node: hub, depth: 1 }]);
    expect(first.has(search.index.get(behind[0].id)!)).toBe(true);
    expect(first.has(search.index.get(hubUser.id)!)).toBe(false);
    expect(first.size).toBeGreaterThan(40);
    search.behind([{ node: hub, depth: 2 }]);
    expect(() => first.has(hub)).toThrow(/after the next one began/);
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

  it('across orgs, a repository with its own template is found even where its org\'s template shuts the subject out', () => {
    const beta = actions('beta', ['tool', 'lib']);
    beta.attributes.oidcSubjectClaimKeysByRepository = { tool: ['repository_owner', 'repository'] };
    const orgs = githubEstate([actions('acme', { api: 1, web: 2 }), beta, actions('zeta', ['api'])]);
    const of = (subject: string) => trustBreadth(orgs, role('r'), oidcTrust(subject));
    expect(of('repository_owner:beta:repository:beta/tool')).toMatchObject({
      organizations: [],
      everyBranch: true,
      pullRequests: true,
      says: 'workflows on any branch and pull request of beta/tool',
    });
    // Two orgs' api repositories: no single repository to name.
    expect(of('repo:????/api:pull_request')).toMatchObject({ organizations: [], says: 'pull-request workflows of the repositories it names' });
    expect(of('repo:beta/*')).toMatchObject({ organizations: ['beta'] });
  });

  it('trusts with the same pattern get equal answers, not one shared object', () => {
    const a = breadth('repo:acme/*');
    const b = trustBreadth(estate, role('other'), oidcTrust('repo:acme/*'));
    expect(b).toEqual(a);
    a!.organizations.push('changed');
    expect(b!.organizations).toEqual(['acme']);
    expect(breadth('repo:acme/*')!.organizations).toEqual(['acme']);
  });

  it('is not judged for trusts that are not GitHub Actions OIDC', () => {
    expect(trustBreadth(estate, role('r'), { principal: 'lambda.amazonaws.com', kind: 'service', via: 't' })).toBeUndefined();
  });
});
