// Where each Google Cloud API response sits in a bundle, and the call names bundle.json coverage
// entries use for them. The collector writes exactly these files and names; the normalizer
// reads them. docs/bundle/gcp.md documents both.
//
// Source folders (scopes): one per project (`gcp/<project-id>/`), one per folder and
// organisation above them (`gcp/folders-<id>/`, `gcp/organizations-<id>/`), and one for the
// definitions of the predefined roles bindings use (`gcp/roles/`).

/** Discovery method ids, as Google names the calls. */
export const CALLS = {
  projectGet: 'cloudresourcemanager.projects.get',
  projectGetIamPolicy: 'cloudresourcemanager.projects.getIamPolicy',
  projectsList: 'cloudresourcemanager.projects.list',
  folderGet: 'cloudresourcemanager.folders.get',
  folderGetIamPolicy: 'cloudresourcemanager.folders.getIamPolicy',
  foldersList: 'cloudresourcemanager.folders.list',
  organizationGet: 'cloudresourcemanager.organizations.get',
  organizationGetIamPolicy: 'cloudresourcemanager.organizations.getIamPolicy',
  serviceAccountsList: 'iam.projects.serviceAccounts.list',
  keysList: 'iam.projects.serviceAccounts.keys.list',
  serviceAccountGetIamPolicy: 'iam.projects.serviceAccounts.getIamPolicy',
  workloadIdentityPoolsList: 'iam.projects.locations.workloadIdentityPools.list',
  workloadIdentityProvidersList: 'iam.projects.locations.workloadIdentityPools.providers.list',
  projectRolesList: 'iam.projects.roles.list',
  organizationRolesList: 'iam.organizations.roles.list',
  roleGet: 'iam.roles.get',
  activitiesQuery: 'policyanalyzer.projects.locations.activityTypes.activities.query',
  searchAllIamPolicies: 'cloudasset.searchAllIamPolicies',
  searchAllResources: 'cloudasset.searchAllResources',
} as const;

/** The two Policy Analyzer activity types that report last authentication. */
export const ACTIVITY_TYPES = {
  serviceAccount: 'serviceAccountLastAuthentication',
  serviceAccountKey: 'serviceAccountKeyLastAuthentication',
} as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[keyof typeof ACTIVITY_TYPES];

/** Asset types the organisation plan reads from Cloud Asset, by what they are. */
export const ASSET_TYPES = {
  projects: 'cloudresourcemanager.googleapis.com/Project',
  folders: 'cloudresourcemanager.googleapis.com/Folder',
  serviceAccounts: 'iam.googleapis.com/ServiceAccount',
  serviceAccountKeys: 'iam.googleapis.com/ServiceAccountKey',
  roles: 'iam.googleapis.com/Role',
  workloadIdentityPools: 'iam.googleapis.com/WorkloadIdentityPool',
  workloadIdentityPoolProviders: 'iam.googleapis.com/WorkloadIdentityPoolProvider',
} as const;
export type AssetKind = keyof typeof ASSET_TYPES;

/** The resource searches: each one paged call for several asset types (`assetTypes` repeated). */
export const ASSET_SEARCHES = {
  hierarchy: ['projects', 'folders'],
  iam: ['serviceAccounts', 'serviceAccountKeys', 'roles', 'workloadIdentityPools', 'workloadIdentityPoolProviders'],
} as const satisfies Record<string, readonly AssetKind[]>;
export type AssetSearch = keyof typeof ASSET_SEARCHES;

/**
 * Calls made once per service account are recorded in coverage with the account they were
 * made for, e.g. `iam.projects.serviceAccounts.keys.list(etl@p.iam.gserviceaccount.com)`, so
 * one failed account explains one missing file. A failure recorded under the bare method id
 * explains the file of every account.
 */
export function perAccountCall(method: string, email: string): string {
  return `${method}(${email})`;
}

/** Activity queries are recorded with their activity type: `…activities.query(serviceAccountLastAuthentication)`. */
export function activityCall(type: ActivityType): string {
  return `${CALLS.activitiesQuery}(${type})`;
}

/** Asset searches are recorded with what they search: `cloudasset.searchAllResources(iam)`. */
export function assetSearchCall(kind: AssetSearch): string {
  return `${CALLS.searchAllResources}(${kind})`;
}

/** Scope (source folder name) of a folder or organisation: `folders-123`, `organizations-456`. */
export function ancestorScope(resource: string): string {
  return resource.replace('/', '-');
}

/** The inverse of ancestorScope; undefined for a project scope. */
export function ancestorOfScope(scope: string): string | undefined {
  const m = /^(folders|organizations)-(\d+)$/.exec(scope);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** The source holding predefined role definitions. */
export const ROLES_SCOPE = 'roles';

/** `roles/iam.serviceAccountUser` → `iam.serviceAccountUser`: predefined role names are file-safe after the prefix. */
export function roleFileName(role: string): string {
  return role.slice('roles/'.length);
}

export const FILES = {
  project: 'cloudresourcemanager-projects-get.json',
  projectIamPolicy: 'cloudresourcemanager-projects-getIamPolicy.json',
  serviceAccountsPage: (page: number) => `iam-projects-serviceAccounts-list.page-${page}.json`,
  keys: (email: string) => `iam-projects-serviceAccounts-keys-list/${email}.json`,
  serviceAccountIamPolicy: (email: string) => `iam-projects-serviceAccounts-getIamPolicy/${email}.json`,
  activitiesPage: (type: ActivityType, page: number) => `policyanalyzer-activities-query.${type}.page-${page}.json`,
  workloadIdentityPoolsPage: (page: number) => `iam-projects-locations-workloadIdentityPools-list.page-${page}.json`,
  workloadIdentityProvidersPage: (pool: string, page: number) =>
    `iam-projects-locations-workloadIdentityPools-providers-list/${pool}.page-${page}.json`,
  projectRolesPage: (page: number) => `iam-projects-roles-list.page-${page}.json`,
  folder: 'cloudresourcemanager-folders-get.json',
  folderIamPolicy: 'cloudresourcemanager-folders-getIamPolicy.json',
  organization: 'cloudresourcemanager-organizations-get.json',
  organizationIamPolicy: 'cloudresourcemanager-organizations-getIamPolicy.json',
  organizationRolesPage: (page: number) => `iam-organizations-roles-list.page-${page}.json`,
  role: (role: string) => `iam-roles-get/${roleFileName(role)}.json`,
  iamPoliciesSearchPage: (page: number) => `cloudasset-searchAllIamPolicies.page-${page}.json`,
  resourcesSearchPage: (kind: AssetSearch, page: number) => `cloudasset-searchAllResources.${kind}.page-${page}.json`,
} as const;
