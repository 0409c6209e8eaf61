import { describe, expect, it } from 'vitest';
import { buildAccessGraph } from '../../src/facts/reach/build.js';
import type { Identity } from '../../src/model/inventory.js';
import { actions, ACCOUNT, grant, githubWriter, oidcTrust, role, serviceAccount, servicePrincipal } from './reach-helpers.js';

// Each provider's hops, from normalized identities: which edges exist, and which must not.

const edgesOf = (identities: Identity[]) => buildAccessGraph(identities).edges.map((e) => `${e.from} -> ${e.to} [${e.kind}]`);
const into = (identities: Identity[], to: string) => buildAccessGraph(identities).edges.filter((e) => e.to === to);

describe('GitHub OIDC trusts of AWS roles', () => {
  const repos = actions('acme', { api: 42, web: 43 });

  it('a StringLike repo:acme/* admits every repository of the org: one edge from the org node', () => {
    const r = role('deploy', { trustedBy: [oidcTrust('repo:acme/*')] });
    expect(into([repos, r], r.id).map((e) => e.from)).toEqual(['github:workflow:acme/*']);
  });

  it('an exact repo:acme/api:ref:refs/heads/main admits only acme/api', () => {
    const r = role('deploy', { trustedBy: [oidcTrust('repo:acme/api:ref:refs/heads/main')] });
    expect(into([repos, r], r.id).map((e) => e.from)).toEqual(['github:workflow:acme/api']);
  });

  it('another organisation, or an exact subject under a template that never produces it, admits none', () => {
    const other = role('other', { trustedBy: [oidcTrust('repo:elsewhere/*')] });
    expect(into([repos, other], other.id)).toEqual([]);
    // The org's template builds sub from repo, context and job_workflow_ref: an exact repo+ref subject never matches.
    const custom = actions('acme', { api: 42 }, ['repo', 'context', 'job_workflow_ref']);
    const exact = role('exact', { trustedBy: [oidcTrust('repo:acme/api:ref:refs/heads/main')] });
    expect(into([custom, exact], exact.id)).toEqual([]);
    const pinned = role('pinned', { trustedBy: [oidcTrust('repo:acme/api:ref:refs/heads/main:job_workflow_ref:*')] });
    expect(into([custom, pinned], pinned.id).map((e) => e.from)).toEqual(['github:workflow:acme/api']);
  });

  it('a subject template with repository_id is matched by the repository ids the listing gave', () => {
    const byId = actions('acme', { api: 42, web: 43 }, ['repository_owner_id', 'repository_id', 'context'], 100);
    const r = role('by-id', { trustedBy: [oidcTrust('repository_owner_id:100:repository_id:43:*')] });
    expect(into([byId, r], r.id).map((e) => e.from)).toEqual(['github:workflow:acme/web']);
    const repoStyle = role('repo-style', { trustedBy: [oidcTrust('repo:acme/web:*')] });
    expect(into([byId, repoStyle], repoStyle.id)).toEqual([]);
  });

  it('without repository ids in the bundle, a repository_id subject matches on the other claims, said as a condition', () => {
    const namesOnly = actions('acme', ['api', 'web'], ['repository_owner_id', 'repository_id', 'context'], 100);
    const r = role('by-id', { trustedBy: [oidcTrust('repository_owner_id:100:repository_id:43:*')] });
    const edges = into([namesOnly, r], r.id);
    expect(edges.map((e) => e.from).sort()).toEqual(['github:workflow:acme/api', 'github:workflow:acme/web']);
    expect(edges[0].condition).toContain('if the repository_id the subject names is this repository');
    const otherOwner = role('other-owner', { trustedBy: [oidcTrust('repository_owner_id:999:repository_id:43:*')] });
    expect(into([namesOnly, otherOwner], otherOwner.id)).toEqual([]);
  });

  it('a trust with no subject admits any repository on GitHub, scanned orgs included', () => {
    const r = role('open', { trustedBy: [oidcTrust()] });
    const edges = edgesOf([repos, r]);
    expect(edges).toContain(`github:workflow:* -> ${r.id} [oidc-trust]`);
    expect(edges).toContain('github:workflow:acme/* -> github:workflow:* [includes]');
  });
});

