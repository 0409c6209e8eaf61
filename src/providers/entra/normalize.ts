import type { SourceReader } from '../../bundle/source-reader.js';
import type { Credential, Entitlement, Identity, Trust } from '../../model/inventory.js';
import { UNCLASSIFIED } from '../../model/inventory.js';
import type { Normalizer } from '../normalizer.js';
import { certificate, clientSecret, federated, type CredentialContext } from './credentials.js';
import {
  activeRoleEntitlement,
  appRoleEntitlement,
  delegatedGrantEntitlement,
  eligibleRoleEntitlement,
  type ServicePrincipalIndex,
} from './entitlements.js';
import { CALL, DIR, FILE, objectFile, perObjectCall, readCollection } from './files.js';
import { ownerTrust, toOwners, type OwnedBy, type UserDirectory } from './owners.js';
import { AGENT_IDENTITY_TYPE, BLUEPRINT_PRINCIPAL_TYPE, isFirstParty, kindOf, sponsorType } from './principals.js';
import { compact, idKey, iso, latest } from './values.js';
import {
  agentIdentityPage,
  appCredentialSignInActivityList,
  applicationPage,
  appRoleAssignmentList,
  deletedUserList,
  directoryObjectList,
  federatedIdentityCredentialList,
  oauth2PermissionGrantPage,
  organizationList,
  roleAssignmentList,
  roleEligibilityScheduleList,
  servicePrincipalPage,
  servicePrincipalSignInActivityList,
  type Application,
  type DirectoryObject,
  type OAuth2PermissionGrant,
  type RoleAssignment,
  type RoleEligibilitySchedule,
  type ServicePrincipal,
  type ServicePrincipalSignInActivity,
} from './wire.js';

// An Entra tenant's bundle → one identity per service principal that can act in the tenant:
// the tenant's own apps, third-party apps it consented to, managed identities and Agent ID
// agent identities. Microsoft's own first-party service principals (Microsoft Graph, …) are
// not identities anyone here controls; they are kept only to resolve app-role ids to names.

interface TenantData {
  tenantId: string;
  tenantName?: string;
  index: ServicePrincipalIndex;
  spByAppId: Map<string, ServicePrincipal>;
  appByAppId: Map<string, Application>;
  /** Tenant-wide listings by the principal they grant to (idKey), in listing order. */
  grants: Map<string, OAuth2PermissionGrant[]>;
  roleAssignments: Map<string, RoleAssignment[]>;
  eligibilities: Map<string, RoleEligibilitySchedule[]>;
  /** The users owners and sponsors point at; empty when that call failed (existence unknown). */
  directory: UserDirectory;
  /** undefined when the sign-in activity report is not in the bundle. */
  signIns?: Map<string, ServicePrincipalSignInActivity>;
  credentials: CredentialContext;
}

export const normalizeEntra: Normalizer = (source) => {
  const data = readTenant(source);
  return [...data.index.values()].filter((sp) => !isFirstParty(sp, data.tenantId)).map((sp) => toIdentity(source, sp, data));
};

function readTenant(source: SourceReader): TenantData {
  const tenantId = source.scope;
  const org = readCollection(source, FILE.organization, organizationList, CALL.organization);
  const sps = withAgentIdentityFacts(
    source,
    readCollection(source, FILE.servicePrincipals, servicePrincipalPage, CALL.servicePrincipals, { paged: true }) ?? [],
  );
  const apps = readCollection(source, FILE.applications, applicationPage, CALL.applications, { paged: true }) ?? [];
  const grants =
    readCollection(source, FILE.oauth2PermissionGrants, oauth2PermissionGrantPage, CALL.oauth2PermissionGrants, {
      paged: true,
    }) ?? [];
  const roleAssignments = readCollection(source, FILE.roleAssignments, roleAssignmentList, CALL.roleAssignments) ?? [];
  const eligibilities =
    readCollection(source, FILE.roleEligibilitySchedules, roleEligibilityScheduleList, CALL.roleEligibilitySchedules) ?? [];
  const directory = readUserDirectory(source);
  const signIns = readCollection(
    source,
    FILE.servicePrincipalSignInActivities,
    servicePrincipalSignInActivityList,
    CALL.servicePrincipalSignInActivities,
  );
  // Per-credential last use is an optional extra (a beta report not every tenant can call).
  const credentialUse = readCollection(
    source,
    FILE.appCredentialSignInActivities,
    appCredentialSignInActivityList,
    CALL.appCredentialSignInActivities,
    { optional: true },
  );

  const lastUseByKeyId = credentialUse && new Map<string, string>();
  for (const activity of credentialUse ?? []) {
    const at = iso(activity.signInActivity?.lastSignInDateTime);
    const key = idKey(activity.keyId);
    if (at && lastUseByKeyId) lastUseByKeyId.set(key, latest(lastUseByKeyId.get(key), at) as string);
  }

  return {
    tenantId,
    tenantName: org?.find((o) => idKey(o.id) === idKey(tenantId))?.displayName ?? org?.[0]?.displayName ?? undefined,
    index: new Map(sps.map((sp) => [idKey(sp.id), sp])),
    spByAppId: new Map(sps.filter((sp) => sp.appId).map((sp) => [idKey(sp.appId as string), sp])),
    appByAppId: new Map(apps.map((app) => [idKey(app.appId), app])),
    grants: byPrincipal(grants, (g) => g.clientId),
    roleAssignments: byPrincipal(roleAssignments, (r) => r.principalId),
    eligibilities: byPrincipal(eligibilities, (r) => r.principalId),
    directory,
    signIns: signIns && new Map(signIns.map((s) => [idKey(s.appId), s])),
    credentials: { collectedAt: iso(source.collectedAt) ?? source.collectedAt, lastUseByKeyId },
  };
}

