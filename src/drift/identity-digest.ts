import { createHash } from 'node:crypto';
import { PERMISSION_SET_MIN, permissionSetId } from '../model/permission-set.js';
import type { Entitlement } from '../model/inventory.js';
import { entitlementKey } from '../model/root-cause.js';

// Drift reads a baseline identity in full only when it could differ from the same identity now.
// A digest of what diff.ts compares (verdict, enabled; each credential's id, type, expiry and
// whether it was used; each grant's key, level, standing and permissions) tells equal ones apart,
// so a snapshot side keeps the digest, not the identity, and reads the few that differ back from
// its file. Equal digests mean no change; unequal ones only mean "compare in full", so anything
// stricter than diff.ts (list order, a string the report cleaned) costs a read, never a result.

/** What the digest reads: an identity of a scan, or one as a snapshot holds it (a long
 * permission list by its permissionSet id). */
export interface DigestInput {
  enabled: boolean;
  agent: { verdict: string };
  credentials: ReadonlyArray<{ id: string; type: string; lastUsedAt?: string; expiresAt?: string }>;
  entitlements: ReadonlyArray<
    Pick<Entitlement, 'via' | 'resource' | 'level' | 'standing' | 'effect'> & { permissions?: readonly string[]; permissionSet?: string }
  >;
}

export class IdentityDigests {
  /** Thousands of identities hold the same managed policy's list: it is hashed once. */
  private readonly lists = new WeakMap<readonly string[], string>();

  private permissions(e: DigestInput['entitlements'][number]): string | readonly string[] {
    if (typeof e.permissionSet === 'string' && e.permissions === undefined) return e.permissionSet;
    const list = e.permissions ?? [];
    if (list.length < PERMISSION_SET_MIN) return list;
    let id = this.lists.get(list);
    if (id === undefined) this.lists.set(list, (id = permissionSetId(list)));
    return id;
  }

  of(identity: DigestInput): string {
    const text = JSON.stringify([
      identity.agent.verdict,
      identity.enabled,
      identity.credentials.map((c) => [c.id, c.type, Boolean(c.lastUsedAt), c.expiresAt ?? null]),
      identity.entitlements.map((e) => [entitlementKey(e as Entitlement), e.level, e.standing, this.permissions(e)]),
    ]);
    return createHash('sha256').update(text).digest('base64url').slice(0, 22);
  }
}
