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
import { IdentityDigests } from './identity-digest.js';

/** One side of a comparison as a fresh scan (or a bundle folder analysed) holds it. */
export interface ScanState {
  source: string;
  collectedAt: string;
  generatedAt?: string;
  identities: Identity[];
  findings: Finding[];
}

/** One side of a comparison as drift reads it: each identity's id and digest and each finding's
 * fingerprint, in order, and the identities and findings themselves only where drift reports
 * them. A snapshot (drift/snapshot.ts) holds the index and reads those few back from its file;
 * a 100,000-identity baseline then costs tens of MiB, not a second inventory. */
export interface DriftSide {
  source: string;
  collectedAt: string;
  generatedAt?: string;
  identityIds: readonly string[];
  /** The digest (drift/identity-digest.ts) of the identity at an index. */
  digest(index: number): string;
  /** The expiries of its credentials (most have none). */
  expiries(index: number): readonly string[];
  fingerprints: readonly string[];
  /** The identities and findings at these indices, each list in increasing order. */
  read(want: { identities: number[]; findings: number[] }): { identities: Map<number, Identity>; findings: Map<number, Finding> };
}

export const expiriesOf = (credentials: ReadonlyArray<{ expiresAt?: string }>): string[] =>
  credentials.flatMap((c) => (c.expiresAt !== undefined ? [c.expiresAt] : []));

/** A scan in memory as a side: digests computed when asked, nothing to read back. */
export function scanSide(state: ScanState, digests = new IdentityDigests()): DriftSide {
  return {
    source: state.source,
    collectedAt: state.collectedAt,
    ...(state.generatedAt && { generatedAt: state.generatedAt }),
    identityIds: state.identities.map((i) => i.id),
    digest: (index) => digests.of(state.identities[index]),
    expiries: (index) => expiriesOf(state.identities[index].credentials),
    fingerprints: state.findings.map((f) => f.fingerprint),
    read: (want) => ({
      identities: new Map(want.identities.map((i) => [i, state.identities[i]])),
      findings: new Map(want.findings.map((i) => [i, state.findings[i]])),
    }),
  };
}

const isSide = (s: ScanState | DriftSide): s is DriftSide => 'read' in s;

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

const expiredAt = (c: Pick<Credential, 'expiresAt'>, at: string) => c.expiresAt !== undefined && Date.parse(c.expiresAt) <= Date.parse(at);

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

/** Index by id, as a Map of the list would be: the last of a repeated id, at its first place. */
function indexById(ids: readonly string[]): Map<string, number> {
  const byId = new Map<string, number>();
  ids.forEach((id, i) => byId.set(id, i));
  return byId;
}

const indices = (n: number, keep: (i: number) => boolean) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep(i)) out.push(i);
  return out;
};

const ascending = (list: number[]) => [...new Set(list)].sort((a, b) => a - b);

/** A credential with one of these expiries passed it within the interval: a change the digests,
 * which hold the expiry and not the clock, cannot see. */
const expiresBetween = (expiries: readonly string[], was: string, now: string) =>
  expiries.some((at) => expiredAt({ expiresAt: at }, now) && !expiredAt({ expiresAt: at }, was));

/** Compares a baseline with the current state. Suppressed findings take part like any other.
 * Either side may be a scan in memory or a snapshot's index (DriftSide): identities are read in
 * full only where they differ or are added or removed, and findings only where they are listed. */
export function computeDrift(baselineState: ScanState | DriftSide, currentState: ScanState | DriftSide): Drift {
  const digests = new IdentityDigests();
  const baseline = isSide(baselineState) ? baselineState : scanSide(baselineState, digests);
  const current = isSide(currentState) ? currentState : scanSide(currentState, digests);
  const before = indexById(baseline.identityIds);
  const after = indexById(current.identityIds);
  const compared: Array<[was: number, now: number]> = [];
  for (const [id, now] of after) {
    const was = before.get(id);
    if (was === undefined) continue;
    const differs = baseline.digest(was) !== current.digest(now);
    if (differs || expiresBetween(current.expiries(now), baseline.collectedAt, current.collectedAt)) compared.push([was, now]);
  }
  const added = indices(current.identityIds.length, (i) => !before.has(current.identityIds[i]));
  const removed = indices(baseline.identityIds.length, (i) => !after.has(baseline.identityIds[i]));
  const oldPrints = new Set(baseline.fingerprints);
  const newPrints = new Set(current.fingerprints);
  const resolved = indices(baseline.fingerprints.length, (i) => !newPrints.has(baseline.fingerprints[i]));
  const old = baseline.read({ identities: ascending([...compared.map(([was]) => was), ...removed]), findings: resolved });
  const cur = current.read({
    identities: ascending([...compared.map(([, now]) => now), ...added]),
    findings: indices(current.fingerprints.length, () => true),
  });
  const oldIdentity = (i: number) => old.identities.get(i)!;
  const curIdentity = (i: number) => cur.identities.get(i)!;

  const changed: IdentityChange[] = [];
  for (const [wasAt, nowAt] of compared) {
    const was = oldIdentity(wasAt);
    const now = curIdentity(nowAt);
    const change: IdentityChange = {
      identity: identityRef(now),
      credentials: diffCredentials(was, now, baseline.collectedAt, current.collectedAt),
      entitlements: diffEntitlements(was, now),
      ...(was.agent.verdict !== now.agent.verdict && { verdict: { from: was.agent.verdict, to: now.agent.verdict } }),
      ...(was.enabled !== now.enabled && { enabled: { from: was.enabled, to: now.enabled } }),
    };
    if (!isEmpty(change)) changed.push(change);
  }
  const currentFindings = [...cur.findings.values()];
  return {
    baseline: {
      source: baseline.source,
      collectedAt: baseline.collectedAt,
      ...(baseline.generatedAt && { generatedAt: baseline.generatedAt }),
    },
    current: { collectedAt: current.collectedAt },
    identities: {
      added: added.map((i) => identityRef(curIdentity(i))),
      removed: removed.map((i) => identityRef(oldIdentity(i))),
      changed,
    },
    findings: {
      new: currentFindings.filter((f) => !oldPrints.has(f.fingerprint)),
      resolved: resolved.map((i) => old.findings.get(i)!),
      unchanged: currentFindings.filter((f) => oldPrints.has(f.fingerprint)),
    },
  };
}

/** Marks each current finding new or unchanged against the drift. */
export function markBaselineState(findings: Finding[], drift: Drift): Finding[] {
  const fresh = new Set(drift.findings.new.map((f) => f.fingerprint));
  return findings.map((f) => withFields(f, { baselineState: fresh.has(f.fingerprint) ? 'new' : 'unchanged' }));
}
