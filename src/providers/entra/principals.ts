import type { IdentityKind } from '../../model/inventory.js';
import { idKey } from './values.js';

// What kind of principal a service principal is, shared by the collector (which reads owners,
// grants and credentials only for principals worth judging) and the normalizer. Microsoft's own
// first-party service principals (Microsoft Graph, …) are resources, not identities anyone here
// controls; they are kept only to resolve app-role ids to names.

/** Tenants that publish Microsoft first-party apps: Microsoft Services and Microsoft's own. */
const MICROSOFT_TENANTS = new Set(['f8cdef31-a31e-4b4a-93e4-5f571e91255a', '72f988bf-86f1-41af-91ab-2d7cd011db47']);

export const AGENT_IDENTITY_TYPE = '#microsoft.graph.agentIdentity';
export const BLUEPRINT_PRINCIPAL_TYPE = '#microsoft.graph.agentIdentityBlueprintPrincipal';

/** The fields of a service principal these decisions read. */
export interface PrincipalShape {
  '@odata.type'?: string;
  servicePrincipalType?: string | null;
  appOwnerOrganizationId?: string | null;
}

export function kindOf(sp: PrincipalShape): IdentityKind {
  if (sp['@odata.type'] === AGENT_IDENTITY_TYPE) return 'agent-identity';
  // Graph sets servicePrincipalType ServiceIdentity on every agent identity.
  if (sp.servicePrincipalType === 'ServiceIdentity' && sp['@odata.type'] !== BLUEPRINT_PRINCIPAL_TYPE) return 'agent-identity';
  if (sp.servicePrincipalType === 'ManagedIdentity') return 'managed-identity';
  return 'service-principal';
}

export function isFirstParty(sp: PrincipalShape, tenantId: string): boolean {
  const owner = sp.appOwnerOrganizationId ? idKey(sp.appOwnerOrganizationId) : undefined;
  return kindOf(sp) === 'service-principal' && !!owner && owner !== idKey(tenantId) && MICROSOFT_TENANTS.has(owner);
}

/** Agent ID objects have sponsors (the people accountable for them), read through their own
 * type's navigation property; undefined for other service principals. */
export function sponsorType(sp: PrincipalShape): 'agentIdentity' | 'agentIdentityBlueprintPrincipal' | undefined {
  if (kindOf(sp) === 'agent-identity') return 'agentIdentity';
  return sp['@odata.type'] === BLUEPRINT_PRINCIPAL_TYPE ? 'agentIdentityBlueprintPrincipal' : undefined;
}
