import type { AccessLevel, Entitlement, Risk } from '../../model/inventory.js';
import { grantsImpersonation, permissionFacts } from './role-permissions.js';

// What a Google Cloud role lets its holder do. When the bundle holds the role's definition
// (iam.roles.get, or the custom roles of a project or organisation), it is judged on its
// permissions (role-permissions.ts). This table is the fallback for bundles without role
// definitions (older bundles, or a role whose definition could not be read): keyed by role
// name, small and explicit; a role that is not listed gets a level from its name and no risks.

interface RoleFacts {
  level: AccessLevel;
  risks: Risk[];
}

const PE: Risk = 'privilege-escalation';
const RX: Risk = 'resource-exposure';
const DX: Risk = 'data-exfiltration';
const CX: Risk = 'credential-exposure';
const IM: Risk = 'infrastructure-modification';

/**
 * Roles that let their holder act as a service account. Granted on one account they reach that
 * account; granted on the project they reach every account in it, which is why they count as
 * admin there. They are also what makes someone appear in an account's trustedBy.
 */
export const IMPERSONATION_ROLES: Readonly<Record<string, RoleFacts>> = {
  // iam.serviceAccounts.getAccessToken, signBlob, signJwt: mint tokens as the account.
  'roles/iam.serviceAccountTokenCreator': { level: 'admin', risks: [PE, CX] },
  // iam.serviceAccounts.actAs: attach the account to a VM, Cloud Run service, job…
  'roles/iam.serviceAccountUser': { level: 'admin', risks: [PE] },
  // Federated workloads (workload identity pools, GKE) exchanging their token for the account's.
  'roles/iam.workloadIdentityUser': { level: 'admin', risks: [PE, CX] },
  // iam.serviceAccounts.getOpenIdToken: call Cloud Run, IAP, Cloud Functions as the account.
  'roles/iam.serviceAccountOpenIdTokenCreator': { level: 'admin', risks: [PE] },
};

