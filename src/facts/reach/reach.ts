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
//
// Searching each of those identities anew would still be quadratic: thousands of identities
// behind one hub each walk the thousands behind it. So a search stops at hubs (principals with
// many hops out), and what lies behind a set of hubs, reached at given depths, is searched once
// and tallied — per provider and level, per container — then shared by every identity that
// reaches the same hubs at the same depths. Its own few targets are added to the tally, the
// ones it reaches both ways counted once at the shorter chain. Small reaches are searched in full.

/** Targets an identity's reach lists in full; past this, the most telling ones. */
export const REACH_TARGET_LIMIT = 25;

const PROVIDERS: readonly Provider[] = ['aws', 'gcp', 'github', 'entra'];
const LEVELS: readonly (AccessLevel | undefined)[] = [undefined, 'read', 'write', 'admin'];
const rankOf = (level: AccessLevel | undefined) => LEVELS.indexOf(level);

/** What lies behind a set of hubs, read from the search's own node-indexed buffers and valid
 * until the next `behind`: which nodes it reached (`has`), each one's depth, the edge it was
 * entered by and the hub it descends from; its identities in the order reached. */
export interface Behind {
  /** Nodes reached, hubs included. */
  size: number;
  ids: number[];
  has(v: number): boolean;
  readonly depth: Int32Array;
  readonly parent: Int32Array;
  readonly seed: Int32Array;
}

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

  outDegree(s: number): number {
    return this.offsets[s + 1] - this.offsets[s];
  }

  /** The identity nodes reachable from node `s`, in breadth-first order (the source excluded).
   * `depth`, `firstEdge` and `chain` answer for them until the next search. */
  search(s: number): number[] {
    return this.searchToHubs(s).found;
  }

  /** Like `search`, but without going past the nodes `isHub` names: those are listed (in the
   * order reached) instead. */
  searchToHubs(s: number, isHub?: Uint8Array): { found: number[]; hubs: number[] } {
    const { offsets, adjacency, head, mark, parent, queue, depth, firstEdge, isIdentity } = this;
    const hubs: number[] = [];
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
        if (isHub?.[v]) {
          hubs.push(v);
          continue;
        }
        queue[write++] = v;
        if (isIdentity[v]) found.push(v);
      }
    }
    return { found, hubs };
  }

  /** Everything reachable from `seeds`, each entered at its own depth: a search per set of hubs,
   * shared by the identities that reach them alike. Uses its own marks, so the last `search`
   * stays readable; its answer is read in place, so only the latest one can be. */
  behind(seeds: ReadonlyArray<{ node: number; depth: number }>): Behind {
    const n = this.nodes.length;
    this.u ??= { mark: new Int32Array(n), depth: new Int32Array(n), parent: new Int32Array(n), seed: new Int32Array(n), queue: new Int32Array(n), generation: 0 };
    const { offsets, adjacency, head, isIdentity } = this;
    const { mark, depth, parent, seed, queue } = this.u;
    const g = ++this.u.generation;
    const ordered = [...seeds].sort((a, b) => a.depth - b.depth);
    let read = 0;
    let write = 0;
    let next = 0;
    const ids: number[] = [];
    while (read < write || next < ordered.length) {
      // Seeds join the queue when the search reaches their depth, so depths stay in order.
      if (next < ordered.length && (read === write || ordered[next].depth <= depth[queue[read]])) {
        const { node, depth: d } = ordered[next++];
        if (mark[node] === g) continue;
        mark[node] = g;
        depth[node] = d;
        parent[node] = -1;
        seed[node] = node;
        queue[write++] = node;
        continue;
      }
      const u = queue[read++];
      for (let k = offsets[u]; k < offsets[u + 1]; k++) {
        const e = adjacency[k];
        const v = head[e];
        if (mark[v] === g) continue;
        mark[v] = g;
        depth[v] = depth[u] + 1;
        parent[v] = e;
        seed[v] = seed[u];
        queue[write++] = v;
        if (isIdentity[v]) ids.push(v);
      }
    }
    const u = this.u;
    const has = (v: number) => {
      if (u.generation !== g) throw new Error('reach: read of a search behind hubs after the next one began');
      return mark[v] === g;
    };
    return { size: write, ids, has, depth, parent, seed };
  }

  private u?: { mark: Int32Array; depth: Int32Array; parent: Int32Array; seed: Int32Array; queue: Int32Array; generation: number };

  /** The node an edge leaves from. */
  tailOf(edge: number): number {
    return this.tail[edge];
  }

  /** Edge indexes from the last search's source to `v`, then `after`, in order. The list is made
   * at its exact length: a scan keeps every kept target's chain, and a list grown by push holds
   * room for 17 (14 MiB of 31 in the reach of 10,000 AWS identities). */
  chain(v: number, after: readonly number[] = []): number[] {
    let length = after.length;
    for (let w = v; this.parent[w] !== -1; w = this.tail[this.parent[w]]) length++;
    const chain = new Array<number>(length);
    let i = length - after.length;
    for (let j = 0; j < after.length; j++) chain[i + j] = after[j];
    for (let w = v; this.parent[w] !== -1; w = this.tail[this.parent[w]]) chain[--i] = this.parent[w];
    return chain;
  }
}


