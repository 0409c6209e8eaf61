import { describe, expect, it } from 'vitest';
import { UNCLASSIFIED } from '../../../src/model/inventory.js';
import { normalizeEntra } from '../../../src/providers/entra/normalize.js';
import { byName, DEMO_BUNDLE, daysBefore, reader, TENANT } from './helpers.js';

const identities = normalizeEntra(reader(DEMO_BUNDLE));

describe('entra demo tenant', () => {
  it('reports every non-Microsoft service principal, by kind', () => {
    expect(identities).toHaveLength(12);
    const kinds = identities.reduce<Record<string, number>>((acc, i) => ({ ...acc, [i.kind]: (acc[i.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ 'service-principal': 9, 'agent-identity': 1, 'managed-identity': 2 });
    expect(identities.map((i) => i.name)).not.toContain('Microsoft Graph');
  });

  it('gives every identity a stable id, the tenant container and no verdict yet', () => {
    for (const identity of identities) {
      expect(identity.id).toMatch(new RegExp(`^entra:${TENANT}:sp/[0-9a-f-]{36}$`));
      expect(identity.id).toBe(`entra:${TENANT}:sp/${identity.attributes.objectId}`);
      expect(identity.container).toEqual({ type: 'tenant', id: TENANT, name: 'Acme Corp' });
      expect(identity.agent).toEqual(UNCLASSIFIED);
      expect(identity.human).toBe(false);
      expect(identity.attributes.usageTracked).toBe(true);
    }
    expect(new Set(identities.map((i) => i.id)).size).toBe(identities.length);
  });

  it('never carries secret material', () => {
    const json = JSON.stringify(identities);
    expect(json).not.toMatch(/secretText|"key":/);
  });

  it('models the Procurement Agent as an agent identity acting through its blueprint', () => {
    const agent = byName(identities, 'Procurement Agent');
    expect(agent.kind).toBe('agent-identity');
    expect(agent.attributes).toMatchObject({
      servicePrincipalType: 'ServiceIdentity',
      odataType: '#microsoft.graph.agentIdentity',
      agentIdentityBlueprintId: '17fd4f11-9104-4ead-8013-a617cec2c0be',
      agentIdentityBlueprintName: 'Procurement Agent Blueprint',
    });
    expect(agent.credentials).toEqual([]);
    expect(agent.trustedBy).toEqual([
      { principal: '17fd4f11-9104-4ead-8013-a617cec2c0be', kind: 'app', via: 'agent identity blueprint Procurement Agent Blueprint' },
    ]);
    expect(agent.entitlements).toEqual([
      expect.objectContaining({
        permissions: ['Sites.Read.All'],
        resource: 'Microsoft Graph',
        scope: 'organization',
        via: expect.objectContaining({ type: 'app-role', name: 'Sites.Read.All' }),
        level: 'read',
        standing: true,
        risks: ['data-exfiltration'],
      }),
    ]);
    expect(agent.owners).toEqual([
      { id: 'b57c8e04-b90c-4413-a133-496d5ce7efca', name: 'priya.raman@acme-corp.com', kind: 'user', source: 'api', exists: true, active: true },
    ]);
    expect(agent.tags).toEqual({ department: 'procurement' });

    const blueprint = byName(identities, 'Procurement Agent Blueprint');
    expect(blueprint.kind).toBe('service-principal');
    expect(blueprint.attributes.agentIdentityBlueprint).toBe(true);
    expect(blueprint.credentials.map((c) => c.type)).toEqual(['certificate']);
  });

  it('HR-Copilot: a two-year secret created 400 days ago, data-reading app roles, its only owner deleted', () => {
    const hr = byName(identities, 'HR-Copilot');
    expect(hr.tags).toEqual({ 'ai-agent': 'true', team: 'people-ops' });
    expect(hr.attributes.spTags).toEqual(['WindowsAzureActiveDirectoryIntegratedApp', 'ai-agent=true', 'team=people-ops']);
    expect(hr.attributes.description).toBe('Answers HR policy questions in Teams from the HR SharePoint sites');
    expect(hr.credentials).toHaveLength(1);
    const secret = hr.credentials[0];
    expect(secret).toMatchObject({
      id: '6df7ea73-177a-4713-ad6c-9943aa135cb0',
      type: 'client-secret',
      status: 'active',
      attributes: { hint: 'Zq8', origin: 'application', usageTracked: true },
    });
    expect(Math.floor(daysBefore(secret.createdAt!))).toBe(400);
    expect((Date.parse(secret.expiresAt!) - Date.parse(secret.createdAt!)) / 86_400_000).toBe(730);
    expect(Math.floor(daysBefore(secret.lastUsedAt!))).toBe(3);
    expect(hr.entitlements.map((e) => e.permissions[0])).toEqual(['Sites.Read.All', 'User.Read.All']);
    expect(hr.owners).toEqual([
      expect.objectContaining({ id: '6e0e0c0a-e137-45fe-a7bd-f25552db3d6c', name: 'marcus.lindqvist@acme-corp.com', exists: false }),
    ]);
    // A deleted owner can no longer add credentials, so it is not a trust path.
    expect(hr.trustedBy).toEqual([]);
  });

  it('Contoso GPT Connector: a third-party app with admin consent to read everyone\'s mail and files', () => {
    const contoso = byName(identities, 'Contoso GPT Connector');
    expect(contoso.attributes).toMatchObject({
      thirdParty: true,
      ownApp: false,
      appOwnerOrganizationId: 'dfe87fe0-c77f-4035-b894-d00d2808781b',
      signInAudience: 'AzureADMultipleOrgs',
      verifiedPublisher: 'Contoso AI Ltd',
    });
    expect(contoso.entitlements).toEqual([
      expect.objectContaining({
        permissions: ['Mail.Read', 'Files.Read.All', 'offline_access'],
        resource: 'Microsoft Graph',
        scope: 'organization',
        via: expect.objectContaining({ type: 'delegated-grant' }),
        onBehalfOf: 'AllPrincipals',
        level: 'read',
        standing: true,
        risks: ['data-exfiltration'],
      }),
    ]);
    expect(contoso.credentials).toEqual([]);
  });

  it('Meeting Notes AI: three people\'s own delegated consents, from an unverified publisher', () => {
    const notes = byName(identities, 'Meeting Notes AI');
    expect(notes.attributes.thirdParty).toBe(true);
    expect(notes.attributes.verifiedPublisher).toBeUndefined();
    const consent = (onBehalfOf: string, permissions: string[]) =>
      expect.objectContaining({ permissions, scope: 'resource', onBehalfOf, via: expect.objectContaining({ type: 'delegated-grant', name: 'user consent' }) });
    expect(notes.entitlements).toEqual([
      consent('4da47662-1a2e-4b6f-94eb-0b401b9688d7', ['Calendars.Read', 'OnlineMeetings.Read']),
      consent('d7f7b281-bdd7-4e29-8cfa-d9bdca8ec6ed', ['Calendars.Read', 'OnlineMeetings.Read']),
      consent('b57c8e04-b90c-4413-a133-496d5ce7efca', ['Calendars.Read', 'OnlineMeetings.Read', 'Notes.Read']),
    ]);
    expect(notes.attributes.lastDelegatedSignInAt).toBeDefined();
    expect(notes.attributes.lastAppOnlySignInAt).toBeUndefined();
  });

  it('mi-automation-runbook: a managed identity holding Global Administrator permanently', () => {
    const mi = byName(identities, 'mi-automation-runbook');
    expect(mi.kind).toBe('managed-identity');
    expect(mi.attributes).toMatchObject({ servicePrincipalType: 'ManagedIdentity', managedIdentityType: 'user-assigned', thirdParty: false });
    expect(mi.attributes.azureResourceId).toMatch(/\/userAssignedIdentities\/mi-automation-runbook$/);
    expect(mi.entitlements).toEqual([
      {
        permissions: ['Global Administrator'],
        resource: TENANT,
        scope: 'organization',
        via: { type: 'directory-role', name: 'Global Administrator', id: '62e90394-69f5-4237-9190-012177145e10' },
        level: 'admin',
        standing: true,
        risks: ['privilege-escalation', 'credential-exposure', 'infrastructure-modification', 'data-exfiltration'],
        effect: 'allow',
      },
    ]);
  });

  it('ops-agent: Privileged Role Administrator only through PIM eligibility', () => {
    const ops = byName(identities, 'ops-agent');
    const role = ops.entitlements.find((e) => e.via.type === 'directory-role');
    expect(role).toMatchObject({ permissions: ['Privileged Role Administrator'], level: 'admin', standing: false, risks: ['privilege-escalation'] });
    expect(role?.expiresAt).toBeUndefined();
    const appRole = ops.entitlements.find((e) => e.via.type === 'app-role');
    expect(appRole).toMatchObject({ permissions: ['User.Read.All'], level: 'read', standing: true, risks: [] });
    expect(ops.credentials[0]).toMatchObject({ type: 'certificate', status: 'active' });
    expect(ops.credentials[0].fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(ops.trustedBy).toEqual([{ principal: 'tomas.silva@acme-corp.com', kind: 'user', via: 'owner of the application' }]);
  });

  it('gh-deploy: a flexible federated credential trusting every acme-corp repository', () => {
    const deploy = byName(identities, 'gh-deploy');
    expect(deploy.credentials).toEqual([
      expect.objectContaining({
        type: 'federated',
        status: 'active',
        attributes: expect.objectContaining({
          name: 'acme-corp-any-repo',
          issuer: 'https://token.actions.githubusercontent.com',
          claimsMatchingExpression: "claims['sub'] matches 'repo:acme-corp/*'",
        }),
      }),
    ]);
    expect(deploy.trustedBy).toContainEqual({
      principal: 'https://token.actions.githubusercontent.com',
      kind: 'federated',
      via: 'federated credential acme-corp-any-repo',
      subject: 'repo:acme-corp/*',
      condition: "claims['sub'] matches 'repo:acme-corp/*'",
    });
    expect(deploy.entitlements).toEqual([
      expect.objectContaining({
        permissions: ['Application.ReadWrite.OwnedBy'],
        scope: 'resource',
        level: 'write',
        risks: ['privilege-escalation', 'credential-exposure'],
      }),
    ]);
  });

  it('gh-infra-oidc: a federated credential pinned to one repository environment', () => {
    const infra = byName(identities, 'gh-infra-oidc');
    expect(infra.trustedBy.filter((t) => t.kind === 'federated')).toEqual([
      {
        principal: 'https://token.actions.githubusercontent.com',
        kind: 'federated',
        via: 'federated credential infra-production',
        subject: 'repo:acme-corp/infra:environment:production',
      },
    ]);
    expect(infra.entitlements).toEqual([]);
    expect(infra.owners.map((o) => o.name)).toEqual(['priya.raman@acme-corp.com', 'tomas.silva@acme-corp.com']);
  });

  it('legacy-sync: expired secret still present, unused certificate, tier-0 app role, a disabled owner and an owning app', () => {
    const legacy = byName(identities, 'legacy-sync');
    const secret = legacy.credentials.find((c) => c.type === 'client-secret')!;
    expect(secret).toMatchObject({ id: 'c59aa739-2df7-4971-a637-e891dc8bfc49', status: 'inactive', attributes: { hint: '8Kp' } });
    expect(Math.floor(daysBefore(secret.expiresAt!))).toBe(60);
    expect(Math.floor(daysBefore(secret.lastUsedAt!))).toBe(200);
    const cert = legacy.credentials.find((c) => c.type === 'certificate')!;
    expect(cert).toMatchObject({ id: 'c58e3600-6e74-45c2-8a70-17ff10c484a4', status: 'active', attributes: { usageTracked: true } });
    expect(cert.lastUsedAt).toBeUndefined();
    expect(legacy.entitlements).toEqual([
      expect.objectContaining({ permissions: ['RoleManagement.ReadWrite.Directory'], level: 'admin', risks: ['privilege-escalation'] }),
    ]);
    expect(Math.floor(daysBefore(legacy.lastUsedAt!))).toBe(200);
    expect(legacy.owners).toEqual([
      expect.objectContaining({ name: 'dana.okafor@acme-corp.com', exists: true, active: false }),
      expect.objectContaining({ id: 'a9de0930-238f-48df-ad4f-e7e5b31edd8b', name: 'gh-deploy', kind: 'service-principal' }),
    ]);
    // The disabled person cannot act as it; the owning app (gh-deploy) can add a credential.
    expect(legacy.trustedBy).toEqual([{ principal: 'gh-deploy', kind: 'app', via: 'owner of the application' }]);
  });

  it('report-exporter: no owners, a 6-month secret, usage reports only', () => {
    const exporter = byName(identities, 'report-exporter');
    expect(exporter.owners).toEqual([]);
    const secret = exporter.credentials[0];
    expect(Math.floor(daysBefore(secret.createdAt!))).toBe(30);
    expect((Date.parse(secret.expiresAt!) - Date.parse(secret.createdAt!)) / 86_400_000).toBe(180);
    expect(exporter.entitlements).toEqual([expect.objectContaining({ permissions: ['Reports.Read.All'], level: 'read', risks: [] })]);
  });

  it('mi-vector-indexer: Sites.Selected, signed in yesterday', () => {
    const indexer = byName(identities, 'mi-vector-indexer');
    expect(indexer.kind).toBe('managed-identity');
    expect(indexer.entitlements).toEqual([expect.objectContaining({ permissions: ['Sites.Selected'], scope: 'resource', level: 'read', risks: [] })]);
    expect(Math.floor(daysBefore(indexer.lastUsedAt!))).toBe(1);
    expect(indexer.owners).toEqual([]);
  });
});