const ROLES: Readonly<Record<string, RoleFacts>> = {
  // Basic roles. Owner can do anything including change IAM. Editor cannot change IAM but
  // holds iam.serviceAccounts.actAs and iam.serviceAccountKeys.create on every account in the
  // project, reads and writes almost all data, and changes almost all infrastructure.
  'roles/owner': { level: 'admin', risks: [PE, RX, DX, CX, IM] },
  'roles/editor': { level: 'write', risks: [PE, DX, CX, IM] },
  'roles/viewer': { level: 'read', risks: [] },
  'roles/browser': { level: 'read', risks: [] },

  // Changing who has access: grant yourself anything, or open resources to anyone.
  'roles/resourcemanager.projectIamAdmin': { level: 'admin', risks: [PE, RX] },
  'roles/resourcemanager.folderAdmin': { level: 'admin', risks: [PE, RX] },
  'roles/resourcemanager.organizationAdmin': { level: 'admin', risks: [PE, RX] },
  'roles/iam.securityAdmin': { level: 'admin', risks: [PE, RX] },
  'roles/iam.roleAdmin': { level: 'admin', risks: [PE] }, // add permissions to custom roles already granted
  'roles/iam.organizationRoleAdmin': { level: 'admin', risks: [PE] },
  'roles/iam.serviceAccountAdmin': { level: 'admin', risks: [PE] }, // setIamPolicy on service accounts
  'roles/iam.serviceAccountKeyAdmin': { level: 'admin', risks: [PE, CX] }, // create keys for any account
  'roles/iam.workloadIdentityPoolAdmin': { level: 'admin', risks: [PE] }, // let an outside issuer in
  'roles/orgpolicy.policyAdmin': { level: 'admin', risks: [RX] }, // lift guardrails such as public access prevention
  'roles/iam.securityReviewer': { level: 'read', risks: [] },

  // Storage and data.
  'roles/storage.admin': { level: 'admin', risks: [RX, DX] }, // bucket IAM: allUsers readers
  'roles/storage.objectAdmin': { level: 'write', risks: [DX] },
  'roles/storage.objectCreator': { level: 'write', risks: [] },
  'roles/storage.objectViewer': { level: 'read', risks: [DX] },
  'roles/bigquery.admin': { level: 'admin', risks: [RX, DX] },
  'roles/bigquery.dataOwner': { level: 'admin', risks: [RX, DX] }, // dataset IAM
  'roles/bigquery.dataEditor': { level: 'write', risks: [DX] },
  'roles/bigquery.dataViewer': { level: 'read', risks: [DX] },
  'roles/bigquery.jobUser': { level: 'write', risks: [] }, // runs queries; data access comes from data roles
  'roles/cloudsql.admin': { level: 'admin', risks: [RX, DX, IM] },
  'roles/cloudsql.client': { level: 'read', risks: [] }, // connects; database users decide the rest
  'roles/logging.admin': { level: 'admin', risks: [DX] }, // log sinks can export to anywhere
  'roles/pubsub.admin': { level: 'admin', risks: [RX] },

  // Secrets and keys.
  'roles/secretmanager.admin': { level: 'admin', risks: [RX, CX] },
  'roles/secretmanager.secretAccessor': { level: 'read', risks: [CX] },
  'roles/cloudkms.admin': { level: 'admin', risks: [RX] },
  'roles/cloudkms.cryptoKeyEncrypterDecrypter': { level: 'write', risks: [DX] },
  'roles/cloudkms.cryptoKeyDecrypter': { level: 'read', risks: [DX] },

  // Compute and deployment. Anything that runs code as another service account (VM metadata
  // SSH keys, builds, deployments) is an escalation path.
  'roles/compute.admin': { level: 'admin', risks: [PE, RX, IM] },
  'roles/compute.instanceAdmin.v1': { level: 'write', risks: [PE, IM] },
  'roles/container.admin': { level: 'admin', risks: [PE, RX, IM] },
  'roles/container.developer': { level: 'write', risks: [CX, IM] }, // reads Kubernetes secrets
  'roles/run.admin': { level: 'admin', risks: [RX, IM] }, // service IAM: allUsers invokers
  'roles/run.developer': { level: 'write', risks: [IM] },
  'roles/cloudfunctions.admin': { level: 'admin', risks: [RX, IM] },
  'roles/cloudfunctions.developer': { level: 'write', risks: [IM] },
  'roles/cloudbuild.builds.editor': { level: 'write', risks: [PE, IM] }, // builds run as the Cloud Build account
  'roles/deploymentmanager.editor': { level: 'write', risks: [PE, IM] },
  'roles/serviceusage.serviceUsageAdmin': { level: 'admin', risks: [IM] },
  'roles/artifactregistry.admin': { level: 'admin', risks: [RX] },
  'roles/artifactregistry.writer': { level: 'write', risks: [] },
  'roles/artifactregistry.reader': { level: 'read', risks: [] },

  // Vertex AI. What an agent's model calls can read is governed by the data roles above.
  'roles/aiplatform.admin': { level: 'admin', risks: [DX, IM] },
  'roles/aiplatform.user': { level: 'write', risks: [] },
  'roles/aiplatform.viewer': { level: 'read', risks: [] },
};

/** Level for a role not in the table, from Google's naming: *.admin / *Admin, *.viewer / *Reader… */
function levelFromName(role: string): AccessLevel {
  const leaf = role.slice(role.lastIndexOf('/') + 1);
  if (/(^|\.)admin$|Admin$/.test(leaf)) return 'admin';
  if (/(^|\.)(viewer|reader|browser)$|(Viewer|Reader)$/.test(leaf)) return 'read';
  // Custom roles (projects/…/roles/…, organizations/…/roles/…) and everything else: their
  // permissions are not in the bundle, so assume they change something.
  return 'write';
}

/** Level and risks of holding `role` at `scope`; `permissions` is the role's definition when the bundle has it. */
export function roleFacts(role: string, scope: Entitlement['scope'], permissions?: readonly string[]): RoleFacts {
  if (permissions) return permissionFacts(permissions, scope);
  const impersonation = IMPERSONATION_ROLES[role];
  if (impersonation) {
    // On a single account the holder gets that account's access, not the project's.
    return { level: scope === 'resource' ? 'write' : impersonation.level, risks: [...impersonation.risks] };
  }
  const known = ROLES[role];
  if (known) return { level: known.level, risks: [...known.risks] };
  return { level: levelFromName(role), risks: [] };
}

export function isImpersonationRole(role: string, permissions?: readonly string[]): boolean {
  if (permissions) return grantsImpersonation(permissions);
  // Key admin creates keys for the accounts and so can sign in as them.
  return role in IMPERSONATION_ROLES || role === 'roles/iam.serviceAccountKeyAdmin';
}
