import type { Owner } from '../../model/inventory.js';
import { deletedMember } from './members.js';
import type { Policy } from './wire.js';

// Service accounts have no owner field and no labels. Teams write the owner into the
// description ("… Owner: data-platform@acme.example"), so that is where we look. IAM policies
// then tell us what the owner is: a `group:` or `user:` member, and whether the account is
// gone, because IAM rewrites a deleted principal's bindings as `deleted:user:<email>?uid=…`.

const OWNER_IN_TEXT = /\bowner\s*[:=]\s*([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/i;

interface PrincipalState {
  kind: Owner['kind'];
  exists: boolean;
}

/** Every user and group named in the policies, live or deleted. */
export function principalsInPolicies(policies: Array<Policy | undefined>): Map<string, PrincipalState> {
  const seen = new Map<string, PrincipalState>();
  const kindOf = (type: string): Owner['kind'] => (type === 'user' ? 'user' : type === 'group' ? 'group' : 'unknown');
  for (const policy of policies) {
    for (const member of policy?.bindings.flatMap((b) => b.members) ?? []) {
      const deleted = deletedMember(member);
      if (deleted) {
        // A live binding for the same e-mail means it was re-created: live wins.
        if (!seen.get(deleted.email)?.exists) seen.set(deleted.email, { kind: kindOf(deleted.type), exists: false });
        continue;
      }
      const colon = member.indexOf(':');
      const type = member.slice(0, colon);
      if (type === 'user' || type === 'group') seen.set(member.slice(colon + 1), { kind: kindOf(type), exists: true });
    }
  }
  return seen;
}

export function ownersFromDescription(description: string | undefined, principals: ReadonlyMap<string, PrincipalState>): Owner[] {
  const email = description ? OWNER_IN_TEXT.exec(description)?.[1] : undefined;
  if (!email) return [];
  const known = principals.get(email);
  return [{ id: email, kind: known?.kind ?? 'unknown', source: 'tag', ...(known ? { exists: known.exists } : {}) }];
}
