import { z } from 'zod';

// The raw AWS responses of an AWS source folder, as the SDK's parsed output objects serialise to
// JSON (field names as in the IAM and STS API references). Only the fields the normalizer reads
// are declared; zod drops the rest. Policy documents arrive URL-encoded, as IAM returns them;
// they are decoded and checked here so a malformed one fails with the file and field path.

/** IAM timestamps (SDK Date objects serialise as 2025-10-04T14:12:09.000Z), kept as UTC ISO strings. */
const timestamp = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

/** Policy grammar lets most elements be one string or a list; always a list after parsing. */
const oneOrMany = z
  .union([z.string(), z.array(z.string())], { error: 'expected a string or an array of strings' })
  .transform((v) => (typeof v === 'string' ? [v] : v));

const conditionValue = z.union([z.string(), z.number(), z.boolean()]);
/** Condition block: operator → condition key → value(s), e.g. {"StringEquals": {"sts:ExternalId": "…"}}. */
const condition = z.record(z.string(), z.record(z.string(), z.union([conditionValue, z.array(conditionValue)])));
export type PolicyCondition = z.output<typeof condition>;

/** "*" or {"AWS": …, "Service": …, "Federated": …, "CanonicalUser": …}. */
const principal = z.union([z.literal('*'), z.record(z.string(), oneOrMany)], {
  error: 'expected "*" or an object of principal lists (AWS, Service, Federated)',
});
export type PolicyPrincipal = z.output<typeof principal>;

const statement = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: oneOrMany.optional(),
    NotAction: oneOrMany.optional(),
    Resource: oneOrMany.optional(),
    NotResource: oneOrMany.optional(),
    Principal: principal.optional(),
    NotPrincipal: principal.optional(),
    Condition: condition.optional(),
  })
  .refine((s) => s.Action !== undefined || s.NotAction !== undefined, {
    message: 'statement has neither Action nor NotAction',
  });
export type PolicyStatement = z.output<typeof statement>;

export const policyDocumentSchema = z.object({
  Version: z.string().optional(),
  // A single statement may be written as an object rather than a one-element list.
  Statement: z.preprocess((v) => (v !== undefined && !Array.isArray(v) ? [v] : v), z.array(statement)),
});
export type PolicyDocument = z.output<typeof policyDocumentSchema>;

/** A policy document as IAM returns it: URL-encoded JSON text. */
const encodedPolicyDocument = z
  .string()
  .transform((raw, ctx) => {
    let text: string;
    try {
      text = decodeURIComponent(raw);
    } catch {
      ctx.issues.push({ code: 'custom', message: 'policy document is not valid URL-encoded text', input: raw });
      return z.NEVER;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      ctx.issues.push({
        code: 'custom',
        message: `URL-decoded policy document is not valid JSON (${(err as Error).message})`,
        input: raw,
      });
      return z.NEVER;
    }
  })
  .pipe(policyDocumentSchema);

// ── iam:GetAccountAuthorizationDetails ──────────────────────────────────────────────────────

const attachedPolicy = z.object({ PolicyName: z.string(), PolicyArn: z.string() });
const inlinePolicy = z.object({ PolicyName: z.string(), PolicyDocument: encodedPolicyDocument });
const tags = z.array(z.object({ Key: z.string(), Value: z.string() })).default([]);
const permissionsBoundary = z.object({ PermissionsBoundaryArn: z.string() }).optional();

const userDetail = z.object({
  Path: z.string(),
  UserName: z.string().min(1),
  UserId: z.string(),
  Arn: z.string(),
  CreateDate: timestamp,
  UserPolicyList: z.array(inlinePolicy).default([]),
  GroupList: z.array(z.string()).default([]),
  AttachedManagedPolicies: z.array(attachedPolicy).default([]),
  PermissionsBoundary: permissionsBoundary,
  Tags: tags,
});
export type UserDetail = z.output<typeof userDetail>;

const groupDetail = z.object({
  Path: z.string(),
  GroupName: z.string().min(1),
  GroupId: z.string(),
  Arn: z.string(),
  GroupPolicyList: z.array(inlinePolicy).default([]),
  AttachedManagedPolicies: z.array(attachedPolicy).default([]),
});
export type GroupDetail = z.output<typeof groupDetail>;

const roleDetail = z.object({
  Path: z.string(),
  RoleName: z.string().min(1),
  RoleId: z.string(),
  Arn: z.string(),
  CreateDate: timestamp,
  AssumeRolePolicyDocument: encodedPolicyDocument,
  InstanceProfileList: z.array(z.object({ InstanceProfileName: z.string(), Arn: z.string() })).default([]),
  RolePolicyList: z.array(inlinePolicy).default([]),
  AttachedManagedPolicies: z.array(attachedPolicy).default([]),
  PermissionsBoundary: permissionsBoundary,
  Tags: tags,
  // {} when the role has not been used within IAM's 400-day tracking window.
  RoleLastUsed: z.object({ LastUsedDate: timestamp.optional(), Region: z.string().optional() }).optional(),
});
export type RoleDetail = z.output<typeof roleDetail>;

const managedPolicy = z.object({
  PolicyName: z.string(),
  Arn: z.string(),
  DefaultVersionId: z.string(),
  PolicyVersionList: z.array(
    z.object({ Document: encodedPolicyDocument, VersionId: z.string(), IsDefaultVersion: z.boolean() }),
  ),
});
export type ManagedPolicy = z.output<typeof managedPolicy>;

