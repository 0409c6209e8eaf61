import type { AccessLevel, Identity, Provider } from '../../model/inventory.js';
import type { AccessEdge, IdentityReach, PathNode, Reach, ReachScope, ReachTarget } from '../../model/reach.js';
import type { AccessGraph } from './build.js';
import { ownLevel } from './graph.js';

// For every identity, what it can become: a breadth-first search from it over the hops reach
// follows (every edge not gated on something the scan cannot see), so each target comes with its
// shortest chain. The adjacency is compact (offsets into one array) and one search's marks are
// reused by the next. What is kept per identity is bounded: counts, levels and containers cover
// every target, but only the most telling targets keep a chain — an identity behind a hub
// (sts:AssumeRole on `*`, a tenant-wide role) reaches thousands, and keeping each of those
// chains for each such identity is what ran a 100,000-identity scan out of memory.

/** Targets an identity's reach lists in full; past this, the most telling ones. */
export const REACH_TARGET_LIMIT = 25;

const PROVIDERS: readonly Provider[] = ['aws', 'gcp', 'github', 'entra'];
const LEVELS: readonly (AccessLevel | undefined)[] = [undefined, 'read', 'write', 'admin'];
const rankOf = (level: AccessLevel | undefined) => LEVELS.indexOf(level);

/** The graph as a compact adjacency over followed (ungated) edges, searched from any node. */
export class ReachSearch {
  readonly index: Map<string, number>;
  private readonly offsets: Int32Array;
  private readonly adjacency: Int32Array;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly mark: Int32Array;
  private readonly parent: Int32Array;
  private readonly queue: Int32Array;
  /** Per node of the last search: hops from the source, and the first edge of its chain. */
  readonly depth: Int32Array;
  readonly firstEdge: Int32Array;
  private readonly isIdentity: Uint8Array;
  private generation = 0;

  constructor(
    readonly nodes: readonly PathNode[],
    readonly edges: readonly AccessEdge[],
  ) {
    this.index = new Map(nodes.map((n, i) => [n.id, i]));
    const n = nodes.length;
    this.head = new Int32Array(edges.length);
    this.tail = new Int32Array(edges.length);
    edges.forEach((e, i) => {
      this.head[i] = this.index.get(e.to)!;
      this.tail[i] = this.index.get(e.from)!;
    });
    this.offsets = new Int32Array(n + 1);
    let followed = 0;
    edges.forEach((e, i) => {
      if (e.gated) return;
      this.offsets[this.tail[i] + 1]++;
      followed++;
    });
    for (let i = 0; i < n; i++) this.offsets[i + 1] += this.offsets[i];
    this.adjacency = new Int32Array(followed);
    const fill = this.offsets.slice(0, n);
    edges.forEach((e, i) => {
      if (!e.gated) this.adjacency[fill[this.tail[i]]++] = i;
    });
    this.mark = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.depth = new Int32Array(n);
    this.firstEdge = new Int32Array(n);
    this.isIdentity = Uint8Array.from(nodes, (node) => (node.kind === 'identity' ? 1 : 0));
  }

  hasHops(s: number): boolean {
    return this.offsets[s] !== this.offsets[s + 1];
  }

  /** The identity nodes reachable from node `s`, in breadth-first order (the source excluded).
   * `depth`, `firstEdge` and `chain` answer for them until the next search. */
  search(s: number): number[] {
    const { offsets, adjacency, head, mark, parent, queue, depth, firstEdge, isIdentity } = this;
    const g = ++this.generation;
    mark[s] = g;
    parent[s] = -1;
    depth[s] = 0;
    let read = 0;
    let write = 0;
    queue[write++] = s;
    const found: number[] = [];
    while (read < write) {
      const u = queue[read++];
      for (let k = offsets[u]; k < offsets[u + 1]; k++) {
        const e = adjacency[k];
        const v = head[e];
        if (mark[v] === g) continue;
        mark[v] = g;
        parent[v] = e;
        depth[v] = depth[u] + 1;
        firstEdge[v] = u === s ? e : firstEdge[u];
        queue[write++] = v;
        if (isIdentity[v]) found.push(v);
      }
    }
    return found;
  }

  /** Edge indexes from the last search's source to `v`, in order. */
  chain(v: number): number[] {
    const chain: number[] = [];
    for (let w = v; this.parent[w] !== -1; w = this.tail[this.parent[w]]) chain.push(this.parent[w]);
    return chain.reverse();
  }
}

