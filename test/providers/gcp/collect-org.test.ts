import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Identity } from '../../../src/model/inventory.js';
import { GcpEmulator } from '../../emulators/gcp.js';
import { discoveryProblems } from '../../emulators/gcp-discovery.js';
import {
  AGENT_PRINCIPAL,
  ANALYST,
  APPS,
  DATA,
  DEPLOYER,
  ETL,
  ETL_KEY,
  FOLDER,
  LOADER,
  ORG,
  orgEstate,
  SANDBOX,
  TEMP_EXPIRY,
  TERRAFORM,
} from '../../emulators/gcp-estate.js';
import { removeScratch } from '../aws/collect-helpers.js';
import { collectInProcess, identitiesOf, keyFileEnv, useEnv, watchSockets } from './collect-helpers.js';

// An organisation (org → folder → projects) collected with the Cloud Asset plan and with the
// per-project plan: bindings made on the organisation and the folder reach the accounts below,
// a grant in one project to another project's account lands on that account, conditions with
// an expiry are not standing, and both plans describe the estate the same way.

let emulator: GcpEmulator;
let sockets: ReturnType<typeof watchSockets>;
let org: Awaited<ReturnType<typeof collectInProcess>>;
let orgIds: Identity[];
const id = (ids: Identity[], email: string) => {
  const found = ids.find((i) => i.name === email);
  if (!found) throw new Error(`no identity ${email}`);
  return found;
};

beforeAll(async () => {
  emulator = await GcpEmulator.start({ estate: orgEstate(), pageSize: 2 });
  sockets = watchSockets();
  useEnv(keyFileEnv(emulator));
  org = await collectInProcess({ organization: ORG, concurrency: 2 });
  orgIds = identitiesOf(org.dir);
  vi.unstubAllEnvs();
});
afterEach(() => vi.unstubAllEnvs());
afterAll(async () => {
  sockets.restore();
  await emulator.close();
  removeScratch();
  expect([...new Set(sockets.hosts)]).toEqual(['127.0.0.1']);
});

