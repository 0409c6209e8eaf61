import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmuAccount, EmuEstate, EmuProject, Json } from './gcp.js';

// Estates for the GCP emulator: the demo project read back from fixtures/demo (so a live scan
// can be compared with `scan --demo`), and a small organisation (org → folder → projects) for
// inheritance, cross-project principals, conditions and the Cloud Asset plan.

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Json;

function pages(dir: string, prefix: string, key: string): Json[] {
  const out: Json[] = [];
  for (let n = 1; existsSync(join(dir, `${prefix}.page-${n}.json`)); n++) {
    out.push(...((readJson(join(dir, `${prefix}.page-${n}.json`))[key] as Json[] | undefined) ?? []));
  }
  return out;
}

/** The demo bundle's project, every response as the bundle stores it; its parent folder answers with an empty policy. */
export function estateFromDemo(sourceDir: string): EmuEstate {
  const project = readJson(join(sourceDir, 'cloudresourcemanager-projects-get.json')) as EmuProject['project'];
  const accounts: EmuAccount[] = pages(sourceDir, 'iam-projects-serviceAccounts-list', 'accounts').map((account) => {
    const email = String(account.email);
    return {
      account: account as EmuAccount['account'],
      keys: readJson(join(sourceDir, 'iam-projects-serviceAccounts-keys-list', `${email}.json`)),
      policy: readJson(join(sourceDir, 'iam-projects-serviceAccounts-getIamPolicy', `${email}.json`)),
    };
  });
  return {
    folders: [{ folder: { name: project.parent!, parent: 'organizations/510293847561', displayName: 'ML', state: 'ACTIVE' }, policy: { etag: 'BwX1' } }],
    organizations: [{ organization: { name: 'organizations/510293847561', displayName: 'acme.example', state: 'ACTIVE' }, policy: { etag: 'BwX2' } }],
    projects: [
      {
        project,
        policy: readJson(join(sourceDir, 'cloudresourcemanager-projects-getIamPolicy.json')),
        accounts,
        pools: pages(sourceDir, 'iam-projects-locations-workloadIdentityPools-list', 'workloadIdentityPools').map((pool) => {
          const name = String(pool.name);
          const id = name.slice(name.lastIndexOf('/') + 1);
          return { pool: pool as Json & { name: string }, providers: pages(sourceDir, `iam-projects-locations-workloadIdentityPools-providers-list/${id}`, 'workloadIdentityPoolProviders') };
        }),
        activities: {
          serviceAccountLastAuthentication: pages(sourceDir, 'policyanalyzer-activities-query.serviceAccountLastAuthentication', 'activities'),
          serviceAccountKeyLastAuthentication: pages(sourceDir, 'policyanalyzer-activities-query.serviceAccountKeyLastAuthentication', 'activities'),
        },
      },
    ],
  };
}

export const ORG = '1000000001';
export const FOLDER = '2000000002';
export const DATA = { id: 'acme-data', number: '300000000003' };
export const APPS = { id: 'acme-apps', number: '400000000004' };
export const SANDBOX = { id: 'acme-sandbox', number: '500000000005' };
export const sa = (local: string, project: string) => `${local}@${project}.iam.gserviceaccount.com`;
export const TERRAFORM = sa('terraform', APPS.id);
export const ETL = sa('etl', APPS.id);
export const DEPLOYER = sa('deployer', APPS.id);
export const LOADER = sa('loader', DATA.id);
export const ANALYST = sa('analyst', DATA.id);
export const AGENT_PRINCIPAL = `principal://agents.global.org-${ORG}.system.id.goog/resources/aiplatform/projects/${DATA.number}/locations/us-central1/reasoningEngines/7001`;
export const TEMP_EXPIRY = '2026-12-31T00:00:00Z';
export const ETL_KEY = 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0';

function account(project: string, local: string, uniqueId: string, extra: Json = {}): EmuAccount['account'] {
  return { name: `projects/${project}/serviceAccounts/${sa(local, project)}`, projectId: project, uniqueId, email: sa(local, project), oauth2ClientId: uniqueId, etag: 'MDEwMjE5MjA=', ...extra };
}

const role = (name: string, permissions: string[], title = name) => ({ name, title, includedPermissions: permissions, stage: 'GA', etag: 'AA==' });

