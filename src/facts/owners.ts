import type { Identity, Owner } from '../model/inventory.js';

// Owners from every place teams record them, beyond what each provider's API names: a team tag
// or label, "Owner: ml-platform" in a description or notes, and for an identity that belongs to
// a resource (an Azure managed identity, a provider's service-linked account) the resource
// itself. Applied only where the provider found no owner, so API owners always win.

const TEAM_KEYS = /^(owner|owners|owner[-_ ]?(team|email)?|team|owning[-_ ]?team|squad|contact|maintainer|maintained[-_ ]?by|owned[-_ ]?by)$/i;
const OWNER_IN_TEXT = /\b(?:owner|owned by|maintained by|team)\s*[:=]\s*([A-Za-z0-9][A-Za-z0-9._%+@/-]*[A-Za-z0-9])/i;

const kindOf = (value: string): Owner['kind'] => (value.includes('@') ? 'user' : 'team');

function text(identity: Identity, field: string): string | undefined {
  const value = identity.attributes[field];
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/** Owners the identity's tags, labels, description and notes name. */
export function recordedOwners(identity: Identity): Owner[] {
  const out = new Map<string, Owner>();
  for (const [key, value] of Object.entries(identity.tags)) {
    if (TEAM_KEYS.test(key) && value.trim()) out.set(value.trim(), { id: value.trim(), kind: kindOf(value), source: 'tag' });
  }
  for (const field of ['description', 'notes']) {
    const found = text(identity, field)?.match(OWNER_IN_TEXT)?.[1];
    if (found && !out.has(found)) out.set(found, { id: found, kind: kindOf(found), source: 'tag' });
  }
  // An Azure managed identity lives and dies with its resource (the VM, the automation account,
  // or the user-assigned identity resource in its resource group).
  const resource = text(identity, 'azureResourceId');
  if (out.size === 0 && identity.kind === 'managed-identity' && resource) {
    out.set(resource, { id: resource, name: resource.slice(resource.lastIndexOf('/') + 1), kind: 'resource', source: 'api' });
  }
  return [...out.values()];
}

/** The identity with owners from its records when the provider named none. */
export function withRecordedOwners(identity: Identity): Identity {
  if (identity.owners.length > 0) return identity;
  const owners = recordedOwners(identity);
  return owners.length ? { ...identity, owners } : identity;
}