describe('gcp collect --gcp-organization (Cloud Asset plan)', () => {
  it('collects the ACTIVE projects of the organisation, and the organisation and roles as their own sources', () => {
    expect(org.result.plan).toBe('cloud-asset');
    expect(org.result.projects).toEqual([APPS.id, DATA.id]);
    expect(org.manifest.sources.map((s) => s.scope).sort()).toEqual([APPS.id, DATA.id, `organizations-${ORG}`, 'roles']);
    expect(org.manifest.sources.map((s) => s.scope)).not.toContain(SANDBOX.id);
    expect(org.manifest.coverage.filter((c) => c.status !== 'ok')).toEqual([]);
  });

  it('asks Cloud Asset with repeated assetTypes keys, and every answer is documented', () => {
    const searches = emulator.requests.filter((r) => r.methodId === 'cloudasset.searchAllResources');
    expect(searches.length).toBeGreaterThanOrEqual(2);
    expect(searches.every((r) => r.status === 200 && r.query.getAll('assetTypes').every((t) => !t.includes(',')))).toBe(true);
    expect(new Set(searches.map((r) => r.query.getAll('assetTypes').join(' ')))).toEqual(
      new Set([
        'cloudresourcemanager.googleapis.com/Project cloudresourcemanager.googleapis.com/Folder',
        'iam.googleapis.com/ServiceAccount iam.googleapis.com/ServiceAccountKey iam.googleapis.com/Role iam.googleapis.com/WorkloadIdentityPool iam.googleapis.com/WorkloadIdentityPoolProvider',
      ]),
    );
    expect(emulator.requests.flatMap(discoveryProblems)).toEqual([]);
  });

  it('does not list accounts, pools or roles or read policies project by project; keys only for the account that has one', () => {
    const counts = emulator.counts();
    for (const m of ['iam.projects.serviceAccounts.list', 'iam.projects.serviceAccounts.getIamPolicy', 'cloudresourcemanager.projects.getIamPolicy', 'iam.projects.roles.list', 'iam.projects.locations.workloadIdentityPools.list']) {
      expect(counts[m], m).toBeUndefined();
    }
    expect(emulator.requests.filter((r) => r.methodId === 'iam.projects.serviceAccounts.keys.list').map((r) => decodeURIComponent(r.path))).toEqual([
      `/v1/projects/${APPS.id}/serviceAccounts/${ETL}/keys`,
    ]);
  });

  it('roles/owner made on the organisation is an entitlement of terraform@acme-apps, shown where it was made and judged on the role permissions', () => {
    const owner = id(orgIds, TERRAFORM).entitlements.find((e) => e.via.name === 'roles/owner')!;
    expect(owner).toMatchObject({ resource: `organizations/${ORG}`, scope: 'organization', level: 'admin', standing: true });
    expect(owner.risks).toEqual(expect.arrayContaining(['privilege-escalation', 'resource-exposure']));
  });

  it('the organisation owner can act as every account of every project below (inherited trust)', () => {
    for (const email of [ETL, DEPLOYER, LOADER, ANALYST]) {
      expect(id(orgIds, email).trustedBy).toContainEqual({ principal: TERRAFORM, kind: 'service-account', external: false, via: `roles/owner on organizations/${ORG}` });
    }
  });

  it('a time-bound folder grant reaches the accounts below the folder only, with its condition', () => {
    const trust = { principal: 'data-admins@acme.example', kind: 'group', via: `roles/iam.serviceAccountTokenCreator on folders/${FOLDER}`, condition: `request.time < timestamp("${TEMP_EXPIRY}")` };
    expect(id(orgIds, LOADER).trustedBy).toContainEqual(trust);
    expect(id(orgIds, ANALYST).trustedBy).toContainEqual(trust);
    expect(id(orgIds, ETL).trustedBy.map((t) => t.principal)).not.toContain('data-admins@acme.example');
  });

  it('a grant in acme-data to etl@acme-apps lands on that account, and a custom role is judged on its permissions', () => {
    const etl = id(orgIds, ETL);
    expect(etl.entitlements.map((e) => [e.via.name, e.resource, e.level])).toEqual([
      ['roles/bigquery.dataViewer', `projects/${DATA.id}`, 'read'],
      [`projects/${DATA.id}/roles/keyMinter`, `projects/${DATA.id}`, 'admin'],
    ]);
    expect(etl.entitlements[1].risks).toEqual(['credential-exposure', 'privilege-escalation']);
    // Holding iam.serviceAccountKeys.create on acme-data lets etl act as every account there; it is not external.
    expect(id(orgIds, LOADER).trustedBy).toContainEqual({ principal: ETL, kind: 'service-account', external: false, via: `projects/${DATA.id}/roles/keyMinter on projects/${DATA.id}` });
    expect(etl.credentials.map((c) => c.id)).toEqual([ETL_KEY]);
  });

  it('an organisation custom role is read from the organisation', () => {
    const audit = id(orgIds, ANALYST).entitlements.find((e) => e.via.name === `organizations/${ORG}/roles/auditReader`)!;
    expect(audit).toMatchObject({ level: 'read', risks: [] });
  });

  it('a Vertex AI Agent Engine agent principal is recognised as an app of the same organisation; a service agent is no identity', () => {
    expect(id(orgIds, ANALYST).trustedBy).toContainEqual({
      principal: AGENT_PRINCIPAL.slice('principal://'.length),
      kind: 'app',
      external: false,
      via: `roles/iam.serviceAccountTokenCreator on projects/${DATA.id}/serviceAccounts/${ANALYST}`,
    });
    expect(orgIds.map((i) => i.name).some((n) => n.startsWith('service-'))).toBe(false);
  });

  it('a Vertex AI Agent Engine agent holding grants is an agent identity of its project, with what it was granted', () => {
    const agent = orgIds.find((i) => i.kind === 'agent-identity')!;
    expect(agent).toMatchObject({
      id: `gcp:${DATA.id}:agent/us-central1/7001`,
      provider: 'gcp',
      name: AGENT_PRINCIPAL.slice('principal://'.length),
      container: { type: 'project', id: DATA.id, name: 'Acme Data' },
      credentials: [],
      attributes: { reasoningEngine: '7001', location: 'us-central1', organization: `org-${ORG}` },
    });
    expect(agent.entitlements.map((e) => [e.via.name, e.resource, e.level])).toEqual([
      ['roles/aiplatform.user', `projects/${DATA.id}`, 'write'],
      ['roles/iam.serviceAccountTokenCreator', `projects/${DATA.id}/serviceAccounts/${ANALYST}`, 'write'],
    ]);
    expect(agent.entitlements[1].risks).toContain('privilege-escalation');
  });

  it('keeps disabled state, descriptions and the workload identity provider behind a federated trust', () => {
    expect(id(orgIds, ANALYST).enabled).toBe(false);
    expect(id(orgIds, LOADER).owners).toEqual([{ id: 'data-admins@acme.example', kind: 'group', source: 'tag', exists: true }]);
    expect(id(orgIds, DEPLOYER).attributes.workloadIdentityProviders).toEqual([
      {
        pool: `projects/${APPS.number}/locations/global/workloadIdentityPools/github`,
        provider: `projects/${APPS.number}/locations/global/workloadIdentityPools/github/providers/actions`,
        issuer: 'https://token.actions.githubusercontent.com',
        attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
        attributeCondition: "assertion.repository_owner == 'acme'",
        disabled: false,
      },
    ]);
  });

  it('Policy Analyzer activity sets lastUsedAt; an account it did not report was not used in the window', () => {
    expect(id(orgIds, LOADER).lastUsedAt).toBe('2026-11-18T08:00:00Z');
    expect(id(orgIds, ETL)).toMatchObject({ attributes: { usageTracked: true } });
    expect(id(orgIds, ETL).lastUsedAt).toBeUndefined();
  });
});

