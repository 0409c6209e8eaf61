import { beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../../src/model/inventory.js';
import { UNCLASSIFIED } from '../../../src/model/inventory.js';
import { normalizeAws } from '../../../src/providers/aws/normalize.js';
import { demoReader } from './helpers.js';

// The demo account (acme-prod, 314159265358), collected 2026-11-20T09:30:00Z.

let identities: Identity[];
const byName = (name: string) => {
  const found = identities.find((i) => i.name === name);
  if (!found) throw new Error(`no identity ${name}`);
  return found;
};

beforeAll(() => {
  identities = normalizeAws(demoReader());
});

describe('AWS demo account', () => {
  it('holds the root user, five IAM users and eighteen roles; the service-linked role is provider-managed', () => {
    expect(identities).toHaveLength(24);
    const kinds = identities.reduce<Record<string, number>>((n, i) => ({ ...n, [i.kind]: (n[i.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ root: 1, 'iam-user': 5, 'iam-role': 18 });
    expect(byName('AWSServiceRoleForSupport')).toMatchObject({
      owners: [{ id: 'support.amazonaws.com', kind: 'resource', source: 'api' }],
      attributes: { providerManaged: 'AWS service-linked role of support.amazonaws.com' },
    });
    expect(new Set(identities.map((i) => i.id)).size).toBe(24);
  });

  it('reads role descriptions from ListRoles; a bundle from before that call has none, and still loads', () => {
    expect(byName('ticket-digest-worker').attributes.description).toMatch(/LangGraph workflow\. Owner: ml-platform/);
    expect(byName('platform-admin').attributes.description).toBeUndefined();
  });

  it('roles only people reach are human: MFA in every trust, an Identity Center SAML sign-in', () => {
    expect(byName('platform-admin')).toMatchObject({ human: true, attributes: { humanGate: 'every trust requires MFA' } });
    expect(byName('platform-admin').trustedBy[0].gates).toEqual(['mfa']);
    const sso = identities.find((i) => i.name.startsWith('AWSReservedSSO_ReadOnly'))!;
    expect(sso).toMatchObject({ human: true, attributes: { humanGate: 'IAM Identity Center permission set' } });
    expect(sso.trustedBy[0]).toMatchObject({ protocol: 'saml', audience: 'https://signin.aws.amazon.com/saml' });
    expect(byName('vendor-audit').trustedBy[0].gates).toEqual(['external-id']);
    expect(byName('bedrock-triage-agent').human).toBe(false);
  });

  it('a grant whose time window closed before the collection is listed but ineffective', () => {
    const [grant] = byName('data-migration-2025').entitlements;
    expect(grant).toMatchObject({ level: 'read', risks: [], standing: false, ineffective: 'its time window ended 2025-06-30T00:00:00.000Z' });
    expect(byName('data-migration-2025').attributes.effectivePermissions).toMatchObject({ actions: 0 });
  });

  it('a permissions boundary is said in one line: what it leaves of what the policies grant', () => {
    expect(byName('sandbox-runner').attributes.limitedBy).toMatch(/^permissions boundary acme-sandbox-boundary leaves \d+ of \d+ granted actions \(cloudwatch, dynamodb, logs, s3\)$/);
    expect(byName('legacy-break-glass').attributes.limitedBy).toBeUndefined();
  });

  it('NotAction is kept as what the grant excludes', () => {
    const power = byName('bedrock-triage-agent').entitlements.find((e) => e.via.name === 'PowerUserAccess')!;
    expect(power.permissions).toEqual(expect.arrayContaining(['*', 'iam:CreateServiceLinkedRole']));
    expect(power.notPermissions).toEqual(expect.arrayContaining(['iam:*', 'organizations:*']));
  });

  it('qualifies ids by account, names the account by its alias, and leaves classification for later', () => {
    expect(byName('bedrock-triage-agent').id).toBe('aws:314159265358:role/bedrock-triage-agent');
    expect(byName('jane.doe').id).toBe('aws:314159265358:user/jane.doe');
    expect(byName('root').id).toBe('aws:314159265358:root');
    for (const identity of identities) {
      expect(identity.provider).toBe('aws');
      expect(identity.container).toEqual({ type: 'account', id: '314159265358', name: 'acme-prod' });
      expect(identity.agent).toEqual(UNCLASSIFIED);
    }
  });

  it('bedrock-triage-agent: trusted by Bedrock, PowerUserAccess plus PassRole and CreateFunction on *, owner from tag', () => {
    const role = byName('bedrock-triage-agent');
    expect(role.trustedBy).toEqual([
      expect.objectContaining({ principal: 'bedrock.amazonaws.com', kind: 'service', via: 'AssumeRolePolicyDocument.Statement[0] (BedrockAgentAssume)' }),
    ]);
    expect(role.trustedBy[0].condition).toContain('aws:SourceAccount');
    expect(role.tags).toMatchObject({ team: 'support', owner: 'priya.nair@acme.example' });
    expect(role.owners).toEqual([{ id: 'priya.nair@acme.example', kind: 'user', source: 'tag' }]);
    expect(role.lastUsedAt).toBe('2026-11-20T07:58:13.000Z');
    expect(role.attributes).toMatchObject({ roleLastUsedRegion: 'us-east-1', usageTracked: true, path: '/' });

    // triage-automation's two Allow-on-* statements are one grant.
    const inline = role.entitlements.filter((e) => e.via.name === 'triage-automation');
    expect(inline).toEqual([
      {
        permissions: ['lambda:CreateFunction', 'lambda:InvokeFunction', 'iam:PassRole'],
        resource: '*',
        scope: 'global',
        via: { type: 'inline-policy', name: 'triage-automation' },
        level: 'write',
        standing: true,
        risks: ['privilege-escalation', 'infrastructure-modification'],
        effect: 'allow',
      },
    ]);

    const powerUser = role.entitlements.filter((e) => e.via.name === 'PowerUserAccess');
    expect(powerUser).toHaveLength(1);
    // NotAction iam:*/organizations:*/account:* on *, plus a few named IAM actions: write, not admin.
    expect(powerUser[0]).toMatchObject({
      permissions: ['*', 'iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles',
        'organizations:DescribeOrganization', 'account:ListRegions', 'account:GetAccountInformation'],
      level: 'write',
      standing: true,
      via: { type: 'managed-policy', id: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      condition: JSON.stringify([{ permissions: ['*'], NotAction: ['iam:*', 'organizations:*', 'account:*'] }]),
    });
    expect(powerUser[0].risks).toEqual(expect.arrayContaining(['data-exfiltration', 'credential-exposure', 'resource-exposure']));
    expect(role.entitlements.some((e) => e.level === 'admin')).toBe(false);
  });

  it('github-actions-deploy trusts GitHub OIDC with no sub condition; gha-terraform-plan is pinned to one branch', () => {
    const unpinned = byName('github-actions-deploy').trustedBy;
    expect(unpinned).toHaveLength(1);
    expect(unpinned[0]).toMatchObject({
      kind: 'federated',
      principal: 'arn:aws:iam::314159265358:oidc-provider/token.actions.githubusercontent.com',
    });
    expect(unpinned[0].subject).toBeUndefined();
    expect(unpinned[0].condition).toContain('token.actions.githubusercontent.com:aud');

    const pinned = byName('gha-terraform-plan').trustedBy;
    expect(pinned).toEqual([expect.objectContaining({ kind: 'federated', subject: 'repo:acme-corp/infra:ref:refs/heads/main' })]);

    // acme-deploy's default version (v2) is read, not the older v1.
    const deploy = byName('github-actions-deploy').entitlements;
    expect(deploy.map((e) => e.via.name)).toEqual(['acme-deploy', 'acme-deploy', 'acme-deploy']);
    expect(deploy[2]).toMatchObject({
      permissions: ['iam:PassRole'],
      resource: 'arn:aws:iam::314159265358:role/ecs-task-*',
      scope: 'resource',
      risks: ['privilege-escalation'],
      standing: true,
    });
    expect(deploy[2].condition).toContain('iam:PassedToService');
  });

  it('shared-ml-runner is trusted by three services and tagged as an AI workload', () => {
    const role = byName('shared-ml-runner');
    expect(role.trustedBy.map((t) => [t.kind, t.principal])).toEqual([
      ['service', 'lambda.amazonaws.com'],
      ['service', 'sagemaker.amazonaws.com'],
      ['service', 'ec2.amazonaws.com'],
    ]);
    expect(role.tags.workload).toBe('ai-agent');
    expect(role.attributes.instanceProfiles).toEqual(['shared-ml-runner']);
    expect(role.entitlements.find((e) => e.permissions.includes('bedrock:InvokeModel'))).toMatchObject({ resource: '*', level: 'read' });
    expect(role.entitlements).toHaveLength(2);
  });

  it('vendor-audit is trusted by an external account behind an ExternalId; legacy-break-glass by anyone', () => {
    expect(byName('vendor-audit').trustedBy).toEqual([
      expect.objectContaining({ principal: 'arn:aws:iam::999988887777:root', kind: 'account', external: true }),
    ]);
    expect(byName('vendor-audit').trustedBy[0].condition).toContain('sts:ExternalId');
    expect(byName('vendor-audit').entitlements.map((e) => e.level)).toEqual(['read']);

    const glass = byName('legacy-break-glass');
    expect(glass.trustedBy).toEqual([{ principal: '*', kind: 'any', external: true, via: 'AssumeRolePolicyDocument.Statement[0]' }]);
    expect(glass.entitlements).toEqual([
      expect.objectContaining({ permissions: ['*'], level: 'admin', scope: 'global', standing: true, via: expect.objectContaining({ name: 'AdministratorAccess' }) }),
    ]);
    expect(glass.entitlements[0].risks).toHaveLength(5);
    expect(glass.lastUsedAt).toBe('2026-01-24T22:03:19.000Z');
  });

  it('svc-llm-ingest: one key, 200 days old, never used; agent tag, no owner, permissions boundary', () => {
    const user = byName('svc-llm-ingest');
    expect(user.human).toBe(false);
    expect(user.owners).toEqual([]);
    expect(user.tags['ai-agent']).toBe('document-ingest');
    expect(user.attributes).toMatchObject({
      hasConsolePassword: false,
      permissionsBoundary: 'arn:aws:iam::314159265358:policy/acme-workload-boundary',
    });
    expect(user.credentials).toHaveLength(1);
    const [key] = user.credentials;
    expect(key).toMatchObject({ type: 'access-key', status: 'active', createdAt: '2026-05-04T13:49:02.000Z', attributes: { usageTracked: true } });
    expect(key.id).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.lastUsedAt).toBeUndefined();
    expect(key.lastUsedService).toBeUndefined();
    expect(user.lastUsedAt).toBeUndefined();
    // Three statements on three different resources stay three grants; Textract analysis only reads.
    expect(user.entitlements.map((e) => [e.resource, e.level])).toEqual([
      ['arn:aws:s3:::acme-ingest-raw, arn:aws:s3:::acme-ingest-raw/*', 'read'],
      ['arn:aws:s3:::acme-ingest-embeddings/*', 'write'],
      ['*', 'read'],
    ]);
  });

  it('jane.doe: a person (console password, MFA) whose key was last used on Bedrock yesterday', () => {
    const user = byName('jane.doe');
    expect(user.human).toBe(true);
    expect(user.attributes).toMatchObject({ hasConsolePassword: true, mfaActive: true, groups: ['developers'] });
    const password = user.credentials.find((c) => c.type === 'password');
    expect(password).toMatchObject({ lastUsedAt: '2026-11-19T15:22:10.000Z', expiresAt: '2026-11-30T09:14:51.000Z' });
    const key = user.credentials.find((c) => c.type === 'access-key');
    expect(key).toMatchObject({ lastUsedService: 'bedrock', lastUsedAt: '2026-11-19T21:47:00.000Z' });
    // Group grants come through, named "<group>/<policy>".
    expect(user.entitlements.map((e) => e.via)).toEqual([
      { type: 'group-policy', name: 'developers/bedrock-playground', id: 'arn:aws:iam::314159265358:group/developers' },
      { type: 'group-policy', name: 'developers/ReadOnlyAccess', id: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    ]);
  });

  it('ci-deployer: two active keys (412 and 30 days old) and AdministratorAccess through group deployers', () => {
    const user = byName('ci-deployer');
    expect(user.human).toBe(false);
    expect(user.credentials.map((c) => [c.status, c.createdAt, c.lastUsedAt])).toEqual([
      ['active', '2025-10-04T14:12:09.000Z', '2026-11-18T22:41:00.000Z'],
      ['active', '2026-10-21T08:03:51.000Z', '2026-11-19T17:05:00.000Z'],
    ]);
    expect(user.entitlements).toEqual([
      expect.objectContaining({
        via: { type: 'group-policy', name: 'deployers/AdministratorAccess', id: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        level: 'admin',
        standing: true,
      }),
    ]);
  });

  it('old-chatbot: key last used 250 days ago, owner from tag, dynamodb:* on *', () => {
    const user = byName('old-chatbot');
    expect(user.owners).toEqual([{ id: 'tom.baker@acme.example', kind: 'user', source: 'tag' }]);
    expect(user.credentials[0]).toMatchObject({ lastUsedAt: '2026-03-15T04:16:00.000Z', lastUsedService: 'dynamodb' });
    expect(user.entitlements).toEqual([
      // dynamodb:* includes dynamodb:PutResourcePolicy, a "Permissions management" action: resource exposure.
      expect.objectContaining({
        permissions: ['dynamodb:*'],
        resource: '*',
        scope: 'global',
        level: 'write',
        risks: ['resource-exposure', 'data-exfiltration', 'infrastructure-modification'],
      }),
    ]);
  });

  it('reporting-bot and support-copilot-agentcore are read-only; the copilot is held to one bucket', () => {
    expect(byName('reporting-bot').entitlements.map((e) => e.level)).toEqual(['read']);
    const copilot = byName('support-copilot-agentcore');
    expect(copilot.trustedBy.map((t) => t.principal)).toEqual(['bedrock-agentcore.amazonaws.com']);
    expect(copilot.entitlements.map((e) => [e.level, e.scope, e.resource])).toEqual([
      ['read', 'resource', 'arn:aws:s3:::acme-support-kb/*'],
      ['read', 'resource', 'arn:aws:s3:::acme-support-kb'],
    ]);
  });

  it('root: an active access key last used 95 days ago, known only from the credential report', () => {
    const root = byName('root');
    expect(root.kind).toBe('root');
    expect(root.attributes).toEqual({
      arn: 'arn:aws:iam::314159265358:root',
      mfaActive: true,
      passwordLastUsed: '2026-06-02T18:40:11.000Z',
    });
    expect(root.lastUsedAt).toBe('2026-08-17T03:12:00.000Z');
    expect(root.credentials).toHaveLength(1);
    const [key] = root.credentials;
    expect(key).toMatchObject({
      id: '<root_account>/access_key_1',
      status: 'active',
      createdAt: '2023-01-17T10:05:44.000Z',
      lastUsedAt: '2026-08-17T03:12:00.000Z',
      lastUsedService: 's3',
      attributes: { usageTracked: true, source: 'credential-report' },
    });
  });

  it('never puts a secret in a credential id', () => {
    for (const c of identities.flatMap((i) => i.credentials)) {
      expect(c.id).toMatch(/^(AKIA[A-Z2-7]{16}|[^/]+\/(access_key_[12]|console-password|cert_[12]))$/);
    }
  });
});