export const authorizationDetailsPageSchema = z.object({
  UserDetailList: z.array(userDetail).default([]),
  GroupDetailList: z.array(groupDetail).default([]),
  RoleDetailList: z.array(roleDetail).default([]),
  Policies: z.array(managedPolicy).default([]),
  IsTruncated: z.boolean(),
  Marker: z.string().optional(),
});

// ── iam:ListRoles (for Description, which the authorization details lack) ────────────────────

export const listRolesPageSchema = z.object({
  Roles: z.array(z.object({ RoleName: z.string().min(1), Arn: z.string(), Description: z.string().optional() })),
  IsTruncated: z.boolean(),
  Marker: z.string().optional(),
});

// ── sts:GetCallerIdentity, iam:ListAccountAliases ───────────────────────────────────────────

export const callerIdentitySchema = z.object({
  UserId: z.string(),
  Account: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id'),
  Arn: z.string(),
});

export const accountAliasesSchema = z.object({ AccountAliases: z.array(z.string()) });

// ── iam:ListAccessKeys, iam:GetAccessKeyLastUsed ────────────────────────────────────────────

export const listAccessKeysSchema = z.object({
  AccessKeyMetadata: z.array(
    z.object({
      UserName: z.string(),
      AccessKeyId: z.string().min(16),
      Status: z.enum(['Active', 'Inactive', 'Expired']),
      CreateDate: timestamp,
    }),
  ),
});

/** ServiceName and Region are "N/A" and LastUsedDate is absent for a key never used. */
export const accessKeyLastUsedSchema = z.object({
  UserName: z.string().optional(),
  AccessKeyLastUsed: z.object({
    LastUsedDate: timestamp.optional(),
    ServiceName: z.string(),
    Region: z.string(),
  }),
});

// ── iam:GetCredentialReport (the decoded CSV) ───────────────────────────────────────────────

export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** Words IAM writes where a report cell has no date: not applicable, never tracked, or not for the root user. */
const NO_DATE = new Set(['N/A', 'no_information', 'not_supported']);
const isoDateTime = z.iso.datetime({ offset: true });

const reportDate = z
  .string()
  .refine((v) => NO_DATE.has(v) || isoDateTime.safeParse(v).success, {
    message: 'expected an ISO 8601 date-time, N/A, no_information or not_supported',
  })
  .transform((v) => (NO_DATE.has(v) ? undefined : new Date(v).toISOString()));

/** true/false; not_supported (the root user's password_enabled) becomes undefined. */
const reportFlag = z
  .enum(['true', 'false', 'not_supported'])
  .transform((v) => (v === 'not_supported' ? undefined : v === 'true'));

const reportText = z.string().transform((v) => (v === 'N/A' ? undefined : v));

export const credentialReportRowSchema = z.object({
  user: z.string().min(1),
  arn: z.string(),
  user_creation_time: reportDate,
  password_enabled: reportFlag,
  password_last_used: reportDate,
  password_last_changed: reportDate,
  password_next_rotation: reportDate,
  mfa_active: reportFlag,
  access_key_1_active: reportFlag,
  access_key_1_last_rotated: reportDate,
  access_key_1_last_used_date: reportDate,
  access_key_1_last_used_region: reportText,
  access_key_1_last_used_service: reportText,
  access_key_2_active: reportFlag,
  access_key_2_last_rotated: reportDate,
  access_key_2_last_used_date: reportDate,
  access_key_2_last_used_region: reportText,
  access_key_2_last_used_service: reportText,
  cert_1_active: reportFlag,
  cert_1_last_rotated: reportDate,
  cert_2_active: reportFlag,
  cert_2_last_rotated: reportDate,
});
export type CredentialReportRow = z.output<typeof credentialReportRowSchema>;

// ── Organizations: the tree, and its service and resource control policies ─────────────────
// JSON 1.1 answers as the SDK parses them; only the fields the normalizer reads are declared.

export const describeOrganizationSchema = z.object({
  Organization: z.object({ Id: z.string().min(1), MasterAccountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id') }),
});

const nextToken = z.string().optional();
export const listRootsPageSchema = z.object({ Roots: z.array(z.object({ Id: z.string().min(1), Name: z.string().optional() })), NextToken: nextToken });
export const listOrganizationalUnitsPageSchema = z.object({
  OrganizationalUnits: z.array(z.object({ Id: z.string().min(1), Name: z.string().optional() })),
  NextToken: nextToken,
});
export const listAccountsForParentPageSchema = z.object({
  Accounts: z.array(z.object({ Id: z.string().min(1), Name: z.string().optional() })),
  NextToken: nextToken,
});
export const ORGANIZATION_POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const;
export type OrganizationPolicyType = (typeof ORGANIZATION_POLICY_TYPES)[number];
const policySummary = z.object({ Id: z.string().min(1), Name: z.string(), Type: z.string().optional(), AwsManaged: z.boolean().optional() });
export const listPoliciesPageSchema = z.object({ Policies: z.array(policySummary), NextToken: nextToken });
/** The policy's Content is plain JSON text (not URL-encoded, unlike IAM's). */
export const describePolicySchema = z.object({
  Policy: z.object({
    PolicySummary: policySummary,
    Content: z.string().transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch (err) {
        ctx.issues.push({ code: 'custom', message: `policy content is not valid JSON (${(err as Error).message})`, input: raw });
        return z.NEVER;
      }
    }).pipe(policyDocumentSchema),
  }),
});
export const listTargetsForPolicyPageSchema = z.object({
  Targets: z.array(z.object({ TargetId: z.string().min(1), Type: z.enum(['ACCOUNT', 'ORGANIZATIONAL_UNIT', 'ROOT']), Name: z.string().optional() })),
  NextToken: nextToken,
});
