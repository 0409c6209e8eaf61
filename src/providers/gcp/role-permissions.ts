import type { AccessLevel, Entitlement, Risk } from '../../model/inventory.js';

// What holding a set of IAM permissions lets a principal do, judged on the permissions
// themselves (from the role definitions in the bundle), so a custom role or a renamed
// predefined role is judged by what it contains, not by what it is called.

const PE: Risk = 'privilege-escalation';
const RX: Risk = 'resource-exposure';
const DX: Risk = 'data-exfiltration';
const CX: Risk = 'credential-exposure';
const IM: Risk = 'infrastructure-modification';

/** Permissions that let the holder act as a service account; they put the holder in the account's trustedBy. */
export const IMPERSONATION_PERMISSIONS = new Set([
  'iam.serviceAccounts.actAs',
  'iam.serviceAccounts.getAccessToken',
  'iam.serviceAccounts.signBlob',
  'iam.serviceAccounts.signJwt',
  'iam.serviceAccounts.getOpenIdToken',
  'iam.serviceAccounts.implicitDelegation',
  'iam.serviceAccountKeys.create',
]);

/**
 * Known privilege-escalation methods on Google Cloud (after Rhino Security Labs' catalogue):
 * each alone lets the holder gain access it was not granted.
 */
export const ESCALATION_PERMISSIONS = new Set([
  ...IMPERSONATION_PERMISSIONS,
  'iam.serviceAccounts.setIamPolicy',
  'iam.roles.update',
  'iam.roles.create',
  'resourcemanager.projects.setIamPolicy',
  'resourcemanager.folders.setIamPolicy',
  'resourcemanager.organizations.setIamPolicy',
  'iam.workloadIdentityPoolProviders.create',
  'iam.workloadIdentityPoolProviders.update',
  'orgpolicy.policy.set',
  'deploymentmanager.deployments.create',
  'cloudbuild.builds.create',
  'serviceusage.apiKeys.create',
  'storage.hmacKeys.create',
]);

/** Permissions that hand out secrets or tokens. */
const CREDENTIAL_PERMISSIONS = new Set([
  'iam.serviceAccountKeys.create',
  'iam.serviceAccounts.getAccessToken',
  'iam.serviceAccounts.signBlob',
  'iam.serviceAccounts.signJwt',
  'secretmanager.versions.access',
  'storage.hmacKeys.create',
  'serviceusage.apiKeys.create',
]);

/** Reading data out: objects, tables, rows, secrets, logs. */
const DATA_READ = /^(storage\.objects\.get|bigquery\.tables\.(getData|export)|bigquery\.jobs\.create|spanner\.databases\.read|datastore\.entities\.get|cloudsql\.instances\.export|logging\.sinks\.create|secretmanager\.versions\.access|cloudkms\.cryptoKeyVersions\.useToDecrypt)$/;

/** Verbs that only read (get, getData, list, listEffectiveTags, search…). Anything else changes something. */
const READ_VERB = /^(get|list|search|query|read|lookup|view|check|export|analyze|testIamPermissions|aggregated|batchGet)/;

/** Services whose resources are infrastructure (changing them is infrastructure modification). */
const INFRA = /^(compute|container|run|cloudfunctions|appengine|deploymentmanager|cloudbuild|dataflow|dataproc|composer|serviceusage|gkehub|vpcaccess|dns|aiplatform)\./;

export interface PermissionFacts {
  level: AccessLevel;
  risks: Risk[];
}

function verb(permission: string): string {
  return permission.slice(permission.lastIndexOf('.') + 1);
}

/** Level and risks of holding `permissions` at `scope`. */
export function permissionFacts(permissions: readonly string[], scope: Entitlement['scope']): PermissionFacts {
  const risks = new Set<Risk>();
  let writes = false;
  let escalates = false;
  let beyondImpersonation = false;
  for (const p of permissions) {
    if (ESCALATION_PERMISSIONS.has(p)) {
      escalates = true;
      risks.add(PE);
      if (!IMPERSONATION_PERMISSIONS.has(p)) beyondImpersonation = true;
    }
    if (CREDENTIAL_PERMISSIONS.has(p)) risks.add(CX);
    if (DATA_READ.test(p)) risks.add(DX);
    const v = verb(p);
    // Opening any resource's IAM policy lets the holder grant it to anyone, allUsers included.
    if (v === 'setIamPolicy') risks.add(RX);
    if (!READ_VERB.test(v)) {
      writes = true;
      if (INFRA.test(p) && /^(create|delete|update|patch|setMetadata|deploy)/.test(v)) risks.add(IM);
    }
  }
  // Impersonating one account yields that account's access, not the project's; escalation
  // anywhere wider is administration.
  const admin = escalates && (scope !== 'resource' || beyondImpersonation);
  const level: AccessLevel = admin ? 'admin' : writes || escalates ? 'write' : 'read';
  return { level, risks: [...risks].sort() };
}

/** Whether holding `permissions` lets the holder act as the service accounts they reach. */
export function grantsImpersonation(permissions: readonly string[]): boolean {
  return permissions.some((p) => IMPERSONATION_PERMISSIONS.has(p));
}
