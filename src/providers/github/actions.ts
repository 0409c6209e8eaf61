import { UNCLASSIFIED, type Credential, type Entitlement, type Identity } from '../../model/inventory.js';
import { utc, type OrgContext } from './context.js';
import type { WireOidcSubjectTemplate, WireOrgSecret, WireWorkflowPermissions } from './wire.js';

// The org's Actions workflows as one principal: every workflow run gets a GITHUB_TOKEN with the
// org's default permissions, may approve pull requests when the org allows it, reads the org's
// secrets, and mints OIDC tokens whose subject follows the org's template (kept for matching the
// cloud roles that trust them). Coding agents run there, so that standing access is theirs too.

export interface ActionsSettings {
  workflow?: WireWorkflowPermissions;
  oidc?: WireOidcSubjectTemplate;
  /** Every repository of the org, by name. */
  repositories?: string[];
  /** The listing of the org's repositories was read in full (no failed call, no page missing). */
  repositoriesComplete?: boolean;
  /** Repositories whose own OIDC subject template replaces the org's: the claims theirs is built from. */
  repositorySubjectClaims?: Record<string, string[]>;
  /** undefined when the secrets were not collected (an older bundle). */
  secrets?: WireOrgSecret[];
  /** The secrets call failed: `secrets` holds only the pages read, so no count is claimed. */
  secretsPartial?: boolean;
}

function tokenEntitlements(ctx: OrgContext, workflow: WireWorkflowPermissions): Entitlement[] {
  const via: Entitlement['via'] = { type: 'token-scope', name: 'default GITHUB_TOKEN permissions' };
  const base = { resource: `${ctx.org}/*`, scope: 'organization' as const, via, standing: true, effect: 'allow' as const };
  const out: Entitlement[] = [
    workflow.default_workflow_permissions === 'write'
      ? // "Read and write" gives every run write on contents, packages, issues, pull requests, deployments…
        { ...base, permissions: ['github_token:write-all'], level: 'write', risks: ['infrastructure-modification'] }
      : { ...base, permissions: ['github_token:read-all'], level: 'read', risks: [] },
  ];
  if (workflow.can_approve_pull_request_reviews) {
    // A run that approves its own pull request satisfies required reviews: code lands unreviewed.
    out.push({ ...base, permissions: ['pull_requests:approve'], level: 'write', risks: ['privilege-escalation'] });
  }
  return out;
}

function secretCredential(secret: WireOrgSecret): Credential {
  return {
    id: `secret/${secret.name}`,
    type: 'ci-secret',
    // The value in use was set at updated_at: that is how old the secret behind it is.
    createdAt: utc(secret.updated_at),
    status: 'active',
    managedBy: 'user',
    attributes: { secretName: secret.name, visibility: secret.visibility, secretCreatedAt: utc(secret.created_at) },
  };
}

/** undefined when nothing about Actions was collected (older bundles). */
export function actionsIdentity(ctx: OrgContext, settings: ActionsSettings): Identity | undefined {
  if (!settings.workflow && !settings.oidc && !settings.secrets) return undefined;
  return {
    id: `github:${ctx.org}:actions/workflows`,
    provider: 'github',
    kind: 'github-actions',
    name: `${ctx.org} Actions workflows`,
    container: ctx.container,
    owners: [],
    tags: {},
    enabled: true,
    human: false,
    agent: UNCLASSIFIED,
    credentials: (settings.secrets ?? []).map(secretCredential),
    entitlements: settings.workflow ? tokenEntitlements(ctx, settings.workflow) : [],
    trustedBy: [],
    attributes: {
      ...(settings.workflow
        ? {
            defaultWorkflowPermissions: settings.workflow.default_workflow_permissions,
            canApprovePullRequestReviews: settings.workflow.can_approve_pull_request_reviews,
          }
        : {}),
      // The claims an OIDC token's `sub` is built from; default: repo, then context (ref, environment…).
      ...(settings.oidc
        ? {
            oidcSubjectClaimKeys: settings.oidc.include_claim_keys,
            oidcSubjectDefault: settings.oidc.use_default ?? settings.oidc.include_claim_keys.length === 0,
          }
        : {}),
      ...(settings.repositorySubjectClaims && Object.keys(settings.repositorySubjectClaims).length > 0
        ? { oidcSubjectClaimKeysByRepository: settings.repositorySubjectClaims }
        : {}),
      ...(settings.secrets && !settings.secretsPartial ? { orgSecretCount: settings.secrets.length } : {}),
      // The repositories whose workflows run here, for matching cloud OIDC trusts.
      ...(settings.repositories ? { repositories: settings.repositories } : {}),
      // Only a full listing can say a repository does not exist.
      ...(settings.repositoriesComplete ? { repositoriesComplete: true } : {}),
      ...(ctx.orgId !== undefined ? { organizationId: ctx.orgId } : {}),
    },
  };
}
