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
