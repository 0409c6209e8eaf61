import type { Entitlement } from '../../model/inventory.js';
import {
  applicationPermissionScope,
  builtInRoleName,
  rateDirectoryRole,
  ratePermission,
  ratePermissions,
} from './permissions.js';
import { idKey, iso } from './values.js';
import type {
  AppRoleAssignment,
  OAuth2PermissionGrant,
  RoleAssignment,
  RoleEligibilitySchedule,
  ServicePrincipal,
} from './wire.js';

// The three ways a service principal holds access in Entra: app roles on an API (application
// permissions, always on), delegated grants (acting with a signed-in user's authority, for one
// user or for everyone), and directory roles (active, or PIM-eligible and off until activated).

/** The default app role id: "access to the app" without any named permission. */
const DEFAULT_ACCESS_ROLE = '00000000-0000-0000-0000-000000000000';

/** Service principals of the tenant by object id, including first-party APIs such as Microsoft
 * Graph, whose appRoles turn an appRoleId into the permission name. */
export type ServicePrincipalIndex = Map<string, ServicePrincipal>;

function resourceName(index: ServicePrincipalIndex, resourceId: string, fallback?: string | null): string {
  return index.get(idKey(resourceId))?.displayName ?? fallback ?? resourceId;
}

function appRoleValue(index: ServicePrincipalIndex, resourceId: string, appRoleId: string): string {
  if (appRoleId === DEFAULT_ACCESS_ROLE) return 'default access';
  const role = index.get(idKey(resourceId))?.appRoles.find((r) => idKey(r.id) === idKey(appRoleId));
  // An unresolvable role keeps its GUID so the grant is still visible and can be looked up.
  return role?.value ?? appRoleId;
}

export function appRoleEntitlement(a: AppRoleAssignment, index: ServicePrincipalIndex): Entitlement {
  const permission = appRoleValue(index, a.resourceId, a.appRoleId);
  const { level, risks } = ratePermission(permission);
  return {
    permissions: [permission],
    resource: resourceName(index, a.resourceId, a.resourceDisplayName),
    scope: applicationPermissionScope(permission),
    via: { type: 'app-role', name: permission, id: a.id },
    level,
    standing: true,
    risks,
    effect: 'allow',
  };
}

export function delegatedGrantEntitlement(g: OAuth2PermissionGrant, index: ServicePrincipalIndex): Entitlement {
  const permissions = (g.scope ?? '').split(/\s+/).filter(Boolean);
  const { level, risks } = ratePermissions(permissions);
  const everyone = g.consentType === 'AllPrincipals';
  const entitlement: Entitlement = {
    permissions,
    resource: resourceName(index, g.resourceId),
    // Consent for all users reaches every mailbox and drive the scopes cover; a per-user
    // grant reaches one person's data.
    scope: everyone ? 'organization' : 'resource',
    via: { type: 'delegated-grant', name: everyone ? 'admin consent for all users' : 'user consent', id: g.id },
    level,
    standing: true,
    risks,
    effect: 'allow',
  };
  const onBehalfOf = everyone ? 'AllPrincipals' : g.principalId;
  if (onBehalfOf) entitlement.onBehalfOf = onBehalfOf;
  return entitlement;
}

function directoryScope(directoryScopeId: string | null | undefined, tenantId: string) {
  const scopeId = directoryScopeId ?? '/';
  if (scopeId === '/') return { resource: tenantId, scope: 'organization' as const };
  if (scopeId.startsWith('/administrativeUnits/')) return { resource: scopeId, scope: 'container' as const };
  return { resource: scopeId, scope: 'resource' as const };
}

function directoryRole(
  r: RoleAssignment | RoleEligibilitySchedule,
  tenantId: string,
  standing: boolean,
): Entitlement {
  const templateId = r.roleDefinition?.templateId ?? r.roleDefinitionId;
  const name = r.roleDefinition?.displayName ?? builtInRoleName(r.roleDefinitionId) ?? r.roleDefinitionId;
  const { level, risks } = rateDirectoryRole(templateId, name);
  return {
    permissions: [name],
    ...directoryScope(r.directoryScopeId, tenantId),
    via: { type: 'directory-role', name, id: templateId },
    level,
    standing,
    risks,
    effect: 'allow',
  };
}

/** An active assignment: the role is on now, whether or not anyone activated it. */
export function activeRoleEntitlement(r: RoleAssignment, tenantId: string): Entitlement {
  return directoryRole(r, tenantId, true);
}

/** A PIM eligibility: off until activated, so not standing; may itself expire. */
export function eligibleRoleEntitlement(r: RoleEligibilitySchedule, tenantId: string): Entitlement {
  const entitlement = directoryRole(r, tenantId, false);
  const expiresAt = iso(r.scheduleInfo?.expiration?.endDateTime);
  if (expiresAt) entitlement.expiresAt = expiresAt;
  return entitlement;
}
