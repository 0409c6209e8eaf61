// The files of one AWS source folder (`aws/<account id>/`) and the API calls that write them.
// The normalizer reads exactly these names; the collector writes exactly these names; the
// call names are the ones bundle.json's coverage entries use, so a file whose call failed is
// recognised as missing for a reason.

import { fileSafe } from '../../bundle/file-names.js';

export const CALLS = {
  callerIdentity: 'sts:GetCallerIdentity',
  accountAliases: 'iam:ListAccountAliases',
  authorizationDetails: 'iam:GetAccountAuthorizationDetails',
  listRoles: 'iam:ListRoles',
  credentialReport: 'iam:GetCredentialReport',
  accessKeys: 'iam:ListAccessKeys',
  accessKeyLastUsed: 'iam:GetAccessKeyLastUsed',
} as const;

export const FILES = {
  callerIdentity: 'sts-get-caller-identity.json',
  accountAliases: 'iam-list-account-aliases.json',
  /** One file per page, numbered from 1, following IsTruncated/Marker. */
  authorizationDetailsPage: (page: number) => `iam-get-account-authorization-details.page-${page}.json`,
  /** One file per page, numbered from 1: each role's Description (absent from the authorization details). */
  listRolesPage: (page: number) => `iam-list-roles.page-${page}.json`,
  /** The report's Content, base64-decoded: the CSV exactly as IAM generated it. */
  credentialReport: 'iam-get-credential-report.csv',
  /** Names outside IAM's character set are percent-encoded (fileSafe), so a hostile one stays in the folder. */
  accessKeys: (userName: string) => `iam-list-access-keys/${fileSafe(userName)}.json`,
  accessKeyLastUsed: (accessKeyId: string) => `iam-get-access-key-last-used/${fileSafe(accessKeyId)}.json`,
} as const;

/** Calls of the organisation's tree and control policies (--aws-organization), made from the
 * signed-in account; their coverage entries have the organisation id as scope. */
export const ORG_CALLS = {
  describeOrganization: 'organizations:DescribeOrganization',
  listRoots: 'organizations:ListRoots',
  listOrganizationalUnits: 'organizations:ListOrganizationalUnitsForParent',
  listAccountsForParent: 'organizations:ListAccountsForParent',
  listPolicies: 'organizations:ListPolicies',
  describePolicy: 'organizations:DescribePolicy',
  listTargets: 'organizations:ListTargetsForPolicy',
} as const;

/** Files of the organisation's source folder, `aws/<organization id>/`. */
export const ORG_FILES = {
  describeOrganization: 'organizations-describe-organization.json',
  listRootsPage: (page: number) => `organizations-list-roots.page-${page}.json`,
  listOrganizationalUnitsPage: (parent: string, page: number) => `organizations-list-organizational-units-for-parent/${fileSafe(parent)}.page-${page}.json`,
  listAccountsForParentPage: (parent: string, page: number) => `organizations-list-accounts-for-parent/${fileSafe(parent)}.page-${page}.json`,
  listPoliciesPage: (type: string, page: number) => `organizations-list-policies/${fileSafe(type)}.page-${page}.json`,
  describePolicy: (id: string) => `organizations-describe-policy/${fileSafe(id)}.json`,
  listTargetsPage: (id: string, page: number) => `organizations-list-targets-for-policy/${fileSafe(id)}.page-${page}.json`,
} as const;

/** An AWS source whose scope is an organisation id holds the organisation's files, not an account's. */
export const isOrganizationScope = (scope: string) => /^o-[a-z0-9]{10,32}$/.test(scope);
