import { z } from 'zod';

// Zod schemas for the raw Microsoft Graph responses an Entra bundle holds, one per file kind.
// Only the fields the normalizer reads are declared; zod objects drop the rest, so new Graph
// properties never break a bundle. Fields the normalizer cannot do without are required, so a
// malformed file fails with the file name and the JSON path of the bad field.

/** Graph DateTimeOffset. Graph writes 7 fractional digits and, in some report samples, odd
 * offsets ("-8:00"), so accept anything Date.parse understands rather than strict ISO. */
export const graphDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
  error: 'expected a date-time string',
});

/** Object ids, app ids, key ids and role template ids are GUIDs. */
export const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a GUID');

/** Every Graph collection response: `value` plus paging and context annotations. */
export function graphCollection<T extends z.ZodType>(item: T) {
  return z.object({
    '@odata.context': z.string().optional(),
    '@odata.nextLink': z.string().optional(),
    value: z.array(item),
  });
}

// ---- credentials on applications and service principals ----

export const passwordCredential = z.object({
  keyId: guid,
  displayName: z.string().nullish(),
  /** First three characters of the secret: safe to print, and what the portal shows. */
  hint: z.string().nullish(),
  startDateTime: graphDateTime.nullish(),
  endDateTime: graphDateTime.nullish(),
});
export type PasswordCredential = z.infer<typeof passwordCredential>;

export const keyCredential = z.object({
  keyId: guid,
  displayName: z.string().nullish(),
  /** AsymmetricX509Cert, X509CertAndPassword, Symmetric. */
  type: z.string().nullish(),
  /** Verify (client authentication) or Sign (token signing). */
  usage: z.string().nullish(),
  startDateTime: graphDateTime.nullish(),
  endDateTime: graphDateTime.nullish(),
  /** Base64 of the certificate's SHA-1 thumbprint for X.509 keys. */
  customKeyIdentifier: z.string().nullish(),
});
export type KeyCredential = z.infer<typeof keyCredential>;

// ---- GET /servicePrincipals ----

export const appRole = z.object({
  id: guid,
  value: z.string().nullish(),
  displayName: z.string().nullish(),
  allowedMemberTypes: z.array(z.string()).default([]),
  isEnabled: z.boolean().nullish(),
});

const signInActivity = z.object({ lastSignInDateTime: graphDateTime.nullish() });

export const servicePrincipal = z.object({
  /** #microsoft.graph.agentIdentity / agentIdentityBlueprintPrincipal for Agent ID objects. */
  '@odata.type': z.string().optional(),
  id: guid,
  /** Absent on agent identities, which have no application object of their own. */
  appId: z.string().nullish(),
  displayName: z.string(),
  servicePrincipalType: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  appOwnerOrganizationId: guid.nullish(),
  tags: z.array(z.string()).default([]),
  alternativeNames: z.array(z.string()).default([]),
  createdDateTime: graphDateTime.nullish(),
  description: z.string().nullish(),
  notes: z.string().nullish(),
  signInAudience: z.string().nullish(),
  publisherName: z.string().nullish(),
  verifiedPublisher: z.object({ displayName: z.string().nullish() }).nullish(),
  agentIdentityBlueprintId: z.string().nullish(),
  createdByAppId: z.string().nullish(),
  passwordCredentials: z.array(passwordCredential).default([]),
  keyCredentials: z.array(keyCredential).default([]),
  appRoles: z.array(appRole).default([]),
});
export type ServicePrincipal = z.infer<typeof servicePrincipal>;

// ---- GET /servicePrincipals/microsoft.graph.agentIdentity (what agentIdentity adds) ----

export const agentIdentity = z.object({
  id: guid,
  agentIdentityBlueprintId: z.string().nullish(),
  createdDateTime: graphDateTime.nullish(),
});

// ---- GET /applications ----

export const application = z.object({
  '@odata.type': z.string().optional(),
  id: guid,
  appId: z.string(),
  displayName: z.string(),
  createdDateTime: graphDateTime.nullish(),
  signInAudience: z.string().nullish(),
  description: z.string().nullish(),
  notes: z.string().nullish(),
  tags: z.array(z.string()).default([]),
  passwordCredentials: z.array(passwordCredential).default([]),
  keyCredentials: z.array(keyCredential).default([]),
  requiredResourceAccess: z
    .array(
      z.object({
        resourceAppId: z.string(),
        resourceAccess: z.array(z.object({ id: guid, type: z.string() })).default([]),
      }),
    )
    .default([]),
});
export type Application = z.infer<typeof application>;

// ---- GET /applications/{id}/federatedIdentityCredentials ----

export const federatedIdentityCredential = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  /** null when a flexible credential matches with claimsMatchingExpression instead. */
  subject: z.string().nullish(),
  audiences: z.array(z.string()).default([]),
  description: z.string().nullish(),
  claimsMatchingExpression: z.object({ value: z.string(), languageVersion: z.number() }).nullish(),
});
export type FederatedIdentityCredential = z.infer<typeof federatedIdentityCredential>;

