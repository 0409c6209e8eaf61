import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entity, TenantEstate } from './entra-graph.js';

// Emulator estates: the demo tenant read back from a bundle (so a live scan can be compared
// with `scan --demo`), and a synthetic tenant of any size for the call-count benchmark.

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { value: Entity[] };

function pages(dir: string, base: string): Entity[] {
  if (existsSync(join(dir, `${base}.json`))) return json(join(dir, `${base}.json`)).value;
  const out: Entity[] = [];
  for (let n = 1; existsSync(join(dir, `${base}.page-${n}.json`)); n++) out.push(...json(join(dir, `${base}.page-${n}.json`)).value);
  return out;
}

function perObject(dir: string, sub: string): Record<string, Entity[]> {
  const out: Record<string, Entity[]> = {};
  if (!existsSync(join(dir, sub))) return out;
  for (const f of readdirSync(join(dir, sub))) out[f.replace(/\.json$/, '')] = json(join(dir, sub, f)).value;
  return out;
}

/** The tenant a bundle's source folder holds. Owners are users that exist unless the bundle
 * lists them as deleted; each keeps the accountEnabled its owner listing showed. */
export function estateFromBundle(sourceDir: string, tenantId: string): TenantEstate {
  const spOwners = perObject(sourceDir, 'servicePrincipals-owners');
  const appOwners = perObject(sourceDir, 'applications-owners');
  const sponsors = perObject(sourceDir, 'servicePrincipals-sponsors');
  const deleted = new Set(pages(sourceDir, 'directory-deletedItems-users').map((u) => u.id));
  const users = new Map<string, Entity>();
  for (const list of [...Object.values(spOwners), ...Object.values(appOwners), ...Object.values(sponsors)]) {
    for (const o of list) {
      if (o['@odata.type'] !== '#microsoft.graph.user' || deleted.has(o.id)) continue;
      const { '@odata.type': _t, ...user } = o;
      void _t;
      users.set(o.id, user as Entity);
    }
  }
  return {
    tenantId,
    organization: pages(sourceDir, 'organization'),
    servicePrincipals: pages(sourceDir, 'servicePrincipals'),
    applications: pages(sourceDir, 'applications'),
    oauth2PermissionGrants: pages(sourceDir, 'oauth2PermissionGrants'),
    roleAssignments: pages(sourceDir, 'roleManagement-directory-roleAssignments'),
    roleEligibilitySchedules: pages(sourceDir, 'roleManagement-directory-roleEligibilitySchedules'),
    spOwners,
    appRoleAssignments: perObject(sourceDir, 'servicePrincipals-appRoleAssignments'),
    sponsors,
    appOwners,
    federatedIdentityCredentials: perObject(sourceDir, 'applications-federatedIdentityCredentials'),
    users: [...users.values()],
    servicePrincipalSignInActivities: pages(sourceDir, 'reports-servicePrincipalSignInActivities'),
    appCredentialSignInActivities: pages(sourceDir, 'reports-appCredentialSignInActivities'),
  };
}

const guid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** `sps` service principals (the first `apps` of them with an application object of their own),
 * each application with an owner, a secret and a federated credential. */
export function syntheticEstate(tenantId: string, sps: number, apps: number): TenantEstate {
  const estate: TenantEstate = {
    tenantId,
    organization: [{ id: tenantId, displayName: 'Synthetic', verifiedDomains: [] }],
    servicePrincipals: [],
    applications: [],
    oauth2PermissionGrants: [],
    roleAssignments: [],
    roleEligibilitySchedules: [],
    spOwners: {},
    appRoleAssignments: {},
    sponsors: {},
    appOwners: {},
    federatedIdentityCredentials: {},
    users: [],
    servicePrincipalSignInActivities: [],
    appCredentialSignInActivities: [],
  };
  for (let i = 0; i < sps; i++) {
    const appId = guid(2, i);
    estate.servicePrincipals.push({ id: guid(1, i), appId, displayName: `sp-${i}`, servicePrincipalType: 'Application', appOwnerOrganizationId: tenantId, accountEnabled: true });
    if (i < apps) {
      const appObject = guid(3, i);
      const owner = guid(4, i % 500);
      estate.applications.push({
        id: appObject,
        appId,
        displayName: `sp-${i}`,
        passwordCredentials: [{ keyId: guid(5, i), displayName: 'ci', hint: 'abc', endDateTime: '2027-01-01T00:00:00Z', startDateTime: '2026-01-01T00:00:00Z' }],
        keyCredentials: [],
        requiredResourceAccess: [],
      });
      estate.appOwners[appObject] = [{ '@odata.type': '#microsoft.graph.user', id: owner, displayName: `owner ${i % 500}`, userPrincipalName: `owner${i % 500}@synthetic.example`, accountEnabled: true }];
      estate.federatedIdentityCredentials[appObject] = [{ id: guid(6, i), name: 'gh', issuer: 'https://token.actions.githubusercontent.com', subject: `repo:acme/r${i}:ref:refs/heads/main`, audiences: ['api://AzureADTokenExchange'] }];
    }
  }
  for (let u = 0; u < Math.min(500, apps); u++) estate.users.push({ id: guid(4, u), displayName: `owner ${u}`, userPrincipalName: `owner${u}@synthetic.example`, accountEnabled: u % 7 !== 0 });
  return estate;
}
