import { z } from 'zod';

// The shapes of GitHub REST responses as stored in a bundle, reduced to the fields the
// normalizer reads. Field names follow GitHub's OpenAPI description (components/schemas/…);
// objects are not strict, so every other field GitHub sends is accepted and dropped.
// GitHub writes timestamps as ISO-8601 with `Z` or an offset (2023-05-16T08:47:09.000-07:00).

const timestamp = z.iso.datetime({ offset: true });

/** `simple-user`: the owner of a PAT grant, a suspender, an org member. */
export const simpleUserSchema = z.object({
  login: z.string().min(1),
  id: z.number().int(),
  type: z.string(),
  site_admin: z.boolean().optional(),
});
export type WireUser = z.infer<typeof simpleUserSchema>;

/** GET /orgs/{org} → `organization-full`. */
export const organizationSchema = z.object({
  login: z.string().min(1),
  id: z.number().int(),
  name: z.string().nullish(),
  plan: z.object({ name: z.string() }).optional(),
  two_factor_requirement_enabled: z.boolean().nullish(),
});

/** Fine-grained permission map: permission name → access (`read`, `write`, `admin`). */
const permissionMap = z.record(z.string(), z.string());

/** GET /orgs/{org}/installations → `{ total_count, installations: installation[] }`. */
export const installationSchema = z.object({
  id: z.number().int(),
  app_id: z.number().int(),
  app_slug: z.string().min(1),
  client_id: z.string().optional(),
  target_type: z.string(),
  account: z.object({ login: z.string().optional(), id: z.number().int() }).nullable(),
  repository_selection: z.enum(['all', 'selected']),
  permissions: permissionMap,
  events: z.array(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
  single_file_name: z.string().nullable(),
  suspended_by: simpleUserSchema.nullable(),
  suspended_at: timestamp.nullable(),
});
export type WireInstallation = z.infer<typeof installationSchema>;

export const installationsPageSchema = z.object({
  total_count: z.number().int(),
  installations: z.array(installationSchema),
});

/** GET /orgs/{org}/personal-access-tokens → `organization-programmatic-access-grant[]`. */
export const patGrantSchema = z.object({
  id: z.number().int(),
  owner: simpleUserSchema,
  /** `none` means public repositories only; `subset` is a chosen list. */
  repository_selection: z.enum(['none', 'all', 'subset']),
  repositories_url: z.string(),
  permissions: z.object({
    organization: permissionMap.optional(),
    repository: permissionMap.optional(),
    other: permissionMap.optional(),
  }),
  access_granted_at: timestamp,
  token_id: z.number().int(),
  token_name: z.string(),
  token_expired: z.boolean(),
  token_expires_at: timestamp.nullable(),
  token_last_used_at: timestamp.nullable(),
});
export type WirePatGrant = z.infer<typeof patGrantSchema>;
export const patGrantsPageSchema = z.array(patGrantSchema);

/** GET /orgs/{org}/credential-authorizations → `credential-authorization[]` (SAML SSO orgs). */
export const credentialAuthorizationSchema = z.object({
  login: z.string().min(1),
  credential_id: z.number().int(),
  /** Human-readable: `personal access token` or `SSH key`. */
  credential_type: z.string().min(1),
  token_last_eight: z.string().nullish(),
  credential_authorized_at: timestamp,
  scopes: z.array(z.string()).optional(),
  fingerprint: z.string().nullish(),
  /** Null when the credential was never used since it was authorized. */
  credential_accessed_at: timestamp.nullish(),
  authorized_credential_id: z.number().int().nullish(),
  authorized_credential_title: z.string().nullish(),
  authorized_credential_note: z.string().nullish(),
  authorized_credential_expires_at: timestamp.nullish(),
});
export type WireCredentialAuthorization = z.infer<typeof credentialAuthorizationSchema>;
export const credentialAuthorizationsPageSchema = z.array(credentialAuthorizationSchema);

/** GET /orgs/{org}/repos → `minimal-repository[]`. */
export const repositorySchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  full_name: z.string(),
  private: z.boolean(),
  visibility: z.string().optional(),
  archived: z.boolean().optional(),
});
export type WireRepository = z.infer<typeof repositorySchema>;
export const repositoriesPageSchema = z.array(repositorySchema);

/** An OpenSSH public key line: `<type> <base64 blob> [comment]`. */
const OPENSSH_PUBLIC_KEY = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+={0,3}( .*)?$/;

