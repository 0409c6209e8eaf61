import type { Owner, Trust } from '../../model/inventory.js';
import { idKey } from './values.js';
import type { DirectoryObject } from './wire.js';

// Owners of an application or service principal. An owner can add a secret to the app and sign
// in as it, so live owners are also trust entries. The owners listing says who is recorded as
// owner; the deleted-users listing says which of them are gone, and accountEnabled says
// whether a remaining one can still sign in.

export interface OwnedBy {
  object: DirectoryObject;
  /** Which object the ownership is on: owners of the application can mint its credentials;
   * sponsors of an agent identity are accountable for it but cannot act as it. */
  on: 'application' | 'servicePrincipal' | 'sponsor';
}

/** What the bundle says about the users owners and sponsors point at. */
export interface UserDirectory {
  /** Users returned by directoryObjects/getByIds: an owner user id missing here no longer exists. */
  users?: Map<string, DirectoryObject>;
  /** Soft-deleted user ids (older bundles, /directory/deletedItems). */
  deleted?: Set<string>;
}

function ownerKind(odataType: string): Owner['kind'] {
  switch (odataType) {
    case '#microsoft.graph.user':
      return 'user';
    case '#microsoft.graph.group':
      return 'group';
    case '#microsoft.graph.servicePrincipal':
    case '#microsoft.graph.agentIdentity':
      return 'service-principal';
    default:
      return 'unknown';
  }
}

/** Soft-deleted users keep their UPN behind their object id without dashes; show the original. */
function displayUpn(object: DirectoryObject): string | undefined {
  const upn = object.userPrincipalName ?? undefined;
  const prefix = object.id.replace(/-/g, '').toLowerCase();
  return upn && upn.toLowerCase().startsWith(prefix) ? upn.slice(prefix.length) : upn;
}

/**
 * @param directory the referenced users (getByIds) or the deleted users (older bundles); with
 *   neither (the call failed), whether an owner still exists is unknown.
 */
export function toOwners(owned: OwnedBy[], directory: UserDirectory): Owner[] {
  const byId = new Map<string, Owner>();
  for (const { object } of owned) {
    const key = idKey(object.id);
    if (byId.has(key)) continue;
    const kind = ownerKind(object['@odata.type']);
    const name = displayUpn(object) ?? object.displayName ?? undefined;
    // Built without the absent name rather than deleting it after: a deleted field leaves every
    // such owner a slower, larger dictionary-mode object for the rest of the scan.
    const owner: Owner = { id: object.id, ...(name !== undefined && { name }), kind, source: 'api' };
    const user = kind === 'user' ? directory.users?.get(key) : undefined;
    if (directory.users && kind === 'user') owner.exists = !!user;
    // The deleted-users listing speaks for users only; an owning app or group it cannot place.
    else if (directory.deleted && kind === 'user') owner.exists = !directory.deleted.has(key);
    const enabled = user?.accountEnabled ?? object.accountEnabled;
    if (enabled === false) owner.active = false;
    else if (enabled === true) owner.active = true;
    byId.set(key, owner);
  }
  return [...byId.values()];
}

const TRUST_KIND: Record<Owner['kind'], Trust['kind']> = {
  user: 'user',
  group: 'group',
  'service-principal': 'app',
  team: 'group',
  resource: 'service',
  unknown: 'user',
};

/** Owners who can still sign in can add a credential and act as the app. */
export function ownerTrust(owned: OwnedBy[], owners: Owner[]): Trust[] {
  const trusts: Trust[] = [];
  const seen = new Set<string>();
  for (const { object, on } of owned) {
    if (on === 'sponsor') continue;
    const owner = owners.find((o) => idKey(o.id) === idKey(object.id));
    if (!owner || owner.exists === false || owner.active === false) continue;
    const key = `${idKey(object.id)}|${on}`;
    if (seen.has(key)) continue;
    seen.add(key);
    trusts.push({
      principal: owner.name ?? owner.id,
      kind: TRUST_KIND[owner.kind],
      via: on === 'application' ? 'owner of the application' : 'owner of the service principal',
    });
  }
  return trusts;
}
