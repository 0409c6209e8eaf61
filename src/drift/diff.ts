import type {
  CredentialRef,
  Drift,
  EntitlementRef,
  IdentityChange,
  IdentityRef,
} from '../model/drift.js';
import type { Finding } from '../model/finding.js';
import type { Credential, Entitlement, Identity } from '../model/inventory.js';
import { entitlementKey } from '../model/root-cause.js';
import { withFields } from '../util/with-fields.js';

/** One side of a comparison: what a snapshot (or a fresh scan) holds. */
export interface ScanState {
  source: string;
  collectedAt: string;
  generatedAt?: string;
  identities: Identity[];
  findings: Finding[];
}

export function identityRef(i: Identity): IdentityRef {
  return { id: i.id, provider: i.provider, kind: i.kind, name: i.name, verdict: i.agent.verdict };
}

function credentialRef(c: Credential): CredentialRef {
  const { id, type, createdAt, lastUsedAt, expiresAt } = c;
  return { id, type, ...(createdAt && { createdAt }), ...(lastUsedAt && { lastUsedAt }), ...(expiresAt && { expiresAt }) };
}

function entitlementRef(e: Entitlement): EntitlementRef {
  return {
    key: entitlementKey(e),
    via: e.via,
    resource: e.resource,
    level: e.level,
    permissions: e.permissions,
    standing: e.standing,
  };
}

const expiredAt = (c: Credential, at: string) => c.expiresAt !== undefined && Date.parse(c.expiresAt) <= Date.parse(at);

function diffCredentials(before: Identity, after: Identity, was: string, now: string): IdentityChange['credentials'] {
  const old = new Map(before.credentials.map((c) => [c.id, c]));
  const cur = new Map(after.credentials.map((c) => [c.id, c]));
  const created = after.credentials.filter((c) => !old.has(c.id));
  const deleted = before.credentials.filter((c) => !cur.has(c.id));
  // A deletion and a creation of the same type in one interval is a rotation.
  const rotated: IdentityChange['credentials']['rotated'] = [];
  for (const gone of [...deleted]) {
    const replacement = created.find((c) => c.type === gone.type);
    if (!replacement) continue;
    rotated.push({ from: credentialRef(gone), to: credentialRef(replacement) });
    deleted.splice(deleted.indexOf(gone), 1);
    created.splice(created.indexOf(replacement), 1);
  }
  const kept = after.credentials.filter((c) => old.has(c.id));
  return {
    created: created.map(credentialRef),
    deleted: deleted.map(credentialRef),
    rotated,
    newlyUsed: kept.filter((c) => c.lastUsedAt && !old.get(c.id)!.lastUsedAt).map(credentialRef),
    newlyExpired: kept.filter((c) => expiredAt(c, now) && !expiredAt(old.get(c.id)!, was)).map(credentialRef),
  };
}

function diffEntitlements(before: Identity, after: Identity): IdentityChange['entitlements'] {
  const old = new Map(before.entitlements.map((e) => [entitlementKey(e), e]));
  const cur = new Map(after.entitlements.map((e) => [entitlementKey(e), e]));
  const changed: IdentityChange['entitlements']['changed'] = [];
  for (const [key, e] of cur) {
    const was = old.get(key);
    if (!was) continue;
    // Sets, not includes(): a ReadOnlyAccess holder has thousands of actions per grant.
    const wasSet = new Set(was.permissions);
    const nowSet = new Set(e.permissions);
    const added = e.permissions.filter((p) => !wasSet.has(p));
    const removed = was.permissions.filter((p) => !nowSet.has(p));
    if (added.length || removed.length || was.level !== e.level || was.standing !== e.standing) {
      changed.push({ from: entitlementRef(was), to: entitlementRef(e), added, removed });
    }
  }
  return {
    granted: [...cur].filter(([k]) => !old.has(k)).map(([, e]) => entitlementRef(e)),
    revoked: [...old].filter(([k]) => !cur.has(k)).map(([, e]) => entitlementRef(e)),
    changed,
  };
}

function isEmpty(c: IdentityChange): boolean {
  const { credentials: cr, entitlements: en } = c;
  return (
    !c.verdict &&
    !c.enabled &&
    [cr.created, cr.deleted, cr.rotated, cr.newlyUsed, cr.newlyExpired, en.granted, en.revoked, en.changed].every(
      (list) => list.length === 0,
    )
  );
}

/** Compares a baseline with the current state. Suppressed findings take part like any other. */
export function computeDrift(baseline: ScanState, current: ScanState): Drift {
  const before = new Map(baseline.identities.map((i) => [i.id, i]));
  const after = new Map(current.identities.map((i) => [i.id, i]));
  const changed: IdentityChange[] = [];
  for (const [id, now] of after) {
    const was = before.get(id);
    if (!was) continue;
    const change: IdentityChange = {
      identity: identityRef(now),
      credentials: diffCredentials(was, now, baseline.collectedAt, current.collectedAt),
      entitlements: diffEntitlements(was, now),
      ...(was.agent.verdict !== now.agent.verdict && { verdict: { from: was.agent.verdict, to: now.agent.verdict } }),
      ...(was.enabled !== now.enabled && { enabled: { from: was.enabled, to: now.enabled } }),
    };
    if (!isEmpty(change)) changed.push(change);
  }
  const oldPrints = new Set(baseline.findings.map((f) => f.fingerprint));
  const newPrints = new Set(current.findings.map((f) => f.fingerprint));
  return {
    baseline: {
      source: baseline.source,
      collectedAt: baseline.collectedAt,
      ...(baseline.generatedAt && { generatedAt: baseline.generatedAt }),
    },
    current: { collectedAt: current.collectedAt },
    identities: {
      added: current.identities.filter((i) => !before.has(i.id)).map(identityRef),
      removed: baseline.identities.filter((i) => !after.has(i.id)).map(identityRef),
      changed,
    },
    findings: {
      new: current.findings.filter((f) => !oldPrints.has(f.fingerprint)),
      resolved: baseline.findings.filter((f) => !newPrints.has(f.fingerprint)),
      unchanged: current.findings.filter((f) => oldPrints.has(f.fingerprint)),
    },
  };
}

/** Marks each current finding new or unchanged against the drift. */
export function markBaselineState(findings: Finding[], drift: Drift): Finding[] {
  const fresh = new Set(drift.findings.new.map((f) => f.fingerprint));
  return findings.map((f) => withFields(f, { baselineState: fresh.has(f.fingerprint) ? 'new' : 'unchanged' }));
}