/** What agentIdentity adds to servicePrincipal (its blueprint, its creation time) comes, in
 * bundles from the live collector, from the type-cast listing; older bundles carry it inline. */
function withAgentIdentityFacts(source: SourceReader, sps: ServicePrincipal[]): ServicePrincipal[] {
  if (!source.callRecorded(CALL.agentIdentities)) return sps;
  const agents = readCollection(source, FILE.agentIdentities, agentIdentityPage, CALL.agentIdentities, { paged: true }) ?? [];
  const byId = new Map(agents.map((a) => [idKey(a.id), a]));
  return sps.map((sp) => {
    const agent = byId.get(idKey(sp.id));
    if (!agent) return sp;
    return {
      ...sp,
      '@odata.type': sp['@odata.type'] ?? AGENT_IDENTITY_TYPE,
      agentIdentityBlueprintId: sp.agentIdentityBlueprintId ?? agent.agentIdentityBlueprintId,
      createdDateTime: sp.createdDateTime ?? agent.createdDateTime,
    };
  });
}

/** A tenant-wide listing indexed by principal, so each principal finds its own without a scan. */
function byPrincipal<T>(items: T[], principalOf: (item: T) => string | null | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const id = principalOf(item);
    if (!id) continue;
    const key = idKey(id);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

/** Bundles from this collector hold the referenced users (directoryObjects/getByIds, in parts of
 * up to 1000 ids); older ones the tenant's soft-deleted users instead. */
function readUserDirectory(source: SourceReader): UserDirectory {
  if (!source.callRecorded(CALL.referencedUsers)) {
    const deleted = readCollection(source, FILE.deletedUsers, deletedUserList, CALL.deletedUsers);
    return deleted ? { deleted: new Set(deleted.map((u) => idKey(u.id))) } : {};
  }
  if (source.callFailed(CALL.referencedUsers)) return {};
  const users = new Map<string, DirectoryObject>();
  for (let part = 1; ; part++) {
    const body = source.json(`${FILE.referencedUsers}.part-${part}.json`, directoryObjectList, { optional: true });
    if (!body) break;
    for (const user of body.value) users.set(idKey(user.id), user);
  }
  return { users };
}

/** Sponsors of an agent identity; older bundles have none recorded. */
function readSponsors(source: SourceReader, sp: ServicePrincipal): OwnedBy[] {
  const type = sponsorType(sp);
  if (!type) return [];
  const call = type === 'agentIdentity' ? CALL.sponsors : CALL.blueprintSponsors;
  const file = objectFile(DIR.sponsors, sp.id);
  const list = source.callRecorded(call)
    ? source.json(file, directoryObjectList, { call: perObjectCall(source, call, sp.id) })
    : source.json(file, directoryObjectList, { optional: true });
  return (list?.value ?? []).map((object) => ({ object, on: 'sponsor' as const }));
}

function readOwners(source: SourceReader, sp: ServicePrincipal, app: Application | undefined): OwnedBy[] {
  const owned: OwnedBy[] = [];
  const spOwners = source.json(objectFile(DIR.servicePrincipalOwners, sp.id), directoryObjectList, {
    call: perObjectCall(source, CALL.servicePrincipalOwners, sp.id),
  });
  for (const object of spOwners?.value ?? []) owned.push({ object, on: 'servicePrincipal' });
  if (app) {
    const appOwners = source.json(objectFile(DIR.applicationOwners, app.id), directoryObjectList, {
      call: perObjectCall(source, CALL.applicationOwners, app.id),
    });
    for (const object of appOwners?.value ?? []) owned.push({ object, on: 'application' });
  }
  return owned;
}

function readCredentials(
  source: SourceReader,
  sp: ServicePrincipal,
  app: Application | undefined,
  ctx: CredentialContext,
): { credentials: Credential[]; trusts: Trust[] } {
  const credentials: Credential[] = [];
  const trusts: Trust[] = [];
  for (const pc of app?.passwordCredentials ?? []) credentials.push(clientSecret(pc, 'application', ctx));
  for (const kc of app?.keyCredentials ?? []) credentials.push(certificate(kc, 'application', ctx));
  for (const pc of sp.passwordCredentials) credentials.push(clientSecret(pc, 'servicePrincipal', ctx));
  for (const kc of sp.keyCredentials) credentials.push(certificate(kc, 'servicePrincipal', ctx));
  if (app) {
    const fics = source.json(objectFile(DIR.federatedIdentityCredentials, app.id), federatedIdentityCredentialList, {
      call: perObjectCall(source, CALL.federatedIdentityCredentials, app.id),
    });
    for (const fic of fics?.value ?? []) {
      const { credential, trust } = federated(fic);
      credentials.push(credential);
      trusts.push(trust);
    }
  }
  return { credentials, trusts };
}

function readEntitlements(source: SourceReader, sp: ServicePrincipal, data: TenantData): Entitlement[] {
  const assignments = source.json(objectFile(DIR.appRoleAssignments, sp.id), appRoleAssignmentList, {
    call: perObjectCall(source, CALL.appRoleAssignments, sp.id),
  });
  const mine = (principalId: string | null | undefined) => !!principalId && idKey(principalId) === idKey(sp.id);
  return [
    ...(assignments?.value ?? []).filter((a) => mine(a.principalId)).map((a) => appRoleEntitlement(a, data.index)),
    ...(data.grants.get(idKey(sp.id)) ?? []).map((g) => delegatedGrantEntitlement(g, data.index)),
    ...(data.roleAssignments.get(idKey(sp.id)) ?? []).map((r) => activeRoleEntitlement(r, data.tenantId)),
    ...(data.eligibilities.get(idKey(sp.id)) ?? []).map((r) => eligibleRoleEntitlement(r, data.tenantId)),
  ];
}

/** Managed identities name their Azure resource in alternativeNames: system-assigned ones
 * carry `isExplicit=False` and the resource that owns them, user-assigned ones `isExplicit=True`
 * and the identity resource itself. */
function managedIdentityFacts(sp: ServicePrincipal): { type?: string; resourceId?: string } {
  const explicit = sp.alternativeNames.find((n) => /^isExplicit=/i.test(n));
  const resourceId = sp.alternativeNames.find((n) => n.startsWith('/subscriptions/'));
  if (!explicit) return { resourceId };
  return { type: /=true$/i.test(explicit) ? 'user-assigned' : 'system-assigned', resourceId };
}

/** Entra tags are plain strings; `key=value` ones are tags in the provider-neutral sense. */
function keyValueTags(tags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags) {
    const eq = tag.indexOf('=');
    if (eq > 0) out[tag.slice(0, eq).trim()] = tag.slice(eq + 1).trim();
  }
  return out;
}

