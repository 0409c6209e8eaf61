import type { Identity } from '../model/inventory.js';
import { credentialFacts, deriveFacts, type CredentialFacts, type IdentityFacts } from './derive.js';

/** Everything the scan knows beyond each identity's own record, computed once per scan between
 * classification and rule evaluation, so rules only read facts and never compute them. */
export interface ScanFacts {
  identity: Map<string, IdentityFacts>;
  /** Per identity id, each credential's facts, in the order of `identity.credentials`. */
  credentials: Map<string, CredentialFacts[]>;
}

export function computeFacts(identities: Identity[], now: string): ScanFacts {
  return {
    identity: deriveFacts(identities, now),
    credentials: new Map(identities.map((i) => [i.id, i.credentials.map((c) => credentialFacts(c, now))])),
  };
}
