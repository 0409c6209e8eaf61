import type { Entitlement, Identity } from './inventory.js';

/** The grant as a root cause: for AWS the policy itself, however it is reached (directly or
 * through a group) and on whichever resources its statements name — one policy is one thing to
 * fix; elsewhere the role, scope or permission set on its resource. */
export function grantRootKey(identity: Pick<Identity, 'provider'>, e: Entitlement): string {
  const deny = e.effect === 'deny' ? ':deny' : '';
  if (identity.provider === 'aws' && ['managed-policy', 'group-policy', 'inline-policy'].includes(e.via.type)) {
    const managed = e.via.id?.includes(':policy/');
    return `grant:${managed ? e.via.id : `${e.via.type}:${e.via.id ?? ''}:${e.via.name}`}${deny}`;
  }
  return `grant:${e.via.type}:${e.via.id ?? e.via.name}@${e.resource}${deny}`;
}