export function computeReach(graph: Pick<AccessGraph, 'nodes' | 'edges'>, identities: readonly Identity[]): Reach {
  const { nodes, edges } = graph;
  const search = new ReachSearch(nodes, edges);
  const byId = new Map(identities.map((i) => [i.id, i]));
  // Per node, once: its provider, own level and container, as small integers.
  const provider = Uint8Array.from(nodes, (n) => Math.max(0, PROVIDERS.indexOf(n.provider)));
  const rank = Uint8Array.from(nodes, (n) => (n.kind === 'identity' && byId.has(n.id) ? rankOf(ownLevel(byId.get(n.id)!)) : 0));
  const containers: Array<{ provider: Provider; id: string }> = [];
  const containerIndex = new Map<string, number>();
  const container = Int32Array.from(nodes, (n) => {
    const c = n.kind === 'identity' ? byId.get(n.id)?.container.id : undefined;
    if (c === undefined) return -1;
    const key = `${n.provider}\u0000${c}`;
    let at = containerIndex.get(key);
    if (at === undefined) containerIndex.set(key, (at = containers.push({ provider: n.provider, id: c }) - 1));
    return at;
  });
  const scopeCount = new Int32Array(containers.length);
  const scopeRank = new Uint8Array(containers.length);

  const byIdentity: Record<string, IdentityReach> = {};
  for (const source of identities) {
    const s = search.index.get(source.id)!;
    if (!search.hasHops(s)) continue;
    const found = search.search(s);
    if (found.length === 0) continue;
    const own = provider[s];
    const ownRank = rank[s];
    const maxRank = [0, 0, 0, 0];
    maxRank[own] = ownRank;
    let escalations = 0;
    let gains = 0;
    const touched: number[] = [];
    // The most telling first: an escalation, then a gain, then the highest level, another
    // provider before this one, fewest hops; a tie keeps the one found first.
    const score = (v: number) => {
      const r = rank[v];
      const above = r > (provider[v] === own ? ownRank : 0);
      return (above && r === 3 ? 1 << 24 : 0) + (above && r >= 2 ? 1 << 23 : 0) + (r << 21) + (provider[v] === own ? 0 : 1 << 20) + ((1 << 20) - 1 - Math.min(search.depth[v], (1 << 20) - 1));
    };
    const keep = found.length <= REACH_TARGET_LIMIT ? undefined : new TopTargets(REACH_TARGET_LIMIT);
    const bestByFirstHop = keep && new Map<number, { v: number; score: number }>();
    for (const v of found) {
      const r = rank[v];
      const p = provider[v];
      if (r > maxRank[p]) maxRank[p] = r;
      const above = r > (p === own ? ownRank : 0);
      if (above && r === 3) escalations++;
      if (above && r >= 2) gains++;
      const c = container[v];
      if (c >= 0) {
        if (scopeCount[c]++ === 0) touched.push(c);
        if (r > scopeRank[c]) scopeRank[c] = r;
      }
      if (!keep) continue;
      const sc = score(v);
      keep.offer(v, sc);
      // Every first hop behind an escalation or gain keeps its best target, so the findings that
      // fold into the grant making that hop still see it.
      if (above && r >= 2) {
        const first = search.firstEdge[v];
        const best = bestByFirstHop!.get(first);
        if (!best || sc > best.score) bestByFirstHop!.set(first, { v, score: sc });
      }
    }
    let kept = found;
    if (keep) {
      const chosen = new Set(keep.members());
      for (const { v } of bestByFirstHop!.values()) chosen.add(v);
      const order = new Map(found.map((v, i) => [v, i]));
      kept = [...chosen].sort((a, b) => order.get(a)! - order.get(b)!);
    }
    const targets = kept.map((v): ReachTarget => {
      const level = LEVELS[rank[v]];
      return { identityId: nodes[v].id, provider: nodes[v].provider, ...(level ? { level } : {}), chain: search.chain(v) };
    });
    const maxLevel: Partial<Record<Provider, AccessLevel>> = {};
    PROVIDERS.forEach((p, i) => {
      if (maxRank[i] > 0) maxLevel[p] = LEVELS[maxRank[i]];
    });
    const scopes = touched
      .map((c): ReachScope => {
        const level = LEVELS[scopeRank[c]];
        const scope = { provider: containers[c].provider, container: containers[c].id, count: scopeCount[c], ...(level ? { level } : {}) };
        scopeCount[c] = 0;
        scopeRank[c] = 0;
        return scope;
      })
      .sort((a, b) => a.provider.localeCompare(b.provider) || a.container.localeCompare(b.container));
    byIdentity[source.id] = { count: found.length, targets, maxLevel, scopes, escalations, gains };
  }
  return { nodes, edges, byIdentity };
}

/** The `size` highest-scoring of what is offered (a later item displaces only a lower score). */
class TopTargets {
  private readonly items: number[] = [];
  private readonly scores: number[] = [];
  private worst = -1;

  constructor(private readonly size: number) {}

  offer(item: number, score: number): void {
    if (this.items.length < this.size) {
      this.items.push(item);
      this.scores.push(score);
      if (this.items.length === this.size) this.findWorst();
      return;
    }
    if (score <= this.scores[this.worst]) return;
    this.items[this.worst] = item;
    this.scores[this.worst] = score;
    this.findWorst();
  }

  members(): number[] {
    return this.items;
  }

  private findWorst(): void {
    let w = 0;
    for (let i = 1; i < this.scores.length; i++) if (this.scores[i] < this.scores[w]) w = i;
    this.worst = w;
  }
}
