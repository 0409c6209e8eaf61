import type { Finding } from './finding.js';
import type { AccessLevel, Credential, Entitlement, Provider, Verdict } from './inventory.js';

// What changed between a baseline snapshot and the current scan. Identities, credentials and
// entitlements are matched by their stable ids/keys; findings by fingerprint, so a changed
// timestamp or count never turns an old finding into a new one.

export interface IdentityRef {
  id: string;
  provider: Provider;
  kind: string;
  name: string;
  verdict: Verdict;
}

export interface CredentialRef {
  id: string;
  type: Credential['type'];
  createdAt?: string;
  lastUsedAt?: string;
  expiresAt?: string;
}

export interface EntitlementRef {
  /** via.type:via.id-or-name:resource — the same key findings use. */
  key: string;
  via: Entitlement['via'];
  resource: string;
  level: AccessLevel;
  permissions: string[];
  standing: boolean;
}

export interface IdentityChange {
  identity: IdentityRef;
  credentials: {
    created: CredentialRef[];
    deleted: CredentialRef[];
    /** A credential of one type deleted and another of the same type created in the same interval. */
    rotated: Array<{ from: CredentialRef; to: CredentialRef }>;
    /** Never used in the baseline, used now. */
    newlyUsed: CredentialRef[];
    /** Valid in the baseline, past its expiry now. */
    newlyExpired: CredentialRef[];
  };
  entitlements: {
    granted: EntitlementRef[];
    revoked: EntitlementRef[];
    /** Same grant, different permissions, level or standing. */
    changed: Array<{ from: EntitlementRef; to: EntitlementRef; added: string[]; removed: string[] }>;
  };
  verdict?: { from: Verdict; to: Verdict };
  enabled?: { from: boolean; to: boolean };
}

export interface Drift {
  baseline: { source: string; collectedAt: string; generatedAt?: string };
  current: { collectedAt: string };
  identities: {
    added: IdentityRef[];
    removed: IdentityRef[];
    changed: IdentityChange[];
  };
  findings: {
    new: Finding[];
    resolved: Finding[];
    unchanged: Finding[];
  };
}
