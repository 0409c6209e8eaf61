import type { AccessLevel, Provider } from './inventory.js';

// The access-path graph: who can act as whom, across providers, with the evidence for each hop.
// Built once per scan after classification; rules read `identity.reach`, reports draw it.

/** A graph node: every identity, plus principals that are not identities but can act as one
 * (a repository's workflows, an OIDC subject, an AWS service). */
export interface PathNode {
  /** The identity id, or a synthetic id such as `github:workflow:acme/api` for principals. */
  id: string;
  provider: Provider;
  kind: 'identity' | 'repository' | 'workflow' | 'principal';
  name: string;
}

/** "`from` can act as `to`", and why. */
export interface AccessEdge {
  from: string;
  to: string;
  /** How: assume-role, impersonate, token-creator, service-account-user, workload-identity,
   * key-admin, app-owner, federated-credential, app-role-assignment, workflow-write, oidc-trust … */
  kind: string;
  /** One line a reader can check in the console: the statement, binding, credential or grant. */
  evidence: string;
  /** A condition that gates the hop (MFA, an external id, a subject pattern), said, not dropped. */
  condition?: string;
  /** What the source must have that the scan cannot see it has (MFA, an external id, a Graph
   * permission): the hop is drawn, but reach does not follow it. */
  gated?: string;
  /** The root-cause key (grant:…) of the source's own grant that makes the hop, when one does:
   * findings about the chain fold into findings about that grant. */
  rootKey?: string;
}

/** One identity the source can become, by its shortest chain. */
export interface ReachTarget {
  identityId: string;
  provider: Provider;
  /** The target's highest access level, if it holds any. */
  level?: AccessLevel;
  /** Indexes into `Reach.edges`, from the source to the target in order. */
  chain: number[];
}

/** How much of one account, project, organisation or tenant an identity reaches. */
export interface ReachScope {
  provider: Provider;
  /** The container's id: AWS account, GCP project, GitHub organisation, Entra tenant. */
  container: string;
  /** Identities reached there. */
  count: number;
  /** The highest level any of them holds. */
  level?: AccessLevel;
}

/** What one identity can become. Counts and levels cover every target; `targets` lists them all
 * up to REACH_TARGET_LIMIT, and past it the most telling ones (escalations and gains first, each
 * first hop's best included), so an identity that reaches everything behind a hub costs a few
 * dozen entries, not one per target. `agentscan paths --identity` lists every one. */
export interface IdentityReach {
  /** Identities reached in all. */
  count: number;
  targets: ReachTarget[];
  /** Highest access level reached per provider, the identity's own entitlements included. */
  maxLevel: Partial<Record<Provider, AccessLevel>>;
  /** Every container reached, with how many identities there and the highest level. */
  scopes: ReachScope[];
  /** Targets holding admin on a provider where the identity itself does not. */
  escalations: number;
  /** Targets holding write or admin above the identity's own level on their provider. */
  gains: number;
}

export interface Reach {
  nodes: PathNode[];
  edges: AccessEdge[];
  /** Only identities that can become at least one other identity. */
  byIdentity: Record<string, IdentityReach>;
}