describe('gcp collect: the same organisation, project by project', () => {
  it('gives the same identities as the Cloud Asset plan', async () => {
    emulator.reset();
    useEnv(keyFileEnv(emulator));
    const byProject = await collectInProcess({ projects: [APPS.id, DATA.id] });
    expect(byProject.result.plan).toBe('projects');
    expect(byProject.manifest.coverage.filter((c) => c.status !== 'ok')).toEqual([]);
    // The per-project plan walks up from each project: the folder gets a source of its own.
    expect(byProject.manifest.sources.map((s) => s.scope).sort()).toEqual([APPS.id, DATA.id, `folders-${FOLDER}`, `organizations-${ORG}`, 'roles']);
    expect(identitiesOf(byProject.dir)).toEqual(orgIds);
  });

  it('falls back to Resource Manager listing when Cloud Asset is not enabled, and says the asset data was replaced', async () => {
    emulator.reset([{ match: /:search/, kind: 'disabled', service: 'cloudasset.googleapis.com' }]);
    useEnv(keyFileEnv(emulator));
    const fallback = await collectInProcess({ organization: ORG });
    expect(fallback.result.plan).toBe('projects');
    expect(fallback.result.projects).toEqual([APPS.id, DATA.id]);
    const skipped = fallback.manifest.coverage.filter((c) => c.status === 'skipped');
    expect(skipped.map((c) => c.call).sort()).toEqual(['cloudasset.searchAllIamPolicies', 'cloudasset.searchAllResources(hierarchy)', 'cloudasset.searchAllResources(iam)']);
    expect(skipped[0].message).toMatch(/SERVICE_DISABLED: .*gcloud services enable cloudasset\.googleapis\.com.*; collected per project instead$/);
    expect(fallback.manifest.coverage.filter((c) => c.status === 'error')).toEqual([]);
    expect(identitiesOf(fallback.dir)).toEqual(orgIds);
  });

  it('a failed organisation policy read is an error: inherited grants are unknown, and the bundle says so', async () => {
    emulator.reset([{ match: new RegExp(`organizations/${ORG}:getIamPolicy`), kind: 'denied' }]);
    useEnv(keyFileEnv(emulator));
    const c = await collectInProcess({ projects: [APPS.id, DATA.id] });
    expect(c.manifest.coverage.filter((e) => e.status === 'error')).toEqual([
      expect.objectContaining({ scope: `organizations-${ORG}`, call: 'cloudresourcemanager.organizations.getIamPolicy', message: expect.stringMatching(/^PERMISSION_DENIED/) }),
    ]);
    const ids = identitiesOf(c.dir);
    expect(id(ids, TERRAFORM).entitlements).toEqual([]);
  });
});

describe('gcp collect: call plan', () => {
  it('Cloud Asset calls grow with result pages, not with accounts', () => {
    const assetCalls = org.result.calls.get(`organizations-${ORG}`)!.counted();
    const searches = assetCalls.filter(([a]) => a.startsWith('cloudasset.')).reduce((n, [, c]) => n + c.calls, 0);
    // Pages of 2: 3 projects + 1 folder; 6 accounts + 1 key + 2 roles + 1 pool + 1 provider;
    // 6 resources with bindings (organisation, folder, 2 projects, 2 accounts).
    expect(searches).toBe(2 + 6 + 3);
    const perProject = [APPS.id, DATA.id].map((p) => org.result.calls.get(p)!.counted().reduce((n, [, c]) => n + c.calls, 0));
    // Policy Analyzer twice, and keys.list for the one account with a key.
    expect(perProject).toEqual([3, 2]);
  });
});
