import type { Identity } from '../model/inventory.js';
import type { Reach } from '../model/reach.js';
import { credentialFacts, deriveFacts, type CredentialFacts, type IdentityFacts } from './derive.js';
import { buildAccessGraph } from './reach/build.js';
import { grantExpired } from './grant-time.js';
import { computeReach } from './reach/reach.js';
import { trustBreadth, type TrustBreadth } from './reach/trust-breadth.js';

/** Everything the scan knows beyond each identity's own record, computed once per scan between
 * classification and rule evaluation, so rules only read facts and never compute them. */
export interface ScanFacts {
  /** An identity's facts, made when asked: the rules ask once per identity. */
  identity: (identity: Identity) => IdentityFacts;
  /** Each of the identity's credentials' facts, in the order of `identity.credentials`, made when asked. */
  credentials: (identity: Identity) => CredentialFacts[];
  /** Who can act as whom, across providers, and what each identity can become. */
  reach: Reach;
  /** Per identity id with a GitHub OIDC trust, what each trust lets in, in the order of `identity.trustedBy`. */
  trusts: Map<string, Array<TrustBreadth | undefined>>;
}

export function computeFacts(identities: Identity[], now: string): ScanFacts {
  // The graph follows grants as they stand at the scan's clock, as the rules judge them: one
  // whose end has passed makes no hop and counts toward no level.
  const live = identities.map((i) => (i.entitlements.some((e) => grantExpired(e, now)) ? { ...i, entitlements: i.entitlements.filter((e) => !grantExpired(e, now)) } : i));
  const graph = buildAccessGraph(live);
  const trusts = new Map<string, Array<TrustBreadth | undefined>>();
  for (const i of identities) {
    if (!i.trustedBy.some((t) => t.kind === 'federated')) continue;
    const list = i.trustedBy.map((t) => trustBreadth(graph.github, i, t));
    if (list.some(Boolean)) trusts.set(i.id, list);
  }
  return {
    identity: deriveFacts(identities, now),
    credentials: (i) => i.credentials.map((c) => credentialFacts(c, now)),
    reach: computeReach(graph, live),
    trusts,
  };
}
