import { SEVERITY_RANK, type Finding, type RelatedFinding } from '../model/finding.js';
import { TextPool } from './text-pool.js';
import { withFields } from '../util/with-fields.js';

// One finding per root cause. Several rules often judge the same grant, credential or trust from
// different angles (it is a wildcard, it is admin, it is org-wide, the holder is an agent, it can
// escalate). A reviewer wants one line for that grant, at the worst severity any angle gives it,
// with what the other angles know folded in — not three lines that fix together.
//
// Each finding names its root causes as keys (grant:…, credential:…, trust:…, or a rule's own
// key). Within one identity and one family, findings that share a key are one finding: the most
// severe survives (its fingerprint stays, so baselines and suppressions keep matching it), the
// others become its `related` entries, and their tags, evidence and routes join it.

const TARGET_SPECIFICITY: Record<string, number> = { credential: 3, entitlement: 3, trust: 3, identity: 1 };

type Precedence = ReadonlyMap<string, number>;

const order = (rank: Precedence) => (a: Finding, b: Finding): number =>
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (rank.get(b.ruleId) ?? 0) - (rank.get(a.ruleId) ?? 0) ||
    (TARGET_SPECIFICITY[b.target.type] ?? 0) - (TARGET_SPECIFICITY[a.target.type] ?? 0) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.target.key.localeCompare(b.target.key);

/** Groups of findings (indexes) that share a root-cause key, transitively. */
function groupsOf(findings: Finding[]): number[][] {
  const parent = findings.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<string, number>();
  findings.forEach((f, i) => {
    for (const key of f.rootCause ?? []) {
      const scoped = `${f.identityId}\u0000${f.family}\u0000${key}`;
      const seen = owner.get(scoped);
      if (seen === undefined) owner.set(scoped, i);
      else parent[find(i)] = find(seen);
    }
  });
  const groups = new Map<number, number[]>();
  findings.forEach((_, i) => {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root)!.push(i);
  });
  return [...groups.values()];
}

function related(f: Finding): RelatedFinding {
  return { ruleId: f.ruleId, severity: f.severity, message: f.message, fingerprint: f.fingerprint };
}

function merge(group: Finding[], rank: Precedence, pool: TextPool): Finding {
  const shared = <T>(value: T): T => pool.value(value) as T;
  const [primary, ...rest] = [...group].sort(order(rank));
  if (rest.length === 0) return primary;
  const evidence: Record<string, unknown> = { ...primary.evidence };
  for (const other of rest) {
    for (const [k, v] of Object.entries(other.evidence)) if (!(k in evidence)) evidence[k] = v;
  }
  // The same grant reached several ways (a policy attached directly and through a group): name them all.
  const routes = [...new Set(group.filter((f) => f.target.type === 'entitlement').map((f) => f.target.key))];
  if (routes.length > 1) evidence.routes = routes.sort();
  const tags = [...new Set(group.flatMap((f) => f.tags ?? []))].sort();
  const rootCause = [...new Set(group.flatMap((f) => f.rootCause ?? []))].sort();
  const owasp = [...new Set(group.flatMap((f) => f.owasp))].sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  const otherRules = [...new Set(rest.map((f) => f.ruleId).filter((id) => id !== primary.ruleId))];
  return withFields(primary, {
    message: otherRules.length ? shared(`${primary.message} (also ${otherRules.join(', ')})`) : primary.message,
    evidence,
    owasp: shared(owasp),
    ...(tags.length ? { tags: shared(tags) } : {}),
    rootCause: shared(rootCause),
    related: [...(primary.related ?? []), ...rest.map(related)],
  });
}

/** Folds findings on one root cause into one; order of the survivors follows the input. The
 * text merged findings have in common is one copy in `pool` (see text-pool.ts). */
export function consolidateFindings(findings: Finding[], rank: Precedence = new Map(), pool = new TextPool()): Finding[] {
  const out: Array<[number, Finding]> = [];
  for (const group of groupsOf(findings)) {
    out.push([Math.min(...group), merge(group.map((i) => findings[i]), rank, pool)]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, f]) => f);
}