/** A principal with at least this many hops out is a hub: searches stop there and share what lies behind it. */
const HUB_OUT_DEGREE = 16;
/** Reaches up to this many nodes are searched in full from each identity (the answer is the same; small estates never share). */
const FULL_SEARCH_LIMIT = 4096;

/** Per node, once: its provider, own level and container, as small integers. */
interface NodeFacts {
  provider: Uint8Array;
  rank: Uint8Array;
  container: Int32Array;
  containers: Array<{ provider: Provider; id: string }>;
}

/** How many identities of each provider and level, and per container per level, a reach holds. */
class Tally {
  count = 0;
  readonly byLevel = new Int32Array(PROVIDERS.length * LEVELS.length);
  readonly scopes = new Map<number, Int32Array>();

  constructor(private readonly facts: NodeFacts) {}

  add(v: number, sign = 1): void {
    const { provider, rank, container } = this.facts;
    this.count += sign;
    this.byLevel[provider[v] * LEVELS.length + rank[v]] += sign;
    const c = container[v];
    if (c < 0) return;
    let levels = this.scopes.get(c);
    if (!levels) this.scopes.set(c, (levels = new Int32Array(LEVELS.length)));
    levels[rank[v]] += sign;
  }

  clone(): Tally {
    const copy = new Tally(this.facts);
    copy.count = this.count;
    copy.byLevel.set(this.byLevel);
    for (const [c, levels] of this.scopes) copy.scopes.set(c, levels.slice());
    return copy;
  }

  /** The reach fields for a source of provider `own` at level `ownRank` there. */
  summary(own: number, ownRank: number): Omit<IdentityReach, 'targets'> {
    const maxRank = [0, 0, 0, 0];
    maxRank[own] = ownRank;
    let escalations = 0;
    let gains = 0;
    for (let p = 0; p < PROVIDERS.length; p++) {
      const base = p === own ? ownRank : 0;
      for (let r = 1; r < LEVELS.length; r++) {
        const n = this.byLevel[p * LEVELS.length + r];
        if (n <= 0) continue;
        if (r > maxRank[p]) maxRank[p] = r;
        if (r > base && r === 3) escalations += n;
        if (r > base && r >= 2) gains += n;
      }
    }
    const maxLevel: Partial<Record<Provider, AccessLevel>> = {};
    PROVIDERS.forEach((p, i) => {
      if (maxRank[i] > 0) maxLevel[p] = LEVELS[maxRank[i]];
    });
    const scopes: ReachScope[] = [];
    for (const [c, levels] of this.scopes) {
      let count = 0;
      let top = 0;
      levels.forEach((n, r) => {
        count += n;
        if (n > 0) top = r;
      });
      if (count <= 0) continue;
      const level = LEVELS[top];
      const { provider, id } = this.facts.containers[c];
      scopes.push({ provider, container: id, count, ...(level ? { level } : {}) });
    }
    scopes.sort((a, b) => a.provider.localeCompare(b.provider) || a.container.localeCompare(b.container));
    return { count: this.count, maxLevel, scopes, escalations, gains };
  }
}