describe('who can change a repository\'s workflows', () => {
  it('workflows:write on every repository, a write deploy key on one, not a read-only key or a read token', () => {
    const app = githubWriter('acme', 'coder', ['contents:write', 'workflows:write'], 'acme/*');
    const key = githubWriter('acme', 'deployer', ['contents:write'], 'acme/api', 'deploy-key');
    const readKey = githubWriter('acme', 'reader', ['contents:read'], 'acme/web', 'deploy-key');
    const bot = githubWriter('acme', 'formatter', ['contents:write'], 'acme/*');
    const edges = edgesOf([actions('acme', { api: 1, web: 2 }), app, key, readKey, bot]);
    expect(edges).toContain(`${app.id} -> github:workflow:acme/* [workflow-write]`);
    expect(edges).toContain(`${key.id} -> github:workflow:acme/api [workflow-write]`);
    expect(edges).toContain(`${bot.id} -> github:workflow:acme/* [code-write]`);
    expect(edges.some((e) => e.startsWith(readKey.id))).toBe(false);
  });
});

describe('AWS role chains', () => {
  it('same-account trust naming a role needs nothing more; across accounts the caller must hold sts:AssumeRole', () => {
    const caller = role('caller');
    const target = role('target', { trustedBy: [{ principal: caller.attributes.arn as string, kind: 'role', via: 'trust' }] });
    expect(into([caller, target], target.id).map((e) => e.from)).toEqual([caller.id]);
    const foreign = role('foreign', { account: '222222222222' });
    const crossTarget = role('cross', { trustedBy: [{ principal: foreign.attributes.arn as string, kind: 'role', via: 'trust' }] });
    expect(into([foreign, crossTarget], crossTarget.id)).toEqual([]);
    const allowed = role('foreign', { account: '222222222222', entitlements: [grant(['sts:AssumeRole'], 'write', { resource: `arn:aws:iam::${ACCOUNT}:role/cross` })] });
    expect(into([allowed, crossTarget], crossTarget.id).map((e) => e.from)).toEqual([allowed.id]);
  });

  it('a trust naming the account lets in principals allowed sts:AssumeRole on the role, unless a Deny takes it away', () => {
    const target = role('target', { trustedBy: [{ principal: `arn:aws:iam::${ACCOUNT}:root`, kind: 'account', via: 'trust', external: false }] });
    const named = role('named', { entitlements: [grant(['sts:AssumeRole'], 'write', { resource: `arn:aws:iam::${ACCOUNT}:role/target` })] });
    const elsewhere = role('elsewhere', { entitlements: [grant(['sts:AssumeRole'], 'write', { resource: `arn:aws:iam::${ACCOUNT}:role/other-*` })] });
    const denied = role('denied', {
      entitlements: [grant(['sts:AssumeRole'], 'write', { resource: `arn:aws:iam::${ACCOUNT}:role/*` }), grant(['sts:*'], 'write', { effect: 'deny' })],
    });
    expect(into([target, named, elsewhere, denied], target.id).map((e) => e.from)).toEqual([named.id]);
  });

  it('a role trusting a service is reachable by whoever may pass it and start that service', () => {
    const fn = role('fn-role', { trustedBy: [{ principal: 'lambda.amazonaws.com', kind: 'service', via: 'trust' }] });
    const passer = role('passer', { entitlements: [grant(['iam:PassRole', 'lambda:CreateFunction'], 'write')] });
    const passOnly = role('pass-only', { entitlements: [grant(['iam:PassRole'], 'write')] });
    const toEcs = role('to-ecs', {
      entitlements: [grant(['iam:PassRole', 'lambda:CreateFunction'], 'write', { condition: '{"Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}' })],
    });
    // PassRole on every role goes through one hub per service; a PassRole on the named role is a direct hop.
    const hub = `aws:${ACCOUNT}:passable-to:lambda.amazonaws.com`;
    const all = [fn, passer, passOnly, toEcs];
    expect(into(all, fn.id).filter((e) => e.kind === 'pass-role').map((e) => e.from)).toEqual([hub]);
    expect(into(all, hub).map((e) => e.from)).toEqual([passer.id]);
    const named = role('named', { entitlements: [grant(['iam:PassRole'], 'write', { resource: fn.attributes.arn as string }), grant(['lambda:CreateFunction'], 'write')] });
    expect(into([fn, named], fn.id).filter((e) => e.kind === 'pass-role').map((e) => e.from)).toEqual([named.id]);
  });

  it('a PassRole grant for another service does not hide a later one that passes any role (AmazonDynamoDBFullAccess beside AdministratorAccess)', () => {
    const fn = role('fn-role', { trustedBy: [{ principal: 'lambda.amazonaws.com', kind: 'service', via: 'trust' }] });
    const admin = role('admin', {
      entitlements: [
        grant(['iam:PassRole'], 'write', { condition: '[{"permissions":["iam:PassRole"],"Condition":{"StringLike":{"iam:PassedToService":["dax.amazonaws.com"]}}}]' }),
        grant(['*'], 'admin', { via: { type: 'managed-policy', name: 'AdministratorAccess' } }),
      ],
    });
    const hub = `aws:${ACCOUNT}:passable-to:lambda.amazonaws.com`;
    expect(into([fn, admin], fn.id).filter((e) => e.kind === 'pass-role').map((e) => e.from)).toEqual([hub]);
    expect(into([fn, admin], hub)).toMatchObject([{ from: admin.id, evidence: expect.stringContaining('AdministratorAccess') }]);
  });

  it('an unconditioned AssumeRole grant says the hop is open even when a conditioned one comes first', () => {
    const target = role('target', { trustedBy: [{ principal: `arn:aws:iam::${ACCOUNT}:root`, kind: 'account', via: 'trust', external: false }] });
    const conditioned = grant(['sts:AssumeRole'], 'write', { condition: '{"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}' });
    const both = role('both', { entitlements: [conditioned, grant(['sts:AssumeRole'], 'write', { resource: `arn:aws:iam::${ACCOUNT}:role/target` })] });
    // Its conditioned wildcard goes through the account's hub for that condition; the grant on the role is a hop of its own, open.
    const edges = into([target, both], target.id);
    const direct = edges.filter((e) => e.from === both.id);
    expect(direct).toHaveLength(1);
    expect(direct[0].condition).toBeUndefined();
    expect(edges.filter((e) => e.from !== both.id).map((e) => e.from)).toEqual([expect.stringMatching(new RegExp(`^aws:${ACCOUNT}:any-role:`))]);
    // Every role, unconditioned, after a conditioned grant: the account's any-role hub, not a conditioned hop per role.
    const anywhere = role('anywhere', { entitlements: [conditioned, grant(['*'], 'admin')] });
    expect(into([target, anywhere], target.id).map((e) => e.from)).toEqual([`aws:${ACCOUNT}:any-role`]);
  });

  it('an MFA-gated trust is drawn but gated', () => {
    const caller = role('caller');
    const target = role('target', { trustedBy: [{ principal: caller.attributes.arn as string, kind: 'role', via: 'trust', gates: ['mfa'] }] });
    expect(into([caller, target], target.id)[0]).toMatchObject({ gated: 'MFA', condition: 'requires MFA' });
  });
});

