import type { AccessLevel, Identity, Provider } from '../../model/inventory.js';
import type { IdentityReach, Reach, ReachTarget } from '../../model/reach.js';
import type { AccessGraph } from './build.js';
import { higher, ownLevel } from './graph.js';

// For every identity, what it can become: a breadth-first search from it over the hops reach
// follows (every edge not gated on something the scan cannot see), so each target comes with its
// shortest chain. The adjacency is compact (offsets into one array), one search's marks are
// reused by the next, and chains are read back from the search's parent edges: the work is the
// sum over identities of what each reaches, with nothing kept per pair but the answer.

export function computeReach(graph: AccessGraph, identities: readonly Identity[]): Reach {
  const { nodes, edges } = graph;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const n = nodes.length;
  const followed = edges.map((_, i) => i).filter((i) => !edges[i].gated);
  const offsets = new Int32Array(n + 1);
  for (const i of followed) offsets[index.get(edges[i].from)! + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const adjacency = new Int32Array(followed.length);
  const fill = offsets.slice(0, n);
  for (const i of followed) adjacency[fill[index.get(edges[i].from)!]++] = i;
  const head = new Int32Array(edges.length);
  const tail = new Int32Array(edges.length);
  edges.forEach((e, i) => {
    head[i] = index.get(e.to)!;
    tail[i] = index.get(e.from)!;
  });

  const byId = new Map(identities.map((i) => [i.id, i]));
  const levels = new Map<string, AccessLevel | undefined>();
  const levelOf = (id: string) => {
    if (!levels.has(id)) levels.set(id, ownLevel(byId.get(id)!));
    return levels.get(id);
  };

  const mark = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n);
  const queue = new Int32Array(n);
  const byIdentity: Record<string, IdentityReach> = {};
  for (const source of identities) {
    const s = index.get(source.id)!;
    if (offsets[s] === offsets[s + 1]) continue;
    mark[s] = s;
    parent[s] = -1;
    let read = 0;
    let write = 0;
    queue[write++] = s;
    const found: number[] = [];
    while (read < write) {
      const u = queue[read++];
      for (let k = offsets[u]; k < offsets[u + 1]; k++) {
        const e = adjacency[k];
        const v = head[e];
        if (mark[v] === s) continue;
        mark[v] = s;
        parent[v] = e;
        queue[write++] = v;
        if (nodes[v].kind === 'identity') found.push(v);
      }
    }
    if (found.length === 0) continue;
    const maxLevel: Partial<Record<Provider, AccessLevel>> = {};
    const own = levelOf(source.id);
    if (own) maxLevel[source.provider] = own;
    const targets: ReachTarget[] = found.map((v) => {
      const chain: number[] = [];
      for (let w = v; parent[w] !== -1; w = tail[parent[w]]) chain.push(parent[w]);
      chain.reverse();
      const target = nodes[v];
      const level = levelOf(target.id);
      if (level) maxLevel[target.provider] = higher(maxLevel[target.provider], level);
      return { identityId: target.id, provider: target.provider, ...(level ? { level } : {}), chain };
    });
    byIdentity[source.id] = { targets, maxLevel };
  }
  return { nodes, edges, byIdentity };
}
