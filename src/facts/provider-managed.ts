import type { Identity } from '../model/inventory.js';

// Identities the provider creates and runs for its own services: AWS service-linked roles, Google
// service agents, Microsoft's first-party service principals. The customer cannot change them
// (only, sometimes, delete them), nobody in the organisation owns them, and their use is the
// provider's. They belong in the inventory, so it is complete, but are never judged ownerless,
// stale or over-scoped.

/** Tenants Microsoft publishes its own applications from (first-party apps). */
const MICROSOFT_TENANTS = new Set(['f8cdef31-a31e-4b4a-93e4-5f571e91255a', '72f988bf-86f1-41af-91ab-2d7cd011db47']);

/** Why the identity is provider-managed, or undefined when it is the customer's. */
export function providerManagedReason(identity: Identity): string | undefined {
  const marked = identity.attributes.providerManaged;
  if (typeof marked === 'string' && marked) return marked;
  if (marked === true) return `managed by ${identity.provider}`;
  if (identity.kind === 'service-agent') return 'Google-managed service agent';
  const owner = identity.attributes.appOwnerOrganizationId;
  if (identity.provider === 'entra' && typeof owner === 'string' && MICROSOFT_TENANTS.has(owner)) {
    return 'Microsoft first-party application';
  }
  return undefined;
}

/** The identity with `attributes.providerManaged` saying why, when it is provider-managed. */
export function markProviderManaged(identity: Identity): Identity {
  const reason = providerManagedReason(identity);
  if (!reason || identity.attributes.providerManaged === reason) return identity;
  return { ...identity, attributes: { ...identity.attributes, providerManaged: reason } };
}

export const isProviderManaged = (identity: Identity): boolean => providerManagedReason(identity) !== undefined;
