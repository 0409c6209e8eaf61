import type { Credential, Identity } from '../../model/inventory.js';
import { UNCLASSIFIED } from '../../model/inventory.js';
import { analysisAttributes } from './analysis-attributes.js';
import { findGroup, type AuthorizationDetails, type Located } from './authorization-details.js';
import { dropUndefined, type AccountContext } from './context.js';
import { ROOT_ROW } from './credential-report.js';
import { consolePassword, latest, rootAccessKeys, signingCertificates, userAccessKeys } from './credentials.js';
import { analyseHolder, holderPolicies, ownPolicyVia } from './principal-policies.js';
import { ownersFromTags, tagRecord } from './tags.js';
import type { CredentialReportRow, UserDetail } from './wire.js';

// IAM users and the root user. A user is known from GetAccountAuthorizationDetails (policies,
// groups, tags) and from the credential report (password, MFA, keys). Either call may have
// failed; the user is still reported with what the other one says.

/** The user's own policies, then each group's, in the order IAM lists them. */
function userPolicies(details: AuthorizationDetails, located: Located<UserDetail>) {
  const { item: user, file, path } = located;
  const own = holderPolicies(details, {
    inline: user.UserPolicyList,
    attached: user.AttachedManagedPolicies,
    at: { file, path },
    via: ownPolicyVia,
  });
  const policies = [...own.policies];
  const managedArns = [...own.managedArns];
  const unresolved = [...own.unresolved];
  const groupArns: string[] = [];
  user.GroupList.forEach((groupName, j) => {
    const group = findGroup(details, groupName, { file, path: `${path}.GroupList[${j}]` });
    if (!group) {
      unresolved.push(`group/${groupName}`);
      return;
    }
    groupArns.push(group.item.Arn);
    const fromGroup = holderPolicies(details, {
      inline: group.item.GroupPolicyList,
      attached: group.item.AttachedManagedPolicies,
      at: { file: group.file, path: group.path },
      // "<group>/<policy>" keeps both names; id is the policy ARN, or the group ARN for inline policies.
      via: (p) => ({ type: 'group-policy', name: `${groupName}/${p.name}`, id: p.arn ?? group.item.Arn }),
    });
    policies.push(...fromGroup.policies);
    managedArns.push(...fromGroup.managedArns);
    unresolved.push(...fromGroup.unresolved);
  });
  return { policies, managedArns, groupArns, unresolved };
}

/** The user's effective permissions, entitlements and escalation paths. */
function userAnalysis(ctx: AccountContext, details: AuthorizationDetails, located: Located<UserDetail>) {
  const user = located.item;
  const held = userPolicies(details, located);
  const who = { kind: 'iam-user' as const, name: user.UserName, arn: user.Arn, account: ctx.account, now: ctx.now, guardrails: ctx.guardrails };
  return analyseHolder(details, who, held, user.PermissionsBoundary?.PermissionsBoundaryArn, ctx.analyses);
}

function reportCredentials(row: CredentialReportRow | undefined): Credential[] {
  if (!row) return [];
  const password = consolePassword(row);
  return [...(password ? [password] : []), ...signingCertificates(row)];
}

function userIdentity(ctx: AccountContext, name: string, located: Located<UserDetail> | undefined): Identity {
  const user = located?.item;
  const row = ctx.report?.get(name);
  const keys = userAccessKeys(ctx.source, name, row);
  const credentials = [...reportCredentials(row), ...keys];
  const granted = located && ctx.details ? userAnalysis(ctx, ctx.details, located) : undefined;
  const tags = tagRecord(user?.Tags ?? []);
  const attributes: Record<string, unknown> = {
    arn: user?.Arn ?? row?.arn,
    path: user?.Path,
    userId: user?.UserId,
    groups: user?.GroupList,
    permissionsBoundary: user?.PermissionsBoundary?.PermissionsBoundaryArn,
    hasConsolePassword: row?.password_enabled,
    mfaActive: row?.mfa_active,
    // Policy ARNs and group/<name>s on an authorization-details page that failed to download.
    unresolvedGrants: granted?.unresolved.length ? granted.unresolved : undefined,
    ...analysisAttributes(granted, user?.PermissionsBoundary?.PermissionsBoundaryArn),
  };
  return {
    id: `aws:${ctx.account}:user/${name}`,
    provider: 'aws',
    kind: 'iam-user',
    name,
    container: ctx.container,
    owners: ownersFromTags(tags),
    tags,
    createdAt: user?.CreateDate ?? row?.user_creation_time,
    lastUsedAt: latest(credentials.map((c) => c.lastUsedAt)),
    enabled: true,
    // A console password means a person signs in as this user.
    human: row?.password_enabled === true,
    agent: UNCLASSIFIED,
    credentials,
    entitlements: granted?.entitlements ?? [],
    trustedBy: [],
    attributes: dropUndefined(attributes),
  };
}

/** The root user: always all-powerful, so it carries no policy entitlements; rules read kind 'root'. */
function rootIdentity(ctx: AccountContext, row: CredentialReportRow): Identity {
  const credentials = [...signingCertificates(row), ...rootAccessKeys(row)];
  return {
    id: `aws:${ctx.account}:root`,
    provider: 'aws',
    kind: 'root',
    name: 'root',
    container: ctx.container,
    owners: [],
    tags: {},
    createdAt: row.user_creation_time,
    lastUsedAt: latest([row.password_last_used, ...credentials.map((c) => c.lastUsedAt)]),
    enabled: true,
    // The root user is the account owner's own sign-in (e-mail and password).
    human: true,
    agent: UNCLASSIFIED,
    credentials,
    entitlements: [],
    trustedBy: [],
    attributes: dropUndefined({ arn: row.arn, mfaActive: row.mfa_active, passwordLastUsed: row.password_last_used }),
  };
}

/** Root first, then every user either source knows, in IAM's (alphabetical) order. */
export function userIdentities(ctx: AccountContext): Identity[] {
  const byName = new Map((ctx.details?.users ?? []).map((u) => [u.item.UserName, u] as const));
  const names = new Set([...byName.keys()]);
  for (const name of ctx.report?.keys() ?? []) if (name !== ROOT_ROW) names.add(name);
  const root = ctx.report?.get(ROOT_ROW);
  return [
    ...(root ? [rootIdentity(ctx, root)] : []),
    ...[...names].sort().map((name) => userIdentity(ctx, name, byName.get(name))),
  ];
}
