import { CALLS } from '../files.js';

// The custom role agentscan needs to collect from Google Cloud: read-only, and nothing it does
// not call. Derived from the call names the collector uses (every call must say which
// permissions it needs, or this file does not compile), so the two cannot drift apart.

type Call = (typeof CALLS)[keyof typeof CALLS];

/** The IAM permissions each call needs; [] for calls every caller may make. */
export const PERMISSIONS_OF: Record<Call, string[]> = {
  [CALLS.projectGet]: ['resourcemanager.projects.get'],
  [CALLS.projectGetIamPolicy]: ['resourcemanager.projects.getIamPolicy'],
  [CALLS.projectsList]: ['resourcemanager.projects.list'],
  [CALLS.folderGet]: ['resourcemanager.folders.get'],
  [CALLS.folderGetIamPolicy]: ['resourcemanager.folders.getIamPolicy'],
  [CALLS.foldersList]: ['resourcemanager.folders.list'],
  [CALLS.organizationGet]: ['resourcemanager.organizations.get'],
  [CALLS.organizationGetIamPolicy]: ['resourcemanager.organizations.getIamPolicy'],
  [CALLS.serviceAccountsList]: ['iam.serviceAccounts.list'],
  [CALLS.keysList]: ['iam.serviceAccountKeys.list'],
  [CALLS.serviceAccountGetIamPolicy]: ['iam.serviceAccounts.getIamPolicy'],
  [CALLS.workloadIdentityPoolsList]: ['iam.workloadIdentityPools.list'],
  [CALLS.workloadIdentityProvidersList]: ['iam.workloadIdentityPoolProviders.list'],
  [CALLS.projectRolesList]: ['iam.roles.list'],
  [CALLS.organizationRolesList]: ['iam.roles.list'],
  // Predefined role definitions are public to every authenticated caller.
  [CALLS.roleGet]: [],
  [CALLS.activitiesQuery]: [
    'policyanalyzer.serviceAccountLastAuthenticationActivities.query',
    'policyanalyzer.serviceAccountKeyLastAuthenticationActivities.query',
  ],
  [CALLS.searchAllIamPolicies]: ['cloudasset.assets.searchAllIamPolicies'],
  [CALLS.searchAllResources]: ['cloudasset.assets.searchAllResources'],
};

/** Calls made in each collected project (both plans). */
const PROJECT_CALLS: Call[] = [
  CALLS.projectGet,
  CALLS.projectGetIamPolicy,
  CALLS.serviceAccountsList,
  CALLS.keysList,
  CALLS.serviceAccountGetIamPolicy,
  CALLS.workloadIdentityPoolsList,
  CALLS.workloadIdentityProvidersList,
  CALLS.projectRolesList,
  CALLS.activitiesQuery,
];

const permissionsOf = (calls: Call[]) => [...new Set(calls.flatMap((c) => PERMISSIONS_OF[c]))].sort();

/** Read-only permissions for --gcp-projects, in each project. */
export const PROJECT_PERMISSIONS = permissionsOf(PROJECT_CALLS);

/** Read-only permissions for --gcp-organization / --gcp-folder, granted once on the organisation (or folder). */
export const ORGANIZATION_PERMISSIONS = permissionsOf(Object.values(CALLS));

export const ROLE_ID = 'agentscanReader';

function roleYaml(title: string, description: string, permissions: string[]): string {
  return [`title: ${title}`, `description: ${description}`, 'stage: GA', 'includedPermissions:', ...permissions.map((p) => `- ${p}`)].join('\n');
}

export interface PermissionsRequest {
  /** Extra flags of `agentscan permissions`, as commander parsed them. */
  [flag: string]: unknown;
}

/** The text `agentscan permissions gcp` prints: both custom roles, as `gcloud iam roles create --file` reads them. */
export function permissionsText(_req: PermissionsRequest): string {
  return `# agentscan needs one read-only custom role. Save a role below as role.yaml and create and grant it
# with gcloud (see "Google Cloud: live scans and setup" in the README).
#
# Project level (--gcp-projects): create the role in each project and grant it there:
#   gcloud iam roles create ${ROLE_ID} --project PROJECT_ID --file role.yaml
#   gcloud projects add-iam-policy-binding PROJECT_ID --member=PRINCIPAL --role=projects/PROJECT_ID/roles/${ROLE_ID}
# Bindings on the folders and organisation above a project are read too; without the
# organisation-level role there, the scan reports them as not collected (exit 3).
---
${roleYaml('agentscan reader (project)', 'Read-only access agentscan needs to list service accounts, keys, IAM policies and activity in a project.', PROJECT_PERMISSIONS)}
#
# Organisation level (--gcp-organization, --gcp-folder, and inherited bindings): create the role
# once in the organisation and grant it on the organisation (or the folder); every project below inherits it:
#   gcloud iam roles create ${ROLE_ID} --organization ORGANIZATION_ID --file role.yaml
#   gcloud organizations add-iam-policy-binding ORGANIZATION_ID --member=PRINCIPAL --role=organizations/ORGANIZATION_ID/roles/${ROLE_ID}
# Cloud Asset Inventory (cloudasset.googleapis.com) and Policy Analyzer (policyanalyzer.googleapis.com)
# must be enabled in the project that owns the credential's quota:
#   gcloud services enable cloudasset.googleapis.com policyanalyzer.googleapis.com --project QUOTA_PROJECT_ID
---
${roleYaml('agentscan reader (organisation)', 'Read-only access agentscan needs to collect service accounts, keys, IAM policies, the resource hierarchy and activity across an organisation.', ORGANIZATION_PERMISSIONS)}
`;
}