/**
 * acme.example (org 1000000001)
 * ├── folder "data" (2000000002): group:data-admins may mint tokens for every account below, until 2026-12-31
 * │   └── acme-data: loader, analyst; grants etl@acme-apps BigQuery reads and a custom key-minting role
 * ├── acme-apps (under the org): terraform (roles/owner at the org), etl (a key), deployer (GitHub via a pool)
 * └── acme-sandbox: DELETE_REQUESTED, so not collected
 */
export function orgEstate(): EmuEstate {
  const conditional = {
    role: 'roles/iam.serviceAccountTokenCreator',
    members: ['group:data-admins@acme.example'],
    condition: { title: 'until year end', expression: `request.time < timestamp("${TEMP_EXPIRY}")` },
  };
  return {
    organizations: [
      {
        organization: { name: `organizations/${ORG}`, displayName: 'acme.example', directoryCustomerId: 'C01abcde', state: 'ACTIVE' },
        policy: { version: 1, etag: 'BwYorg=', bindings: [{ role: 'roles/owner', members: [`serviceAccount:${TERRAFORM}`, 'user:ceo@acme.example'] }, { role: 'roles/viewer', members: ['domain:acme.example'] }] },
        roles: [role(`organizations/${ORG}/roles/auditReader`, ['resourcemanager.projects.get', 'iam.serviceAccounts.list'])],
      },
    ],
    folders: [{ folder: { name: `folders/${FOLDER}`, parent: `organizations/${ORG}`, displayName: 'data', state: 'ACTIVE' }, policy: { version: 3, etag: 'BwYfld=', bindings: [conditional] } }],
    projects: [
      {
        project: { name: `projects/${DATA.number}`, projectId: DATA.id, parent: `folders/${FOLDER}`, state: 'ACTIVE', displayName: 'Acme Data' },
        policy: {
          version: 1,
          etag: 'BwYdata=',
          bindings: [
            { role: 'roles/bigquery.dataViewer', members: [`serviceAccount:${ETL}`, `serviceAccount:${LOADER}`] },
            { role: `projects/${DATA.id}/roles/keyMinter`, members: [`serviceAccount:${ETL}`] },
            { role: `organizations/${ORG}/roles/auditReader`, members: [`serviceAccount:${ANALYST}`] },
            { role: 'roles/aiplatform.user', members: [`serviceAccount:service-${DATA.number}@gcp-sa-aiplatform.iam.gserviceaccount.com`, AGENT_PRINCIPAL] },
          ],
        },
        accounts: [
          {
            account: account(DATA.id, 'loader', '110000000000000000001', { displayName: 'loader', description: 'Loads partner files. owner: data-admins@acme.example' }),
            keys: {},
            policy: { etag: 'ACAB' },
          },
          {
            account: account(DATA.id, 'analyst', '110000000000000000002', { disabled: true }),
            keys: {},
            policy: { version: 1, etag: 'BwYa=', bindings: [{ role: 'roles/iam.serviceAccountTokenCreator', members: [AGENT_PRINCIPAL] }] },
          },
        ],
        activities: {
          serviceAccountLastAuthentication: [
            {
              activityType: 'serviceAccountLastAuthentication',
              fullResourceName: `//iam.googleapis.com/projects/${DATA.id}/serviceAccounts/${LOADER}`,
              activity: { lastAuthenticatedTime: '2026-11-18T08:00:00Z', serviceAccount: { fullResourceName: `//iam.googleapis.com/projects/${DATA.id}/serviceAccounts/${LOADER}`, projectNumber: DATA.number, serviceAccountId: '110000000000000000001' } },
              observationPeriod: { startTime: '2026-08-20T07:00:00Z', endTime: '2026-11-18T07:00:00Z' },
            },
          ],
          serviceAccountKeyLastAuthentication: [],
        },
        roles: [role(`projects/${DATA.id}/roles/keyMinter`, ['iam.serviceAccountKeys.create', 'iam.serviceAccounts.get'], 'Key minter')],
      },
      {
        project: { name: `projects/${APPS.number}`, projectId: APPS.id, parent: `organizations/${ORG}`, state: 'ACTIVE', displayName: 'Acme Apps' },
        policy: { version: 1, etag: 'BwYapps=', bindings: [{ role: 'roles/iam.serviceAccountUser', members: [`serviceAccount:${LOADER}`] }] },
        accounts: [
          { account: account(APPS.id, 'terraform', '120000000000000000001', { displayName: 'Terraform' }), keys: {}, policy: { etag: 'ACAB' } },
          {
            account: account(APPS.id, 'etl', '120000000000000000002'),
            keys: {
              keys: [
                {
                  name: `projects/${APPS.id}/serviceAccounts/${ETL}/keys/${ETL_KEY}`,
                  validAfterTime: '2025-03-01T10:00:00Z',
                  validBeforeTime: '9999-12-31T23:59:59Z',
                  keyAlgorithm: 'KEY_ALG_RSA_2048',
                  keyOrigin: 'GOOGLE_PROVIDED',
                  keyType: 'USER_MANAGED',
                },
              ],
            },
            policy: { etag: 'ACAB' },
          },
          {
            account: account(APPS.id, 'deployer', '120000000000000000003', { description: 'GitHub Actions deploys' }),
            keys: {},
            policy: {
              version: 1,
              etag: 'BwYd=',
              bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [`principalSet://iam.googleapis.com/projects/${APPS.number}/locations/global/workloadIdentityPools/github/attribute.repository/acme/app`] }],
            },
          },
        ],
        activities: { serviceAccountLastAuthentication: [], serviceAccountKeyLastAuthentication: [] },
        pools: [
          {
            pool: { name: `projects/${APPS.number}/locations/global/workloadIdentityPools/github`, displayName: 'GitHub', state: 'ACTIVE' },
            providers: [
              {
                name: `projects/${APPS.number}/locations/global/workloadIdentityPools/github/providers/actions`,
                state: 'ACTIVE',
                attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
                attributeCondition: "assertion.repository_owner == 'acme'",
                oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
              },
            ],
          },
        ],
      },
      {
        project: { name: `projects/${SANDBOX.number}`, projectId: SANDBOX.id, parent: `organizations/${ORG}`, state: 'DELETE_REQUESTED' },
        accounts: [{ account: account(SANDBOX.id, 'old', '130000000000000000001'), keys: {}, policy: { etag: 'ACAB' } }],
      },
    ],
    roles: [
      role('roles/owner', ['resourcemanager.projects.setIamPolicy', 'iam.serviceAccounts.actAs', 'storage.objects.get', 'compute.instances.create']),
      role('roles/viewer', ['resourcemanager.projects.get', 'storage.buckets.list']),
      role('roles/bigquery.dataViewer', ['bigquery.tables.getData', 'bigquery.tables.list']),
      role('roles/iam.serviceAccountTokenCreator', ['iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.signBlob', 'iam.serviceAccounts.signJwt']),
      role('roles/iam.serviceAccountUser', ['iam.serviceAccounts.actAs', 'iam.serviceAccounts.get']),
      role('roles/iam.workloadIdentityUser', ['iam.serviceAccounts.getAccessToken']),
      role('roles/aiplatform.user', ['aiplatform.endpoints.predict']),
    ],
  };
}

