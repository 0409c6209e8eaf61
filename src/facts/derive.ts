import type { Credential, Identity, Trust } from '../model/inventory.js';
import { DAY_MS } from '../util/dates.js';
import { delegatingUsers, namedConsumers, secretsForSeveralServices, type LabelledSecret } from './shared-use.js';

// Facts rules read but normalizers cannot know alone: ages against the bundle's clock, and
// relations that span identities (one key on several identities, several workloads on one
// identity). Computed once per scan so each rule stays a short expression.


export interface CredentialFacts {
  ageDays?: number;
  lastUsedDays?: number;
  /** Days until expiry; negative once expired; absent when the credential never expires. */
  expiresInDays?: number;
  /** Whole lifetime from creation to expiry, in days; absent when it never expires. */
  lifetimeDays?: number;
  expired: boolean;
  usageTracked: boolean;
  neverUsed: boolean;
}

export interface IdentityFacts {
  ageDays?: number;
  lastUsedDays?: number;
  verdict: string;
  isAgent: boolean;
  /** Other identities holding a credential with the same public-key fingerprint. */
  sharedCredentialWith: string[];
  /** Distinct principals that can act as this identity, "*" excluded. */
  actors: string[];
  /** The subset of actors that are workloads (services, federated subjects, service accounts, roles, apps). */
  workloads: string[];
  activeCredentials: number;
  hasAdmin: boolean;
  /** Consumers its tags, description or notes name, when they name several (else empty). */
  namedConsumers: string[];
  /** Where they are named (`tag used-by`, `description`) and what is written there; empty when none are. */
  namedConsumersSource: string;
  namedConsumersText: string;
  /** Live secrets whose labels name different services (empty when they name one or none). */
  secretsForServices: LabelledSecret[];
  /** Users whose own consent lets it act as them (Entra consentType Principal), and the scopes. */
  delegatingUsers: string[];
  delegatedUserScopes: string[];
}

export function daysBetween(from: string | undefined, to: string): number | undefined {
  if (!from) return undefined;
  const t = Date.parse(from);
  if (Number.isNaN(t)) return undefined;
  return Math.floor((Date.parse(to) - t) / DAY_MS);
}

export function credentialFacts(c: Credential, now: string): CredentialFacts {
  const usageTracked = c.attributes?.usageTracked === true || c.lastUsedAt !== undefined;
  const expiresInDays = c.expiresAt ? -daysBetween(c.expiresAt, now)! : undefined;
  return {
    ageDays: daysBetween(c.createdAt, now),
    lastUsedDays: daysBetween(c.lastUsedAt, now),
    expiresInDays,
    lifetimeDays: c.createdAt && c.expiresAt ? daysBetween(c.createdAt, c.expiresAt) : undefined,
    expired: c.expiresAt !== undefined && Date.parse(c.expiresAt) <= Date.parse(now),
    usageTracked,
    neverUsed: usageTracked && !c.lastUsedAt,
  };
}

/** Most identities have none of most lists here: one frozen empty list serves them all, where an
 * empty list each was seven per identity (22 MiB at 100,000 identities). */
const NONE: readonly never[] = Object.freeze([]);
const orNone = <T>(list: T[]): T[] => (list.length > 0 ? list : (NONE as unknown as T[]));

const WORKLOAD_TRUST: ReadonlySet<Trust['kind']> = new Set(['service', 'federated', 'service-account', 'role', 'app']);

function actorKey(t: Trust): string {
  return t.subject ? `${t.principal}#${t.subject}` : t.principal;
}

/** What the facts of each identity are read with. The index of shared keys is built once; each
 * identity's facts are made when the rules reach it and kept by nobody after, rather than for the
 * whole estate through the whole rules stage (25 MiB at 100,000 AWS identities). */
export function deriveFacts(identities: Identity[], now: string): (identity: Identity) => IdentityFacts {
  const holders = new Map<string, Set<string>>();
  for (const identity of identities) {
    for (const c of identity.credentials) {
      if (!c.fingerprint) continue;
      if (!holders.has(c.fingerprint)) holders.set(c.fingerprint, new Set());
      holders.get(c.fingerprint)!.add(identity.id);
    }
  }
  return (identity) => {
    const shared = new Set<string>();
    for (const c of identity.credentials) {
      for (const other of c.fingerprint ? holders.get(c.fingerprint)! : []) if (other !== identity.id) shared.add(other);
    }
    const trusts = identity.trustedBy.filter((t) => t.kind !== 'any');
    const consumers = namedConsumers(identity);
    const consents = delegatingUsers(identity);
    return {
      ageDays: daysBetween(identity.createdAt, now),
      lastUsedDays: daysBetween(identity.lastUsedAt, now),
      verdict: identity.agent.verdict,
      isAgent: identity.agent.verdict === 'agent',
      sharedCredentialWith: orNone([...shared].sort()),
      actors: orNone([...new Set(trusts.map(actorKey))].sort()),
      workloads: orNone([...new Set(trusts.filter((t) => WORKLOAD_TRUST.has(t.kind)).map(actorKey))].sort()),
      activeCredentials: identity.credentials.filter((c) => c.status === 'active').length,
      hasAdmin: identity.entitlements.some((e) => e.level === 'admin' && e.effect !== 'deny'),
      namedConsumers: orNone(consumers?.consumers ?? []),
      namedConsumersSource: consumers?.source ?? '',
      namedConsumersText: consumers?.text ?? '',
      secretsForServices: orNone(secretsForSeveralServices(identity)),
      delegatingUsers: orNone(consents.users),
      delegatedUserScopes: orNone(consents.scopes),
    };
  };
}
