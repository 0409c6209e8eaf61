import type { Entitlement, Identity, Trust } from './inventory.js';

// The keys that name one grant or trust across scans: fingerprints, drift and root-cause folding
// all read them, so they live with the model rather than in any one stage.

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

/** A trust's identity across scans: the statement or binding, the principal and its subject. */
export function trustKey(t: Trust): string {
  return `${t.via}:${t.principal}${t.subject ? `#${t.subject}` : ''}`;
}

/** A grant's identity across scans: what grants it and on what, not its permissions (which may change). */
export function entitlementKey(e: Entitlement): string {
  return `${e.via.type}:${e.via.id ?? e.via.name}:${e.resource}${e.effect === 'deny' ? ':deny' : ''}`;
}
