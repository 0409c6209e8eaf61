import type { Entitlement } from '../../model/inventory.js';
import { classicScope, fineGrainedLevel, fineGrainedRisks, maxLevel, uniqueRisks } from './permissions.js';

// Entitlements built from GitHub's two permission vocabularies. Permissions are written
// `name:access` (contents:write) for fine-grained maps and as bare scopes (repo) for classic
// tokens, so rules can match the names GitHub documents.

interface Grant {
  resource: string;
  scope: Entitlement['scope'];
  via: Entitlement['via'];
  /** The grant reaches every repository of the org (widens the contents risks). */
  allRepositories: boolean;
  /** When the token behind the grant stops working; a grant that expires is not standing. */
  expiresAt?: string;
}

function entitlement(grant: Grant, permissions: string[], levels: Entitlement['level'][], risks: Entitlement['risks']): Entitlement {
  return {
    permissions,
    resource: grant.resource,
    scope: grant.scope,
    via: grant.via,
    level: maxLevel(levels),
    standing: grant.expiresAt === undefined,
    ...(grant.expiresAt ? { expiresAt: grant.expiresAt } : {}),
    risks: uniqueRisks(risks),
    effect: 'allow',
  };
}

/** One entitlement from a fine-grained permission map; undefined when the map is empty. */
export function fineGrainedEntitlement(map: Record<string, string>, grant: Grant): Entitlement | undefined {
  const entries = Object.entries(map).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return undefined;
  return entitlement(
    grant,
    entries.map(([name, access]) => `${name}:${access}`),
    entries.map(([name, access]) => fineGrainedLevel(name, access)),
    entries.flatMap(([name, access]) => fineGrainedRisks(name, access, grant.allRepositories)),
  );
}

/** One entitlement from a classic token's scopes; undefined when it has none. */
export function classicEntitlement(scopes: string[], grant: Grant): Entitlement | undefined {
  if (scopes.length === 0) return undefined;
  const facts = scopes.map(classicScope);
  return entitlement(
    grant,
    [...scopes],
    facts.map((f) => f.level),
    facts.flatMap((f) => f.risks),
  );
}

/** Access granted by an SSH key: git read or read/write on the repositories it reaches. */
export function gitKeyEntitlement(readOnly: boolean, grant: Grant, risks: Entitlement['risks']): Entitlement {
  return entitlement(grant, [readOnly ? 'contents:read' : 'contents:write'], [readOnly ? 'read' : 'write'], risks);
}
