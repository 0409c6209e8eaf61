import type { Entitlement } from '../../model/inventory.js';
import { conditionFacts } from './conditions.js';
import type { PolicyDocument } from './wire.js';

// A statement whose condition can never hold again — a DateLessThan on aws:CurrentTime or
// aws:TokenIssueTime that lies before the collection — grants (or denies) nothing. It stays in
// the policy as written, so the entitlement is still listed, but it is marked ineffective and
// the effective-permission analysis leaves it out.

const live = new WeakMap<PolicyDocument, { now: string; doc: PolicyDocument }>();

function ended(condition: Parameters<typeof conditionFacts>[0], now: string): boolean {
  const { expiresAt } = conditionFacts(condition);
  return expiresAt !== undefined && Date.parse(expiresAt) <= Date.parse(now);
}

/** The document without the statements whose time window closed before `now`. */
export function liveDocument(doc: PolicyDocument, now: string): PolicyDocument {
  const cached = live.get(doc);
  if (cached?.now === now) return cached.doc;
  const kept = doc.Statement.filter((s) => !ended(s.Condition, now));
  const out = kept.length === doc.Statement.length ? doc : { ...doc, Statement: kept };
  live.set(doc, { now, doc: out });
  return out;
}

/** A grant whose every part's time window has closed: listed, but it grants nothing. */
export function withEndedWindow(e: Entitlement, now: string): Entitlement {
  if (e.standing || !e.expiresAt || Date.parse(e.expiresAt) > Date.parse(now)) return e;
  return { ...e, level: 'read', risks: [], ineffective: `its time window ended ${e.expiresAt}` };
}
