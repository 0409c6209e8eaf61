import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../src/model/inventory.js';
import { normalizeGithub } from '../../../src/providers/github/normalize.js';
import { DEMO_BUNDLE, reader } from './helpers.js';

const identities = normalizeGithub(reader(DEMO_BUNDLE));
const byId = (id: string): Identity => {
  const found = identities.find((i) => i.id === id);
  if (!found) throw new Error(`no identity ${id}; have ${identities.map((i) => i.id).join(', ')}`);
  return found;
};

describe('GitHub demo org acme-corp', () => {
  it('yields every installation, token, SSO credential and deploy key', () => {
    const kinds: Record<string, number> = {};
    for (const i of identities) kinds[i.kind] = (kinds[i.kind] ?? 0) + 1;
    expect(identities).toHaveLength(16);
    expect(kinds).toEqual({
      'github-app-installation': 5,
      'fine-grained-pat': 2,
      'classic-pat': 2,
      'ssh-key': 1,
      'deploy-key': 4,
      'machine-user': 1,
      'github-actions': 1,
    });
    expect(new Set(identities.map((i) => i.id)).size).toBe(16);
    for (const i of identities) {
      expect(i.provider).toBe('github');
      expect(i.agent.verdict).toBe('unknown');
      expect(i.container).toEqual({ type: 'organization', id: 'acme-corp', name: 'Acme Corp' });
    }
  });

  it('marks a suspended installation disabled, with when and by whom', () => {
    const sweep = byId('github:acme-corp:app/sweep-ai');
    expect(sweep.enabled).toBe(false);
    expect(sweep.attributes).toMatchObject({ suspendedAt: '2026-10-02T07:41:30Z', suspendedBy: 'mchen-acme' });
  });

  it('describes the Copilot coding agent installation: org-wide write with workflow risks', () => {
    const copilot = byId('github:acme-corp:app/copilot-swe-agent');
    expect(copilot.kind).toBe('github-app-installation');
    expect(copilot.human).toBe(false);
    expect(copilot.enabled).toBe(true);
    expect(copilot.attributes).toMatchObject({ appSlug: 'copilot-swe-agent', appId: 1143301, installationId: 58214470, repositorySelection: 'all' });
    // GitHub sent +02:00; the inventory holds UTC.
    expect(copilot.createdAt).toBe('2026-05-19T14:02:44Z');
    expect(copilot.trustedBy).toEqual([{ principal: 'copilot-swe-agent', kind: 'app', via: 'installation 58214470' }]);
    expect(copilot.entitlements).toHaveLength(1);
    const [e] = copilot.entitlements;
    expect(e.permissions).toEqual(['contents:write', 'issues:write', 'metadata:read', 'pull_requests:write', 'workflows:write']);
    expect(e).toMatchObject({ resource: 'acme-corp/*', scope: 'organization', level: 'write', standing: true });
    expect(e.via).toEqual({ type: 'installation', name: 'copilot-swe-agent', id: '58214470' });
    expect(e.risks).toEqual(['credential-exposure', 'data-exfiltration', 'infrastructure-modification', 'privilege-escalation']);
  });

  it('keeps Claude, installed on selected repositories, free of risks', () => {
    const claude = byId('github:acme-corp:app/claude');
    expect(claude.attributes.repositorySelection).toBe('selected');
    expect(claude.entitlements).toHaveLength(1);
    expect(claude.entitlements[0]).toMatchObject({ scope: 'resource', level: 'write', risks: [] });
  });

  it('rates the release bot admin and splits its org permissions from its repository permissions', () => {
    const bot = byId('github:acme-corp:app/acme-release-bot');
    const [repos, org] = bot.entitlements;
    expect(repos.level).toBe('admin');
    expect(repos.permissions).toContain('administration:write');
    expect(repos.risks).toEqual(expect.arrayContaining(['privilege-escalation', 'resource-exposure', 'credential-exposure']));
    expect(org).toMatchObject({ permissions: ['members:read'], resource: 'acme-corp', scope: 'organization', level: 'read', risks: [] });
  });

  it("reports mchen's never-expiring cursor-agent token with tracked use", () => {
    const pat = byId('github:acme-corp:fine-grained-pat/7781234');
    expect(pat).toMatchObject({ kind: 'fine-grained-pat', name: 'mchen/cursor-agent', human: true });
    expect(pat.owners).toEqual([{ id: 'mchen', name: 'mchen', kind: 'user', source: 'api', exists: true }]);
    expect(pat.attributes).toMatchObject({ ownerOrgRole: 'member', tokenName: 'cursor-agent', repositorySelection: 'all' });
    const [credential] = pat.credentials;
    expect(credential).toMatchObject({ id: 'token/7781234', type: 'pat-fine-grained', status: 'active', lastUsedAt: '2026-11-19T09:12:09Z' });
    expect(credential.expiresAt).toBeUndefined();
    expect(credential.attributes).toMatchObject({ usageTracked: true, note: 'cursor-agent' });
    expect(pat.entitlements).toHaveLength(1);
    expect(pat.entitlements[0]).toMatchObject({ scope: 'organization', level: 'write', standing: true });
    expect(pat.entitlements[0].risks).toEqual(['data-exfiltration', 'infrastructure-modification']);
  });

  it("treats rpatel's expiring read-only token on chosen repositories as clean and not standing", () => {
    const pat = byId('github:acme-corp:fine-grained-pat/7902216');
    expect(pat.credentials[0].expiresAt).toBe('2026-12-10T07:59:59Z');
    expect(pat.entitlements[0]).toMatchObject({
      permissions: ['contents:read', 'metadata:read'],
      scope: 'resource',
      level: 'read',
      standing: false,
      expiresAt: '2026-12-10T07:59:59Z',
      risks: [],
    });
  });

  it("flags jdoe's classic PAT: admin:org scope, owner no longer in the org", () => {
    const pat = byId('github:acme-corp:classic-pat/3318842');
    expect(pat).toMatchObject({ kind: 'classic-pat', name: 'jdoe/devin agent', human: true, lastUsedAt: '2026-11-17T06:13:55Z' });
    expect(pat.owners).toEqual([{ id: 'jdoe', name: 'jdoe', kind: 'user', source: 'api', exists: false }]);
    expect(pat.attributes.ownerOrgRole).toBe('none');
    const [credential] = pat.credentials;
    expect(credential).toMatchObject({ id: 'credential/3318842', type: 'pat-classic', scopes: ['repo', 'admin:org', 'workflow'] });
    expect(credential.attributes).toMatchObject({ note: 'devin agent', tokenLastEight: 'h3QpZ81v', usageTracked: true });
    expect(credential.expiresAt).toBeUndefined();
    expect(pat.entitlements[0]).toMatchObject({ level: 'admin', scope: 'organization', standing: true, via: { type: 'token-scope', name: 'devin agent' } });
    expect(pat.entitlements[0].risks).toEqual([
      'credential-exposure',
      'data-exfiltration',
      'infrastructure-modification',
      'privilege-escalation',
      'resource-exposure',
    ]);
  });

  it("records sre-bot's backup-mirror token as last used 200 days before collection, and as the machine user's, not a person's", () => {
    const pat = byId('github:acme-corp:classic-pat/2877016');
    expect(pat.owners[0].exists).toBe(true);
    expect(pat.human).toBe(false);
    expect(pat.attributes).toMatchObject({ ownerLogin: 'sre-bot', ownerOrgRole: 'admin', ownerIsMachineUser: true });
    // A person's token stays a person's.
    expect(byId('github:acme-corp:classic-pat/3318842').human).toBe(true);
    expect(byId('github:acme-corp:classic-pat/3318842').attributes.ownerIsMachineUser).toBeUndefined();
    expect(pat.credentials[0].lastUsedAt).toBe('2026-05-04T03:41:17Z');
    expect(pat.entitlements[0].level).toBe('write');
  });

  it("gives kwong's SSH key and the docs/website deploy keys one fingerprint", () => {
    const ssh = byId('github:acme-corp:ssh-key/3490275');
    const docs = byId('github:acme-corp:deploy-key/docs/97311452');
    const website = byId('github:acme-corp:deploy-key/website/97311508');
    expect(ssh.credentials[0].fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(docs.credentials[0].fingerprint).toBe(ssh.credentials[0].fingerprint);
    expect(website.credentials[0].fingerprint).toBe(ssh.credentials[0].fingerprint);
    const others = identities.filter((i) => ![ssh, docs, website].includes(i));
    for (const i of others) expect(i.credentials[0]?.fingerprint).not.toBe(ssh.credentials[0].fingerprint);
    expect(docs.owners).toEqual([{ id: 'kwong', name: 'kwong', kind: 'user', source: 'api', exists: true }]);
  });

  it('describes deploy keys per repository: write keys carry workflow risks, read-only ones are clean', () => {
    const argo = byId('github:acme-corp:deploy-key/infra/108734211');
    expect(argo).toMatchObject({ kind: 'deploy-key', name: 'infra/argo-cd', human: false, createdAt: '2025-10-16T13:20:45Z' });
    expect(argo.owners[0]).toMatchObject({ id: 'jdoe', exists: false });
    expect(argo.entitlements[0]).toMatchObject({ permissions: ['contents:write'], resource: 'acme-corp/infra', scope: 'resource', level: 'write' });
    expect(argo.entitlements[0].risks).toEqual(['credential-exposure', 'privilege-escalation']);

    const evalRunner = byId('github:acme-corp:deploy-key/ml-models/121558907');
    expect(evalRunner.credentials[0]).toMatchObject({ type: 'deploy-key', lastUsedAt: '2026-11-19T22:40:18Z', scopes: ['read'] });
    expect(evalRunner.credentials[0].attributes).toMatchObject({ readOnly: true, usageTracked: true, keyType: 'ssh-ed25519' });
    expect(evalRunner.entitlements[0]).toMatchObject({ permissions: ['contents:read'], level: 'read', risks: [] });
  });

  it('makes sre-bot, an org owner named like a bot, a machine user holding its token', () => {
    const bot = byId('github:acme-corp:machine-user/sre-bot');
    expect(bot).toMatchObject({ kind: 'machine-user', name: 'sre-bot', human: false, credentials: [] });
    expect(bot.attributes).toMatchObject({ login: 'sre-bot', orgRole: 'admin', holds: ['github:acme-corp:classic-pat/2877016'] });
    expect(bot.attributes.machineUserSignals).toEqual(['login "sre-bot" is named like an automation account']);
    expect(bot.entitlements).toEqual([
      expect.objectContaining({ permissions: ['org:owner'], resource: 'acme-corp', level: 'admin', standing: true, via: { type: 'org-role', name: 'owner' } }),
    ]);
    // rpatel holds one automation-named token: a person's script, not a machine.
    expect(identities.some((i) => i.id === 'github:acme-corp:machine-user/rpatel')).toBe(false);
  });

  it("describes the org's Actions workflows: write GITHUB_TOKEN, PR approval, secrets by age, the OIDC subject template", () => {
    const actions = byId('github:acme-corp:actions/workflows');
    expect(actions).toMatchObject({ kind: 'github-actions', human: false });
    expect(actions.entitlements.map((e) => [e.permissions, e.level, e.scope])).toEqual([
      [['github_token:write-all'], 'write', 'organization'],
      [['pull_requests:approve'], 'write', 'organization'],
    ]);
    expect(actions.attributes).toMatchObject({
      defaultWorkflowPermissions: 'write',
      canApprovePullRequestReviews: true,
      oidcSubjectClaimKeys: ['repo', 'context', 'job_workflow_ref'],
      oidcSubjectDefault: false,
      orgSecretCount: 4,
    });
    const secret = actions.credentials.find((c) => c.id === 'secret/NPM_TOKEN')!;
    // The value in use dates from updated_at; the secret's creation is kept beside it.
    expect(secret).toMatchObject({ type: 'ci-secret', createdAt: '2026-09-30T07:45:13Z', status: 'active' });
    expect(secret.attributes).toEqual({ secretName: 'NPM_TOKEN', visibility: 'private', secretCreatedAt: '2025-02-03T09:11:52Z' });
    expect(actions.credentials.map((c) => c.id)).toEqual(['secret/AWS_ACCESS_KEY_ID', 'secret/AWS_SECRET_ACCESS_KEY', 'secret/NPM_TOKEN', 'secret/SLACK_DEPLOY_WEBHOOK']);
  });

  it('lists the repositories of a grant limited to a subset', () => {
    expect(byId('github:acme-corp:fine-grained-pat/7902216').attributes).toMatchObject({ repositorySelection: 'subset', repositories: ['docs', 'website'] });
    expect(byId('github:acme-corp:fine-grained-pat/7781234').attributes.repositories).toBeUndefined();
  });
});