/** What lies behind a set of hubs, tallied, with its most telling identities per point of view. */
interface SharedReach {
  behind: Behind;
  tally: Tally;
  /** Keyed by the source's provider and level: members by score, best first (a few times the
   * limit), and each hub's best escalation or gain. */
  views: Map<number, { order: number[]; bestBySeed: Map<number, number> }>;
}

export function computeReach(
  graph: Pick<AccessGraph, 'nodes' | 'edges'>,
  identities: readonly Identity[],
  options: { fullSearchLimit?: number } = {},
): Reach {
  const fullSearchLimit = options.fullSearchLimit ?? FULL_SEARCH_LIMIT;
  const { nodes, edges } = graph;
  const search = new ReachSearch(nodes, edges);
  const byId = new Map(identities.map((i) => [i.id, i]));
  const containers: NodeFacts['containers'] = [];
  const containerIndex = new Map<string, number>();
  const facts: NodeFacts = {
    provider: Uint8Array.from(nodes, (n) => Math.max(0, PROVIDERS.indexOf(n.provider))),
    rank: Uint8Array.from(nodes, (n) => (n.kind === 'identity' && byId.has(n.id) ? rankOf(ownLevel(byId.get(n.id)!)) : 0)),
    container: Int32Array.from(nodes, (n) => {
      const c = n.kind === 'identity' ? byId.get(n.id)?.container.id : undefined;
      if (c === undefined) return -1;
      const key = `${n.provider}\u0000${c}`;
      let at = containerIndex.get(key);
      if (at === undefined) containerIndex.set(key, (at = containers.push({ provider: n.provider, id: c }) - 1));
      return at;
    }),
    containers,
  };
  const { provider, rank } = facts;
  const isHub = Uint8Array.from(nodes, (n, i) => (n.kind !== 'identity' && search.outDegree(i) >= HUB_OUT_DEGREE ? 1 : 0));

  // The most telling first: an escalation, then a gain, then the highest level, another
  // provider before the source's, fewest hops; a tie keeps the one found first.
  const qualifies = (v: number, own: number, ownRank: number) => rank[v] >= 2 && rank[v] > (provider[v] === own ? ownRank : 0);
  const score = (v: number, depth: number, own: number, ownRank: number) => {
    const r = rank[v];
    const above = r > (provider[v] === own ? ownRank : 0);
    return (above && r === 3 ? 1 << 24 : 0) + (above && r >= 2 ? 1 << 23 : 0) + (r << 21) + (provider[v] === own ? 0 : 1 << 20) + ((1 << 20) - 1 - Math.min(depth, (1 << 20) - 1));
  };

  // One set of hubs at a time: its search and tally are made once, used by every identity that
  // reaches those hubs at those depths, and dropped before the next set's.
  const sharedFor = (seeds: ReadonlyArray<{ node: number; depth: number }>): SharedReach => {
    const behind = search.behind(seeds);
    const tally = new Tally(facts);
    for (const v of behind.ids) tally.add(v);
    return { behind, tally, views: new Map() };
  };
  const viewOf = (entry: SharedReach, own: number, ownRank: number) => {
    const key = own * LEVELS.length + ownRank;
    let view = entry.views.get(key);
    if (view) return view;
    const { behind } = entry;
    const top = new TopTargets(REACH_TARGET_LIMIT * 4);
    const bestBySeed = new Map<number, { v: number; score: number }>();
    for (const v of behind.ids) {
      const sc = score(v, behind.depth[v], own, ownRank);
      top.offer(v, sc);
      if (!qualifies(v, own, ownRank)) continue;
      const seed = behind.seed[v];
      const best = bestBySeed.get(seed);
      if (!best || sc > best.score) bestBySeed.set(seed, { v, score: sc });
    }
    view = { order: top.ranked(), bestBySeed: new Map([...bestBySeed].map(([seed, b]) => [seed, b.v])) };
    entry.views.set(key, view);
    return view;
  };

  const store = new TargetStore(nodes, rank);

  /** The reach of node `s`, searched anew up to the hubs; `entry` is what lies behind the hubs it reaches. */
  const reachOf = (s: number, entry?: SharedReach): IdentityReach | undefined => {
    const own = provider[s];
    const ownRank = rank[s];

    const fromSearch = (found: number[]): IdentityReach | undefined => {
      if (found.length === 0) return undefined;
      const tally = new Tally(facts);
      for (const v of found) tally.add(v);
      let kept = found;
      if (found.length > REACH_TARGET_LIMIT) {
        const keep = new TopTargets(REACH_TARGET_LIMIT);
        // Every first hop behind an escalation or gain keeps its best target, so the findings
        // that fold into the grant making that hop still see it.
        const bestByFirstHop = new Map<number, { v: number; score: number }>();
        for (const v of found) {
          const sc = score(v, search.depth[v], own, ownRank);
          keep.offer(v, sc);
          if (!qualifies(v, own, ownRank)) continue;
          const first = search.firstEdge[v];
          const best = bestByFirstHop.get(first);
          if (!best || sc > best.score) bestByFirstHop.set(first, { v, score: sc });
        }
        const chosen = new Set(keep.members());
        for (const { v } of bestByFirstHop.values()) chosen.add(v);
        const order = new Map(found.map((v, i) => [v, i]));
        kept = [...chosen].sort((a, b) => order.get(a)! - order.get(b)!);
      }
      return store.reach(tally.summary(own, ownRank), kept, (v) => search.chain(v));
    };

    const fromShared = (found: number[], entry: SharedReach): IdentityReach => {
      const { behind } = entry;
      const tally = entry.tally.clone();
      if (behind.has(s)) tally.add(s, -1);
      // Reached both ways: counted once, by the shorter chain (the one behind the hubs on a tie).
      const direct = new Set<number>();
      for (const v of found) {
        const there = behind.has(v);
        if (!there) tally.add(v);
        if (!there || search.depth[v] < behind.depth[v]) direct.add(v);
      }
      const keep = new TopTargets(REACH_TARGET_LIMIT);
      const bestByFirstHop = new Map<number, { v: number; score: number }>();
      const consider = (v: number, depth: number, first: number, offer: boolean) => {
        const sc = score(v, depth, own, ownRank);
        if (offer) keep.offer(v, sc);
        if (!qualifies(v, own, ownRank)) return;
        const best = bestByFirstHop.get(first);
        if (!best || sc > best.score) bestByFirstHop.set(first, { v, score: sc });
      };
      for (const v of direct) consider(v, search.depth[v], search.firstEdge[v], true);
      const view = viewOf(entry, own, ownRank);
      for (const v of view.order) if (v !== s && !direct.has(v)) keep.offer(v, score(v, behind.depth[v], own, ownRank));
      for (const [seed, v] of view.bestBySeed) if (v !== s && !direct.has(v)) consider(v, behind.depth[v], search.firstEdge[seed], false);
      const chosen = new Set(keep.members());
      for (const { v } of bestByFirstHop.values()) chosen.add(v);
      const depthOf = (v: number) => (direct.has(v) ? search.depth[v] : behind.depth[v]);
      const kept = [...chosen].sort((a, b) => depthOf(a) - depthOf(b) || a - b);
      // Behind the hubs back to the hub it descends from, then this source's own way to that hub.
      const chainBehind = (v: number) => {
        const rest: number[] = [];
        let w = v;
        for (; behind.parent[w] !== -1; w = search.tailOf(behind.parent[w])) rest.push(behind.parent[w]);
        return search.chain(w, rest.reverse());
      };
      return store.reach(tally.summary(own, ownRank), kept, (v) => (direct.has(v) ? search.chain(v) : chainBehind(v)));
    };

    const near = search.searchToHubs(s, isHub);
    if (!entry) return fromSearch(near.found);
    if (entry.behind.size + near.found.length <= fullSearchLimit) return fromSearch(search.search(s));
    return fromShared(near.found, entry);
  };

  // Identities that reach no hub are answered at once; the others are grouped by the hubs they
  // reach and the depths they reach them at, and each group answered after one search behind them.
  const results = new Map<number, IdentityReach>();
  const groups = new Map<string, { seeds: Array<{ node: number; depth: number }>; members: number[] }>();
  identities.forEach((source, at) => {
    const s = search.index.get(source.id)!;
    if (!search.hasHops(s)) return;
    const near = search.searchToHubs(s, isHub);
    if (near.hubs.length === 0) {
      const result = reachOf(s);
      if (result) results.set(at, result);
      return;
    }
    const seeds = near.hubs.map((h) => ({ node: h, depth: search.depth[h] })).sort((a, b) => a.node - b.node);
    const key = seeds.map((x) => `${x.node}:${x.depth}`).join(',');
    const group = groups.get(key);
    if (group) group.members.push(at);
    else groups.set(key, { seeds, members: [at] });
  });
  for (const { seeds, members } of groups.values()) {
    const entry = sharedFor(seeds);
    for (const at of members) {
      const result = reachOf(search.index.get(identities[at].id)!, entry);
      if (result) results.set(at, result);
    }
  }
  store.trim();
  const byIdentity: Record<string, IdentityReach> = {};
  identities.forEach((source, at) => {
    const result = results.get(at);
    if (result) byIdentity[source.id] = result;
  });
  return { nodes, edges, byIdentity };
}

