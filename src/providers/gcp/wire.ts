import { z } from 'zod';

// The Google Cloud API responses a gcp source folder holds, as the JSON the REST APIs return.
// Only the fields the normalizer reads are declared; anything else the API adds is ignored.
// Google omits empty lists and false booleans from responses (an account without keys
// answers `{}`), so lists default to [] and flags to false.

/** RFC 3339 timestamps as Google writes them: `2026-01-24T09:12:45Z`, fractional seconds allowed. */
const timestamp = z.iso.datetime({ offset: true });

/** cloudresourcemanager v3 projects.get → Project */
export const projectSchema = z.object({
  name: z.string().regex(/^projects\/\d+$/, 'expected "projects/<project number>"'),
  projectId: z.string().min(1),
  displayName: z.string().optional(),
  parent: z.string().optional(),
  state: z.string().optional(),
});
export type Project = z.infer<typeof projectSchema>;

/** iam v1 ServiceAccount */
export const serviceAccountSchema = z.object({
  name: z.string().min(1),
  projectId: z.string().min(1),
  uniqueId: z.string().regex(/^\d+$/, 'expected a numeric unique id'),
  email: z.string().includes('@'),
  displayName: z.string().optional(),
  description: z.string().optional(),
  oauth2ClientId: z.string().optional(),
  disabled: z.boolean().default(false),
});
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

/** iam v1 projects.serviceAccounts.list → ListServiceAccountsResponse (one page) */
export const serviceAccountsPageSchema = z.object({
  accounts: z.array(serviceAccountSchema).default([]),
  nextPageToken: z.string().optional(),
});

/** iam v1 ServiceAccountKey, as keys.list returns it (no key material). */
export const serviceAccountKeySchema = z.object({
  name: z.string().regex(/\/keys\/[^/]+$/, 'expected "projects/<p>/serviceAccounts/<email>/keys/<key id>"'),
  validAfterTime: timestamp,
  validBeforeTime: timestamp,
  keyAlgorithm: z.string().optional(),
  /** GOOGLE_PROVIDED (Google generated the pair) or USER_PROVIDED (a public key was uploaded). */
  keyOrigin: z.string().optional(),
  /** USER_MANAGED or SYSTEM_MANAGED */
  keyType: z.string().min(1),
  disabled: z.boolean().default(false),
});
export type ServiceAccountKey = z.infer<typeof serviceAccountKeySchema>;

/** iam v1 projects.serviceAccounts.keys.list → ListServiceAccountKeysResponse (not paged) */
export const keysListSchema = z.object({
  keys: z.array(serviceAccountKeySchema).default([]),
});

/** google.type.Expr: an IAM Condition */
export const conditionSchema = z.object({
  expression: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
});

export const bindingSchema = z.object({
  role: z.string().min(1),
  members: z.array(z.string()),
  condition: conditionSchema.optional(),
});
export type Binding = z.infer<typeof bindingSchema>;

/** google.iam.v1.Policy, from cloudresourcemanager projects.getIamPolicy and iam serviceAccounts.getIamPolicy */
export const policySchema = z.object({
  version: z.number().int().optional(),
  etag: z.string().optional(),
  bindings: z.array(bindingSchema).default([]),
});
export type Policy = z.infer<typeof policySchema>;

/** The resource an authentication activity names: `//iam.googleapis.com/projects/<p>/serviceAccounts/<email>[/keys/<id>]`. */
const activityResourceSchema = z.object({
  fullResourceName: z.string().min(1),
  projectNumber: z.string().optional(),
  serviceAccountId: z.string().optional(),
});

/** policyanalyzer v1 GoogleCloudPolicyanalyzerV1Activity for the last-authentication activity types. */
export const activitySchema = z.object({
  fullResourceName: z.string().min(1),
  activityType: z.string().min(1),
  observationPeriod: z.object({ startTime: timestamp.optional(), endTime: timestamp.optional() }).optional(),
  activity: z.object({
    /** A date: Google truncates it to midnight US Pacific Standard Time (08:00Z). */
    lastAuthenticatedTime: timestamp,
    serviceAccount: activityResourceSchema.optional(),
    serviceAccountKey: activityResourceSchema.optional(),
  }),
});
export type Activity = z.infer<typeof activitySchema>;

/** policyanalyzer v1 activities.query → GoogleCloudPolicyanalyzerV1QueryActivityResponse (one page) */
export const activitiesPageSchema = z.object({
  activities: z.array(activitySchema).default([]),
  nextPageToken: z.string().optional(),
});

/** cloudresourcemanager v3 folders.get → Folder */
export const folderSchema = z.object({
  name: z.string().regex(/^folders\/\d+$/, 'expected "folders/<folder id>"'),
  parent: z.string().optional(),
  displayName: z.string().optional(),
  state: z.string().optional(),
});
export type Folder = z.infer<typeof folderSchema>;