describe('GCP impersonation and workload identity pools', () => {
  const POOL = '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github';
  const provider = (attributeCondition?: string) => ({
    pool: 'projects/123/locations/global/workloadIdentityPools/github',
    provider: 'projects/123/locations/global/workloadIdentityPools/github/providers/gh',
    issuer: 'https://token.actions.githubusercontent.com',
    attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository', 'attribute.ref': 'assertion.ref' },
    ...(attributeCondition ? { attributeCondition } : {}),
    disabled: false,
  });
  const pooled = (subject: string | undefined, condition?: string) =>
    serviceAccount('p', 'deployer', {
      trustedBy: [{ principal: POOL, kind: 'federated', via: 'roles/iam.workloadIdentityUser on projects/p/serviceAccounts/deployer@p.iam.gserviceaccount.com', ...(subject ? { subject } : {}) }],
      attributes: { workloadIdentityProviders: [provider(condition)] },
    });
  const repos = actions('acme', { api: 1, web: 2 });

  it('token creator and key admin bindings become hops from the holder, with the holder\'s grant as root cause', () => {
    const holder = serviceAccount('p', 'helper', { entitlements: [grant(['roles/iam.serviceAccountTokenCreator'], 'admin', { resource: 'projects/p', via: { type: 'role-binding', name: 'roles/iam.serviceAccountTokenCreator' } })] });
    const target = serviceAccount('p', 'owner', {
      trustedBy: [
        { principal: holder.attributes.email as string, kind: 'service-account', via: 'roles/iam.serviceAccountTokenCreator on projects/p' },
        { principal: 'someone@example.com', kind: 'user', via: 'roles/iam.serviceAccountKeyAdmin on projects/p' },
      ],
    });
    // Granted on the project: through one hub for every account of the project.
    const edges = into([holder, target], target.id);
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ from: 'gcp:projects/p:roles/iam.serviceAccountTokenCreator', kind: 'token-creator' });
    expect(into([holder, target], edges[0].from)).toEqual([
      expect.objectContaining({ from: holder.id, kind: 'token-creator', rootKey: 'grant:role-binding:roles/iam.serviceAccountTokenCreator@projects/p' }),
    ]);
    const others = Array.from({ length: 5 }, (_, k) => serviceAccount('p', `sa-${k}`, { trustedBy: [target.trustedBy[0]] }));
    const graph = buildAccessGraph([holder, target, ...others]);
    expect(graph.edges.filter((e) => e.kind === 'token-creator')).toHaveLength(1 + 1 + others.length);
  });

  it('the whole pool with an owner condition admits every repository of that org, and none of another', () => {
    const sa = pooled(undefined, "assertion.repository_owner == 'acme'");
    expect(into([repos, sa], sa.id).map((e) => e.from)).toEqual(['github:workflow:acme/*']);
    const other = pooled(undefined, "assertion.repository_owner == 'someone-else'");
    expect(into([repos, other], other.id)).toEqual([]);
  });

  it('a principalSet on attribute.repository admits that repository only', () => {
    const sa = pooled('attribute.repository=acme/web', "assertion.repository_owner == 'acme'");
    expect(into([repos, sa], sa.id).map((e) => e.from)).toEqual(['github:workflow:acme/web']);
  });

  it('a condition on a per-run claim (ref) is an edge under that condition, said', () => {
    const sa = pooled('attribute.repository=acme/api', "assertion.ref == 'refs/heads/main'");
    const [edge] = into([repos, sa], sa.id);
    expect(edge.from).toBe('github:workflow:acme/api');
    expect(edge.condition).toContain("attribute condition assertion.ref == 'refs/heads/main'");
  });
});