/** Every kept target of every identity's reach in one buffer: per target its node, then its
 * chain's length and edges. A target as an object with its own chain array cost about 120 bytes
 * (97 MiB for the 785,000 kept at 100,000 AWS identities); packed, it is a few integers, and the
 * objects are made only when something reads an identity's targets. */
class TargetStore {
  private data = new Int32Array(1 << 12);
  length = 0;

  constructor(
    private readonly nodes: readonly PathNode[],
    private readonly rank: Uint8Array,
  ) {}

  /** An identity's reach: its summary, and the `kept` targets with their chains, stored here. */
  reach(summary: Omit<IdentityReach, 'targets'>, kept: readonly number[], chainOf: (v: number) => readonly number[]): IdentityReach {
    const start = this.length;
    for (const v of kept) this.add(v, chainOf(v));
    return new PackedReach(summary, this, start, this.length);
  }

  private add(v: number, chain: readonly number[]): void {
    const need = this.length + 2 + chain.length;
    if (need > this.data.length) {
      const grown = new Int32Array(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    const { data } = this;
    let at = this.length;
    data[at++] = v;
    data[at++] = chain.length;
    for (const e of chain) data[at++] = e;
    this.length = at;
  }

  /** Drops the room left for targets that never came. */
  trim(): void {
    if (this.data.length > this.length) this.data = this.data.slice(0, this.length);
  }

  read(start: number, end: number): ReachTarget[] {
    const { data, nodes, rank } = this;
    const targets: ReachTarget[] = [];
    for (let at = start; at < end; ) {
      const v = data[at++];
      const length = data[at++];
      const chain = new Array<number>(length);
      for (let i = 0; i < length; i++) chain[i] = data[at++];
      const level = LEVELS[rank[v]];
      targets.push({ identityId: nodes[v].id, provider: nodes[v].provider, ...(level ? { level } : {}), chain });
    }
    return targets;
  }
}

/** One identity's reach, its targets read from the shared store each time they are asked for.
 * The store's place is private, so the fields are those of IdentityReach; toJSON writes them in
 * the order the report always had. */
class PackedReach implements IdentityReach {
  readonly count: number;
  readonly maxLevel: IdentityReach['maxLevel'];
  readonly scopes: ReachScope[];
  readonly escalations: number;
  readonly gains: number;
  readonly #store: TargetStore;
  readonly #start: number;
  readonly #end: number;

  constructor(summary: Omit<IdentityReach, 'targets'>, store: TargetStore, start: number, end: number) {
    this.count = summary.count;
    this.maxLevel = summary.maxLevel;
    this.scopes = summary.scopes;
    this.escalations = summary.escalations;
    this.gains = summary.gains;
    this.#store = store;
    this.#start = start;
    this.#end = end;
  }

  get targets(): ReachTarget[] {
    return this.#store.read(this.#start, this.#end);
  }

  toJSON(): IdentityReach {
    const { count, maxLevel, scopes, escalations, gains, targets } = this;
    return { count, maxLevel, scopes, escalations, gains, targets };
  }
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

  /** The members, best first. */
  ranked(): number[] {
    return this.items.map((item, i) => ({ item, score: this.scores[i], i })).sort((a, b) => b.score - a.score || a.i - b.i).map((x) => x.item);
  }

  private findWorst(): void {
    let w = 0;
    for (let i = 1; i < this.scores.length; i++) if (this.scores[i] < this.scores[w]) w = i;
    this.worst = w;
  }
}