// ---- GET /servicePrincipals/{id}/appRoleAssignments ----

export const appRoleAssignment = z.object({
  id: z.string(),
  appRoleId: guid,
  principalId: guid,
  resourceId: guid,
  resourceDisplayName: z.string().nullish(),
  createdDateTime: graphDateTime.nullish(),
});
export type AppRoleAssignment = z.infer<typeof appRoleAssignment>;

// ---- GET /oauth2PermissionGrants ----

export const oauth2PermissionGrant = z.object({
  id: z.string(),
  clientId: guid,
  consentType: z.enum(['AllPrincipals', 'Principal']),
  principalId: guid.nullish(),
  resourceId: guid,
  /** Space-separated delegated scopes; Graph may leave stray spaces. */
  scope: z.string().nullish(),
});
export type OAuth2PermissionGrant = z.infer<typeof oauth2PermissionGrant>;

// ---- GET /roleManagement/directory/roleAssignments and roleEligibilitySchedules ----

const roleDefinition = z.object({
  id: z.string().nullish(),
  displayName: z.string(),
  templateId: z.string().nullish(),
  isBuiltIn: z.boolean().nullish(),
});

export const roleAssignment = z.object({
  id: z.string(),
  principalId: guid,
  roleDefinitionId: z.string(),
  directoryScopeId: z.string().nullish(),
  appScopeId: z.string().nullish(),
  roleDefinition: roleDefinition.nullish(),
});
export type RoleAssignment = z.infer<typeof roleAssignment>;

export const roleEligibilitySchedule = z.object({
  id: z.string(),
  principalId: guid,
  roleDefinitionId: z.string(),
  directoryScopeId: z.string().nullish(),
  memberType: z.string().nullish(),
  status: z.string().nullish(),
  scheduleInfo: z
    .object({
      startDateTime: graphDateTime.nullish(),
      expiration: z
        .object({
          /** notSpecified | noExpiration | afterDateTime | afterDuration */
          type: z.string().nullish(),
          endDateTime: graphDateTime.nullish(),
          duration: z.string().nullish(),
        })
        .nullish(),
    })
    .nullish(),
  roleDefinition: roleDefinition.nullish(),
});
export type RoleEligibilitySchedule = z.infer<typeof roleEligibilitySchedule>;

// ---- GET …/owners and GET /directory/deletedItems/microsoft.graph.user ----

export const directoryObject = z.object({
  /** #microsoft.graph.user, #microsoft.graph.servicePrincipal, #microsoft.graph.group … */
  '@odata.type': z.string(),
  id: guid,
  displayName: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
});
export type DirectoryObject = z.infer<typeof directoryObject>;

export const deletedUser = z.object({
  id: guid,
  displayName: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  deletedDateTime: graphDateTime.nullish(),
});

// ---- GET /organization ----

export const organization = z.object({
  id: guid,
  displayName: z.string().nullish(),
  verifiedDomains: z
    .array(z.object({ name: z.string(), isDefault: z.boolean().nullish(), isInitial: z.boolean().nullish() }))
    .default([]),
});

// ---- beta GET /reports/servicePrincipalSignInActivities, /reports/appCredentialSignInActivities ----

export const servicePrincipalSignInActivity = z.object({
  appId: z.string(),
  lastSignInActivity: signInActivity.nullish(),
  delegatedClientSignInActivity: signInActivity.nullish(),
  applicationAuthenticationClientSignInActivity: signInActivity.nullish(),
  delegatedResourceSignInActivity: signInActivity.nullish(),
  applicationAuthenticationResourceSignInActivity: signInActivity.nullish(),
});
export type ServicePrincipalSignInActivity = z.infer<typeof servicePrincipalSignInActivity>;

export const appCredentialSignInActivity = z.object({
  keyId: z.string(),
  appId: z.string().nullish(),
  keyType: z.string().nullish(),
  credentialOrigin: z.string().nullish(),
  signInActivity: signInActivity.nullish(),
});
export type AppCredentialSignInActivity = z.infer<typeof appCredentialSignInActivity>;

export const servicePrincipalPage = graphCollection(servicePrincipal);
export const agentIdentityPage = graphCollection(agentIdentity);
export const applicationPage = graphCollection(application);
export const federatedIdentityCredentialList = graphCollection(federatedIdentityCredential);
export const appRoleAssignmentList = graphCollection(appRoleAssignment);
export const oauth2PermissionGrantPage = graphCollection(oauth2PermissionGrant);
export const roleAssignmentList = graphCollection(roleAssignment);
export const roleEligibilityScheduleList = graphCollection(roleEligibilitySchedule);
export const directoryObjectList = graphCollection(directoryObject);
export const deletedUserList = graphCollection(deletedUser);
export const organizationList = graphCollection(organization);
export const servicePrincipalSignInActivityList = graphCollection(servicePrincipalSignInActivity);
export const appCredentialSignInActivityList = graphCollection(appCredentialSignInActivity);
