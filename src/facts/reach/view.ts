import type { AccessLevel, Identity, Provider } from '../../model/inventory.js';
import type { Reach, ReachTarget } from '../../model/reach.js';
import { levelRank, ownLevel } from './graph.js';

// Reach as rules read it (`identity.reach`): every target with its chain in words, and the
// answers rules most often want already worked out, so a rule stays one short expression.

export interface ReachTargetView {
  identityId: string;
  name: string;
  provider: Provider;
  kind: string;
  level?: AccessLevel;
  hops: number;
  /** One line a hop: "a → b: kind (evidence) [if condition]". */
  chain: string[];
  /** Root-cause keys of the chain: the grant that makes its first hop, else the hop itself. */
  rootKeys: string[];
}

export interface ReachView {
  targets: ReachTargetView[];
  count: number;
  maxLevel: Partial<Record<Provider, AccessLevel>>;
  /** The identity's own highest level per provider (none where it holds nothing). */
  ownLevel: Partial<Record<Provider, AccessLevel>>;
  /** Providers it reaches identities on, its own included. */
  providers: Provider[];
  /** Targets that hold admin where the identity itself does not: on another provider, or on its own when it is not admin there. */
  escalations: ReachTargetView[];
  reachesAdmin: boolean;
  reachesAdminElsewhere: boolean;
  /** Targets whose level (write or admin) is above the identity's own on that provider. */
  gains: ReachTargetView[];
  beyondOwn: boolean;
}

export class ReachReader {
  private readonly names = new Map<string, string>();
  private readonly kinds = new Map<string, string>();

  constructor(
    private readonly reach: Reach,
    identities: readonly Identity[],
  ) {
    for (const n of reach.nodes) this.names.set(n.id, n.name);
    for (const i of identities) this.kinds.set(i.id, i.kind);
  }

  step(index: number): string {
    const e = this.reach.edges[index];
    const name = (id: string) => this.names.get(id) ?? id;
    return `${name(e.from)} → ${name(e.to)}: ${e.kind} (${e.evidence})${e.condition ? ` [if ${e.condition}]` : ''}`;
  }

  target(t: ReachTarget): ReachTargetView {
    const first = this.reach.edges[t.chain[0]];
    return {
      identityId: t.identityId,
      name: this.names.get(t.identityId) ?? t.identityId,
      provider: t.provider,
      kind: this.kinds.get(t.identityId) ?? 'unknown',
      ...(t.level ? { level: t.level } : {}),
      hops: t.chain.length,
      chain: t.chain.map((i) => this.step(i)),
      rootKeys: [first.rootKey ?? `reach:${first.from}>${first.to}:${first.kind}`],
    };
  }

  view(identity: Identity): ReachView {
    const own: Partial<Record<Provider, AccessLevel>> = {};
    const level = ownLevel(identity);
    if (level) own[identity.provider] = level;
    const entry = this.reach.byIdentity[identity.id];
    const targets = (entry?.targets ?? []).map((t) => this.target(t));
    const above = (t: ReachTargetView) => levelRank(t.level) > levelRank(own[t.provider]);
    // The most telling first: highest level, another provider before this one, fewest hops.
    const telling = (a: ReachTargetView, b: ReachTargetView) =>
      levelRank(b.level) - levelRank(a.level) ||
      Number(a.provider === identity.provider) - Number(b.provider === identity.provider) ||
      a.hops - b.hops;
    const escalations = targets.filter((t) => t.level === 'admin' && above(t)).sort(telling);
    const gains = targets.filter((t) => levelRank(t.level) >= levelRank('write') && above(t)).sort(telling);
    return {
      targets,
      count: targets.length,
      maxLevel: entry?.maxLevel ?? own,
      ownLevel: own,
      providers: [...new Set(targets.map((t) => t.provider))].sort(),
      escalations,
      reachesAdmin: targets.some((t) => t.level === 'admin'),
      reachesAdminElsewhere: escalations.length > 0,
      gains,
      beyondOwn: gains.length > 0,
    };
  }
}