function requestedAppRoles(app: Application | undefined, data: TenantData): string[] | undefined {
  if (!app) return undefined;
  const names: string[] = [];
  for (const rra of app.requiredResourceAccess) {
    const resource = data.spByAppId.get(idKey(rra.resourceAppId));
    for (const access of rra.resourceAccess) {
      if (access.type !== 'Role') continue;
      names.push(resource?.appRoles.find((r) => idKey(r.id) === idKey(access.id))?.value ?? access.id);
    }
  }
  return names;
}

function signInFacts(sp: ServicePrincipal, data: TenantData) {
  const activity = data.signIns?.get(idKey(sp.appId ?? sp.id));
  const appOnly = iso(activity?.applicationAuthenticationClientSignInActivity?.lastSignInDateTime);
  const delegated = iso(activity?.delegatedClientSignInActivity?.lastSignInDateTime);
  const any = iso(activity?.lastSignInActivity?.lastSignInDateTime);
  const clientBreakdown = !!(activity?.applicationAuthenticationClientSignInActivity || activity?.delegatedClientSignInActivity);
  // lastSignInActivity also counts calls *to* this app as an API; prefer the client-side
  // figures, which say when the identity itself signed in.
  return { lastUsedAt: clientBreakdown ? latest(appOnly, delegated) : any, appOnly, delegated, any };
}