/** cloudresourcemanager v3 organizations.get → Organization */
export const organizationSchema = z.object({
  name: z.string().regex(/^organizations\/\d+$/, 'expected "organizations/<organization id>"'),
  displayName: z.string().optional(),
  directoryCustomerId: z.string().optional(),
  state: z.string().optional(),
});
export type Organization = z.infer<typeof organizationSchema>;

/** cloudresourcemanager v3 projects.list / folders.list (one page) */
export const projectsPageSchema = z.object({
  projects: z.array(projectSchema).default([]),
  nextPageToken: z.string().optional(),
});
export const foldersPageSchema = z.object({
  folders: z.array(folderSchema).default([]),
  nextPageToken: z.string().optional(),
});

/** iam v1 Role, with view=FULL (roles.get always answers in full) */
export const roleSchema = z.object({
  name: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  includedPermissions: z.array(z.string()).default([]),
  stage: z.string().optional(),
  deleted: z.boolean().default(false),
});
export type Role = z.infer<typeof roleSchema>;

/** iam v1 projects.roles.list / organizations.roles.list → ListRolesResponse (one page) */
export const rolesPageSchema = z.object({
  roles: z.array(roleSchema).default([]),
  nextPageToken: z.string().optional(),
});

/** iam v1 WorkloadIdentityPool */
export const workloadIdentityPoolSchema = z.object({
  name: z.string().regex(/\/workloadIdentityPools\/[^/]+$/, 'expected "projects/<n>/locations/global/workloadIdentityPools/<pool>"'),
  displayName: z.string().optional(),
  description: z.string().optional(),
  state: z.string().optional(),
  disabled: z.boolean().default(false),
});
export type WorkloadIdentityPool = z.infer<typeof workloadIdentityPoolSchema>;

export const workloadIdentityPoolsPageSchema = z.object({
  workloadIdentityPools: z.array(workloadIdentityPoolSchema).default([]),
  nextPageToken: z.string().optional(),
});

/** iam v1 WorkloadIdentityPoolProvider */
export const workloadIdentityProviderSchema = z.object({
  name: z.string().regex(/\/providers\/[^/]+$/, 'expected "…/workloadIdentityPools/<pool>/providers/<provider>"'),
  displayName: z.string().optional(),
  description: z.string().optional(),
  state: z.string().optional(),
  disabled: z.boolean().default(false),
  attributeMapping: z.record(z.string(), z.string()).default({}),
  attributeCondition: z.string().optional(),
  oidc: z.object({ issuerUri: z.string().optional(), allowedAudiences: z.array(z.string()).default([]) }).optional(),
  aws: z.object({ accountId: z.string().optional() }).optional(),
  saml: z.object({ idpMetadataXml: z.string().optional() }).optional(),
});
export type WorkloadIdentityProvider = z.infer<typeof workloadIdentityProviderSchema>;

export const workloadIdentityProvidersPageSchema = z.object({
  workloadIdentityPoolProviders: z.array(workloadIdentityProviderSchema).default([]),
  nextPageToken: z.string().optional(),
});

/** cloudasset v1 IamPolicySearchResult: one resource's policy (only its bindings, as searched). */
export const iamPolicySearchResultSchema = z.object({
  resource: z.string().min(1),
  assetType: z.string().optional(),
  project: z.string().optional(),
  folders: z.array(z.string()).default([]),
  organization: z.string().optional(),
  policy: policySchema,
});
export type IamPolicySearchResult = z.infer<typeof iamPolicySearchResultSchema>;

export const iamPoliciesSearchPageSchema = z.object({
  results: z.array(iamPolicySearchResultSchema).default([]),
  nextPageToken: z.string().optional(),
});

/** cloudasset v1 ResourceSearchResult, read with versionedResources so the resource's own fields (an account's `disabled`) come along. */
export const resourceSearchResultSchema = z.object({
  name: z.string().min(1),
  assetType: z.string().min(1),
  project: z.string().optional(),
  folders: z.array(z.string()).default([]),
  organization: z.string().optional(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  state: z.string().optional(),
  parentFullResourceName: z.string().optional(),
  additionalAttributes: z.record(z.string(), z.unknown()).default({}),
  versionedResources: z.array(z.object({ version: z.string().optional(), resource: z.record(z.string(), z.unknown()).default({}) })).default([]),
});
export type ResourceSearchResult = z.infer<typeof resourceSearchResultSchema>;

export const resourcesSearchPageSchema = z.object({
  results: z.array(resourceSearchResultSchema).default([]),
  nextPageToken: z.string().optional(),
});