describe('Entra ownership, tenant-wide credential rights and federated credentials', () => {
  const T = 'tenant-1';
  it('an owning app that may write the apps it owns becomes them; one that may not is gated', () => {
    const owner = servicePrincipal(T, 'o-1', 'deployer', { entitlements: [grant(['Application.ReadWrite.OwnedBy'], 'write', { via: { type: 'app-role', name: 'Application.ReadWrite.OwnedBy' } })] });
    const plain = servicePrincipal(T, 'o-2', 'plain');
    const owned = (ownerSp: Identity) =>
      servicePrincipal(T, 't-1', 'tier0', {
        owners: [{ id: ownerSp.attributes.objectId as string, name: ownerSp.name, kind: 'service-principal', source: 'api' }],
        trustedBy: [{ principal: ownerSp.name, kind: 'app', via: 'owner of the application' }],
      });
    expect(into([owner, owned(owner)], `entra:${T}:sp/t-1`)[0]).toMatchObject({ from: owner.id, kind: 'app-owner' });
    expect(into([plain, owned(plain)], `entra:${T}:sp/t-1`)[0]).toMatchObject({ from: plain.id, gated: 'Application.ReadWrite.OwnedBy' });
  });

  it('Application.ReadWrite.All reaches every app of the tenant through one hub, managed identities excepted', () => {
    const admin = servicePrincipal(T, 'a-1', 'app-admin', { entitlements: [grant(['Application.ReadWrite.All'], 'admin', { via: { type: 'app-role', name: 'Application.ReadWrite.All' } })] });
    const app = servicePrincipal(T, 'b-1', 'app');
    const mi = servicePrincipal(T, 'm-1', 'mi', { kind: 'managed-identity' });
    const edges = edgesOf([admin, app, mi]);
    expect(edges).toContain(`${admin.id} -> entra:${T}:any-application [credential-admin]`);
    expect(edges).toContain(`entra:${T}:any-application -> ${app.id} [add-credential]`);
    expect(edges.some((e) => e.endsWith(`${mi.id} [add-credential]`))).toBe(false);
  });

  it('a federated credential\'s exact subject admits its repository; a claims pattern admits what it matches', () => {
    const fic = (subject: string) =>
      servicePrincipal(T, 'f-1', 'fic', { trustedBy: [{ principal: 'https://token.actions.githubusercontent.com', kind: 'federated', via: 'federated credential x', subject }] });
    const repos = actions('acme', { api: 1, web: 2 });
    expect(into([repos, fic('repo:acme/web:environment:prod')], `entra:${T}:sp/f-1`).map((e) => e.from)).toEqual(['github:workflow:acme/web']);
    expect(into([repos, fic('repo:acme/*')], `entra:${T}:sp/f-1`).map((e) => e.from)).toEqual(['github:workflow:acme/*']);
  });
});
