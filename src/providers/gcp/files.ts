// Where each Google Cloud API response sits in a source folder (gcp/<project-id>/), and the
// call names bundle.json coverage entries use for them. The collector writes exactly these
// files and names; the normalizer reads them. docs/bundle/gcp.md documents both.

/** Discovery method ids, as Google names the calls. */
export const CALLS = {
  projectGet: 'cloudresourcemanager.projects.get',
  projectGetIamPolicy: 'cloudresourcemanager.projects.getIamPolicy',
  serviceAccountsList: 'iam.projects.serviceAccounts.list',
  keysList: 'iam.projects.serviceAccounts.keys.list',
  serviceAccountGetIamPolicy: 'iam.projects.serviceAccounts.getIamPolicy',
  activitiesQuery: 'policyanalyzer.projects.locations.activityTypes.activities.query',
} as const;

/** The two Policy Analyzer activity types that report last authentication. */
export const ACTIVITY_TYPES = {
  serviceAccount: 'serviceAccountLastAuthentication',
  serviceAccountKey: 'serviceAccountKeyLastAuthentication',
} as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[keyof typeof ACTIVITY_TYPES];

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

export const FILES = {
  project: 'cloudresourcemanager-projects-get.json',
  projectIamPolicy: 'cloudresourcemanager-projects-getIamPolicy.json',
  serviceAccountsPage: (page: number) => `iam-projects-serviceAccounts-list.page-${page}.json`,
  keys: (email: string) => `iam-projects-serviceAccounts-keys-list/${email}.json`,
  serviceAccountIamPolicy: (email: string) => `iam-projects-serviceAccounts-getIamPolicy/${email}.json`,
  activitiesPage: (type: ActivityType, page: number) => `policyanalyzer-activities-query.${type}.page-${page}.json`,
} as const;