/** GET /repos/{owner}/{repo}/keys → `deploy-key[]`. */
export const deployKeySchema = z.object({
  id: z.number().int(),
  key: z.string().regex(OPENSSH_PUBLIC_KEY, 'expected an OpenSSH public key: "<type> <base64> [comment]"'),
  title: z.string(),
  verified: z.boolean(),
  created_at: timestamp,
  read_only: z.boolean(),
  added_by: z.string().nullish(),
  /** Absent on servers that predate usage tracking; null when never used. */
  last_used: timestamp.nullish(),
  enabled: z.boolean().optional(),
});
export type WireDeployKey = z.infer<typeof deployKeySchema>;
export const deployKeysSchema = z.array(deployKeySchema);

/** GET /orgs/{org}/members (and ?role=admin) → `simple-user[]`. */
export const membersPageSchema = z.array(simpleUserSchema);

/** GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories → `minimal-repository[]`. */
export const grantRepositoriesPageSchema = z.array(repositorySchema);

/** GET /user/installations/{installation_id}/repositories → `{ total_count, repositories: repository[] }`. */
export const installationRepositoriesPageSchema = z.object({
  total_count: z.number().int(),
  repositories: z.array(repositorySchema),
});

/** GET /orgs/{org}/actions/permissions/workflow → `actions-get-default-workflow-permissions`. */
export const workflowPermissionsSchema = z.object({
  /** The GITHUB_TOKEN every workflow run gets unless the workflow says otherwise. */
  default_workflow_permissions: z.enum(['read', 'write']),
  can_approve_pull_request_reviews: z.boolean(),
});
export type WireWorkflowPermissions = z.infer<typeof workflowPermissionsSchema>;

/** GET /orgs/{org}/actions/oidc/customization/sub → `oidc-custom-sub`. */
export const oidcSubjectTemplateSchema = z.object({
  include_claim_keys: z.array(z.string()),
  /** Absent on GitHub's own answer for orgs; repositories' templates carry it. */
  use_default: z.boolean().optional(),
});
export type WireOidcSubjectTemplate = z.infer<typeof oidcSubjectTemplateSchema>;

/** GET /repos/{owner}/{repo}/actions/oidc/customization/sub → `oidc-custom-sub-repo` (use_default is required there). */
export const repoOidcSubjectTemplateSchema = z.object({
  use_default: z.boolean(),
  include_claim_keys: z.array(z.string()).optional(),
});
export type WireRepoOidcSubjectTemplate = z.infer<typeof repoOidcSubjectTemplateSchema>;

/** GET /orgs/{org}/actions/secrets → `{ total_count, secrets: organization-actions-secret[] }` (names only, never values). */
export const orgSecretSchema = z.object({
  name: z.string().min(1),
  created_at: timestamp,
  updated_at: timestamp,
  visibility: z.enum(['all', 'private', 'selected']),
  selected_repositories_url: z.string().optional(),
});
export type WireOrgSecret = z.infer<typeof orgSecretSchema>;
export const orgSecretsPageSchema = z.object({ total_count: z.number().int(), secrets: z.array(orgSecretSchema) });

/**
 * POST /graphql: the org's repositories with their deploy keys, 100 repositories a query.
 * GraphQL carries no last use or author of a key, so REST is asked only for repositories
 * whose `deployKeys.totalCount` is above zero.
 */
export const graphqlDeployKeySchema = z.object({
  id: z.string(),
  key: z.string(),
  title: z.string(),
  readOnly: z.boolean(),
  createdAt: timestamp,
  verified: z.boolean().optional(),
  enabled: z.boolean().optional(),
});
export const graphqlRepositorySchema = z.object({
  name: z.string().min(1),
  isArchived: z.boolean(),
  deployKeys: z.object({ totalCount: z.number().int().min(0), nodes: z.array(graphqlDeployKeySchema) }),
});
export type WireGraphqlRepository = z.infer<typeof graphqlRepositorySchema>;
export const graphqlRepositoriesPageSchema = z.object({
  data: z.object({
    organization: z.object({
      repositories: z.object({
        totalCount: z.number().int().min(0),
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
        nodes: z.array(graphqlRepositorySchema),
      }),
    }),
  }),
});
export type WireGraphqlRepositoriesPage = z.infer<typeof graphqlRepositoriesPageSchema>;

/** GET /app/installations, GET /orgs/{org}/installation (App JWT) → `installation`. */
export const appInstallationSchema = z.object({
  id: z.number().int(),
  account: z.object({ login: z.string().optional(), id: z.number().int() }).nullable(),
  target_type: z.string().optional(),
});
export const appInstallationsPageSchema = z.array(appInstallationSchema);

/** GET /user/orgs → `organization-simple[]`. */
export const organizationSimplePageSchema = z.array(z.object({ login: z.string().min(1), id: z.number().int() }));
