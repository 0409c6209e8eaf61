import { CALL } from '../files.js';

// The Graph application permission each collected call needs, least privilege first as
// Microsoft's API reference lists them. `agentscan permissions entra` prints their union and a
// 403 names the one that was missing, so both follow this table. Kept free of SDK imports.

export interface CallNeeds {
  /** The least-privileged application permission that allows the call. */
  permission: string;
  /** Licence or other precondition beyond the permission. */
  requires?: string;
}

/** The calls the live collector makes (deleted users are read only from older bundles). */
export const COLLECTED_CALLS: Record<Exclude<keyof typeof CALL, 'deletedUsers'>, CallNeeds> = {
  organization: { permission: 'Organization.Read.All' },
  servicePrincipals: { permission: 'Application.Read.All' },
  agentIdentities: { permission: 'AgentIdentity.Read.All' },
  applications: { permission: 'Application.Read.All' },
  federatedIdentityCredentials: { permission: 'Application.Read.All' },
  appRoleAssignments: { permission: 'Application.Read.All' },
  oauth2PermissionGrants: { permission: 'DelegatedPermissionGrant.Read.All' },
  roleAssignments: { permission: 'RoleManagement.Read.Directory' },
  roleEligibilitySchedules: { permission: 'RoleEligibilitySchedule.Read.Directory', requires: 'Microsoft Entra ID P2 (PIM)' },
  servicePrincipalOwners: { permission: 'Application.Read.All' },
  applicationOwners: { permission: 'Application.Read.All' },
  sponsors: { permission: 'AgentIdentity.Read.All' },
  blueprintSponsors: { permission: 'AgentIdentityBlueprintPrincipal.Read.All' },
  referencedUsers: { permission: 'User.Read.All' },
  servicePrincipalSignInActivities: { permission: 'AuditLog.Read.All', requires: 'Microsoft Entra ID P1 (sign-in reports)' },
  appCredentialSignInActivities: { permission: 'AuditLog.Read.All', requires: 'Microsoft Entra ID P1 (sign-in reports)' },
};

/** The permission a coverage call needs, by its call name. */
export function needsOf(call: string): CallNeeds | undefined {
  const key = (Object.keys(CALL) as (keyof typeof CALL)[]).find((k) => CALL[k] === call);
  return key && key !== 'deletedUsers' ? COLLECTED_CALLS[key] : undefined;
}

/** Broader permissions that also allow the calls above; consenting these instead is common. */
export const BROADER_PERMISSIONS = ['Directory.Read.All', 'RoleManagement.Read.Directory', 'AuditLog.Read.All'];

/** Tenants collected at once unless --concurrency says otherwise. */
export const DEFAULT_TENANT_CONCURRENCY = 4;
