import type { Identity, Trust } from '../../model/inventory.js';
import { UNCLASSIFIED } from '../../model/inventory.js';
import { analysisAttributes } from './analysis-attributes.js';
import type { AuthorizationDetails, Located } from './authorization-details.js';
import { analyseHolder, holderPolicies, ownPolicyVia } from './principal-policies.js';
import { ownersFromTags, tagRecord } from './tags.js';
import { dropUndefined, type AccountContext } from './context.js';
import type { RoleDetail } from './wire.js';

// IAM roles. Service-linked roles (path /aws-service-role/) are owned and scoped by AWS
// services and cannot be changed by the account: they are listed as provider-managed.

const SERVICE_LINKED_PATH = '/aws-service-role/';
/** IAM Identity Center permission-set roles: people sign in through them. */
const IDENTITY_CENTER_PATH = '/aws-reserved/sso.amazonaws.com/';

/** Why people, not workloads, act through the role: an Identity Center permission set, a SAML
 * sign-in, or a trust that demands MFA (which workloads and access keys never have). */
function humanGateOf(role: RoleDetail, trusts: Trust[]): string | undefined {
  if (role.Path.startsWith(IDENTITY_CENTER_PATH)) return 'IAM Identity Center permission set';
  if (trusts.length === 0) return undefined;
  if (trusts.every((t) => t.protocol === 'saml')) return 'SAML sign-in';
  if (trusts.every((t) => t.gates?.includes('mfa') || t.protocol === 'saml')) return 'every trust requires MFA';
  return undefined;
}

export function isServiceLinked(role: RoleDetail): boolean {
  return role.Path.startsWith(SERVICE_LINKED_PATH);
}

/** The role's effective permissions, entitlements and escalation paths. */
function roleAnalysis(ctx: AccountContext, details: AuthorizationDetails, located: Located<RoleDetail>) {
  const { item: role, file, path } = located;
  const held = holderPolicies(details, {
    inline: role.RolePolicyList,
    attached: role.AttachedManagedPolicies,
    at: { file, path },
    via: ownPolicyVia,
  });
  // SCPs and RCPs never restrict a service-linked role.
  const guardrails = isServiceLinked(role) ? undefined : ctx.guardrails;
  const who = { kind: 'iam-role' as const, name: role.RoleName, arn: role.Arn, account: ctx.account, now: ctx.now, guardrails };
  return analyseHolder(details, who, held, role.PermissionsBoundary?.PermissionsBoundaryArn, ctx.analyses);
}

function roleIdentity(ctx: AccountContext, located: Located<RoleDetail>): Identity {
  const { item: role } = located;
  const granted = ctx.details ? roleAnalysis(ctx, ctx.details, located) : undefined;
  const tags = tagRecord(role.Tags);
  const trustedBy = ctx.trustOf(role.AssumeRolePolicyDocument);
  const humanGate = humanGateOf(role, trustedBy);
  return {
    id: `aws:${ctx.account}:role/${role.RoleName}`,
    provider: 'aws',
    kind: 'iam-role',
    name: role.RoleName,
    container: ctx.container,
    owners: ownersFromTags(tags),
    tags,
    createdAt: role.CreateDate,
    lastUsedAt: role.RoleLastUsed?.LastUsedDate,
    enabled: true,
    human: humanGate !== undefined,
    agent: UNCLASSIFIED,
    // Roles have no long-term credentials: callers get temporary ones by assuming the role.
    credentials: [],
    entitlements: granted?.entitlements ?? [],
    trustedBy,
    attributes: dropUndefined({
      arn: role.Arn,
      path: role.Path,
      humanGate,
      roleId: role.RoleId,
      description: ctx.roleDescriptions.get(role.RoleName),
      permissionsBoundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
      roleLastUsedRegion: role.RoleLastUsed?.Region,
      // IAM tracks role use for 400 days: a missing lastUsedAt means unused for at least that long.
      usageTracked: true,
      instanceProfiles: role.InstanceProfileList.length
        ? role.InstanceProfileList.map((p) => p.InstanceProfileName)
        : undefined,
      unresolvedGrants: granted?.unresolved.length ? granted.unresolved : undefined,
      ...analysisAttributes(granted, role.PermissionsBoundary?.PermissionsBoundaryArn),
    }),
  };
}

/** A service-linked role belongs to the AWS service that created it: the account cannot change
 * its policies or trust, only delete it when the service no longer needs it. It is listed, owned
 * by its service and marked provider-managed, so the inventory is complete, but no rule judges it. */
function serviceLinked(identity: Identity): Identity {
  const services = identity.trustedBy.filter((t) => t.kind === 'service').map((t) => t.principal);
  return {
    ...identity,
    owners: services.map((s) => ({ id: s, name: `AWS service ${s}`, kind: 'resource', source: 'api' })),
    attributes: { ...identity.attributes, providerManaged: `AWS service-linked role of ${services.join(', ') || 'an AWS service'}` },
  };
}

export function roleIdentities(ctx: AccountContext): Identity[] {
  return (ctx.details?.roles ?? []).map((r) => (isServiceLinked(r.item) ? serviceLinked(roleIdentity(ctx, r)) : roleIdentity(ctx, r)));
}