function toIdentity(source: SourceReader, sp: ServicePrincipal, data: TenantData): Identity {
  const kind = kindOf(sp);
  const app = sp.appId ? data.appByAppId.get(idKey(sp.appId)) : undefined;
  const owned = readOwners(source, sp, app);
  const sponsors = readSponsors(source, sp);
  const owners = toOwners([...owned, ...sponsors], data.directory);
  const { credentials, trusts } = readCredentials(source, sp, app, data.credentials);
  const entitlements = readEntitlements(source, sp, data);

  const trustedBy: Trust[] = [...trusts];
  // Agent identities hold no credentials: their blueprint signs in and exchanges its token for
  // one of the agent's, so whoever controls the blueprint acts as the agent. Owners of an agent
  // identity can manage it but cannot add a credential to it.
  if (kind !== 'agent-identity') trustedBy.push(...ownerTrust(owned, owners));
  const blueprint = sp.agentIdentityBlueprintId ? data.spByAppId.get(idKey(sp.agentIdentityBlueprintId)) : undefined;
  if (sp.agentIdentityBlueprintId) {
    trustedBy.push({
      principal: sp.agentIdentityBlueprintId,
      kind: 'app',
      via: `agent identity blueprint${blueprint ? ` ${blueprint.displayName}` : ''}`,
    });
  }
  const mi = kind === 'managed-identity' ? managedIdentityFacts(sp) : {};
  if (mi.type === 'system-assigned' && mi.resourceId) {
    trustedBy.push({ principal: mi.resourceId, kind: 'service', via: 'system-assigned managed identity' });
  }

  // Published by another tenant: a vendor's multi-tenant app, or an agent identity built from
  // another tenant's blueprint. Managed identities have no owning organization.
  const owner = sp.appOwnerOrganizationId ?? undefined;
  const thirdParty = !!owner && idKey(owner) !== idKey(data.tenantId);
  const signIn = signInFacts(sp, data);
  const credentialUse = credentials.map((c) => c.lastUsedAt);
  const spTags = sp.tags;
  const appTags = app?.tags ?? [];

  const container: Identity['container'] = { type: 'tenant', id: data.tenantId };
  if (data.tenantName) container.name = data.tenantName;

  const identity: Identity = {
    id: `entra:${data.tenantId}:sp/${sp.id}`,
    provider: 'entra',
    kind,
    name: sp.displayName,
    container,
    owners,
    tags: { ...keyValueTags(appTags), ...keyValueTags(spTags) },
    enabled: sp.accountEnabled !== false,
    human: false,
    agent: UNCLASSIFIED,
    credentials,
    entitlements,
    trustedBy,
    attributes: compact({
      objectId: sp.id,
      appId: sp.appId,
      applicationObjectId: app?.id,
      odataType: sp['@odata.type'],
      servicePrincipalType: sp.servicePrincipalType,
      appOwnerOrganizationId: owner,
      thirdParty,
      ownApp: !!app,
      signInAudience: app?.signInAudience ?? sp.signInAudience,
      publisherName: sp.publisherName,
      verifiedPublisher: sp.verifiedPublisher?.displayName,
      description: sp.description ?? app?.description,
      notes: sp.notes ?? app?.notes,
      spTags,
      appTags: app ? appTags : undefined,
      sponsors: sponsors.length > 0 ? sponsors.map((s) => s.object.id) : undefined,
      agentIdentityBlueprintId: sp.agentIdentityBlueprintId,
      agentIdentityBlueprintName: blueprint?.displayName,
      agentIdentityBlueprint: sp['@odata.type'] === BLUEPRINT_PRINCIPAL_TYPE || undefined,
      createdByAppId: sp.createdByAppId,
      managedIdentityType: mi.type,
      azureResourceId: mi.resourceId,
      requestedAppRoles: requestedAppRoles(app, data),
      usageTracked: data.signIns ? true : undefined,
      lastSignInAt: signIn.any,
      lastAppOnlySignInAt: signIn.appOnly,
      lastDelegatedSignInAt: signIn.delegated,
    }),
  };
  const createdAt = iso(sp.createdDateTime) ?? iso(app?.createdDateTime);
  if (createdAt) identity.createdAt = createdAt;
  const lastUsedAt = latest(signIn.lastUsedAt, ...credentialUse);
  if (lastUsedAt) identity.lastUsedAt = lastUsedAt;
  return identity;
}