/** `count` projects under one organisation with `accounts` accounts each (for the call-plan benchmark). */
export function syntheticOrg(count: number, accounts: number): EmuEstate {
  const projects: EmuProject[] = [];
  for (let p = 0; p < count; p++) {
    const id = `bench-${String(p).padStart(4, '0')}`;
    const list: EmuAccount[] = [];
    for (let a = 0; a < accounts; a++) {
      const uid = `1${String(p).padStart(5, '0')}${String(a).padStart(14, '0')}`;
      list.push({ account: account(id, `sa-${a}`, uid), keys: a % 10 === 0 ? { keys: [{ name: `projects/${id}/serviceAccounts/${sa(`sa-${a}`, id)}/keys/${uid.padEnd(40, 'a').slice(0, 40)}`, validAfterTime: '2026-01-01T00:00:00Z', validBeforeTime: '9999-12-31T23:59:59Z', keyType: 'USER_MANAGED' }] } : {}, policy: { etag: 'ACAB' } });
    }
    projects.push({
      project: { name: `projects/${600000000000 + p}`, projectId: id, parent: `organizations/${ORG}`, state: 'ACTIVE' },
      policy: { etag: 'BwY=', bindings: [{ role: 'roles/viewer', members: [`serviceAccount:${sa('sa-0', id)}`] }] },
      accounts: list,
      activities: { serviceAccountLastAuthentication: [], serviceAccountKeyLastAuthentication: [] },
    });
  }
  return {
    organizations: [{ organization: { name: `organizations/${ORG}`, displayName: 'bench.example' }, policy: { etag: 'BwY=' } }],
    projects,
    roles: [role('roles/viewer', ['resourcemanager.projects.get'])],
  };
}

/** Files of a folder, for comparing bundles. */
export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
