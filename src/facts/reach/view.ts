import type { AccessLevel, Identity, Provider } from '../../model/inventory.js';
import type { Reach, ReachScope, ReachTarget } from '../../model/reach.js';
import { Deferred } from '../../util/deferred.js';
import { levelRank, ownLevel } from './graph.js';

// Reach as rules read it (`identity.reach`): every target with its chain in words, and the
// answers rules most often want already worked out, so a rule stays one short expression. The
// lists of targets are built (chains in words) only when a rule reads them: most rules read a
// count or a yes/no, and most identities fire none.

export interface ReachTargetView {
  identityId: string;
  name: string;
  provider: Provider;
  /** Its account, project, organisation or tenant. */
  container: string;
  kind: string;
  level?: AccessLevel;
  /** Hops to identities, workflows and repositories: a step into a grouping principal ("any role
   * that trusts account A") is part of the hop it groups, not one of its own. */
  hops: number;
  /** One line a hop: "a → b: kind (evidence) [if condition]". */
  chain: string[];
  /** Root-cause keys of the chain: the grant that makes its first hop, else the hop itself. */
  rootKeys: string[];
}

export interface ReachView {
  /** Every target, or past REACH_TARGET_LIMIT the most telling ones: `count` says how many in all. */
  targets: Deferred<ReachTargetView[]>;
  count: number;
  /** Every account, project, organisation or tenant reached: how many identities there, the highest level. */
  scopes: ReachScope[];
  maxLevel: Partial<Record<Provider, AccessLevel>>;
  /** The identity's own highest level per provider (none where it holds nothing). */
  ownLevel: Partial<Record<Provider, AccessLevel>>;
  /** Providers it reaches identities on, its own included. */
  providers: Provider[];
  /** Targets that hold admin where the identity itself does not: on another provider, or on its
   * own when it is not admin there (the most telling, when there are many: see escalationCount). */
  escalations: Deferred<ReachTargetView[]>;
  escalationCount: number;
  reachesAdmin: boolean;
  reachesAdminElsewhere: boolean;
  /** Targets whose level (write or admin) is above the identity's own on that provider. */
  gains: Deferred<ReachTargetView[]>;
  gainCount: number;
  beyondOwn: boolean;
}

export class ReachReader {
  private readonly names = new Map<string, string>();
  private readonly grouping = new Set<string>();
  private readonly identities = new Map<string, Identity>();

  constructor(
    private readonly reach: Reach,
    identities: readonly Identity[],
    /** The scan's clock: a grant whose end has passed is not the identity's own level. */
    private readonly now?: string,
  ) {
    for (const n of reach.nodes) {
      this.names.set(n.id, n.name);
      if (n.kind === 'principal') this.grouping.add(n.id);
    }
    for (const i of identities) this.identities.set(i.id, i);
  }

  // Chains of many identities run through the same hops (a hub, a shared role): each line is
  // made once, and findings that quote it share one copy.
  private readonly steps: string[] = [];

  step(index: number): string {
    return (this.steps[index] ??= this.line(this.reach.edges[index]));
  }

  private line(e: Reach['edges'][number]): string {
    const name = (id: string) => this.names.get(id) ?? id;
    return `${name(e.from)} → ${name(e.to)}: ${e.kind} (${e.evidence})${e.condition ? ` [if ${e.condition}]` : ''}`;
  }

  target(t: ReachTarget): ReachTargetView {
    const first = this.reach.edges[t.chain[0]];
    const identity = this.identities.get(t.identityId);
    return {
      identityId: t.identityId,
      name: this.names.get(t.identityId) ?? t.identityId,
      provider: t.provider,
      container: identity?.container.id ?? '',
      kind: identity?.kind ?? 'unknown',
      ...(t.level ? { level: t.level } : {}),
      hops: t.chain.filter((i) => !this.grouping.has(this.reach.edges[i].to)).length,
      chain: t.chain.map((i) => this.step(i)),
      rootKeys: [first.rootKey ?? `reach:${first.from}>${first.to}:${first.kind}`],
    };
  }

  view(identity: Identity): ReachView {
    const own: Partial<Record<Provider, AccessLevel>> = {};
    const level = ownLevel(identity, this.now);
    if (level) own[identity.provider] = level;
    const entry = this.reach.byIdentity[identity.id];
    const targets = new Deferred(() => (entry?.targets ?? []).map((t) => this.target(t)));
    const above = (t: ReachTargetView) => levelRank(t.level) > levelRank(own[t.provider]);
    // The most telling first: highest level, another provider before this one, fewest hops.
    const telling = (a: ReachTargetView, b: ReachTargetView) =>
      levelRank(b.level) - levelRank(a.level) ||
      Number(a.provider === identity.provider) - Number(b.provider === identity.provider) ||
      a.hops - b.hops;
    const escalations = new Deferred(() => targets.get().filter((t) => t.level === 'admin' && above(t)).sort(telling));
    const gains = new Deferred(() => targets.get().filter((t) => levelRank(t.level) >= levelRank('write') && above(t)).sort(telling));
    const scopes = entry?.scopes ?? [];
    return {
      targets,
      count: entry?.count ?? 0,
      scopes,
      maxLevel: entry?.maxLevel ?? own,
      ownLevel: own,
      providers: [...new Set(scopes.map((t) => t.provider))].sort(),
      escalations,
      escalationCount: entry?.escalations ?? 0,
      reachesAdmin: scopes.some((t) => t.level === 'admin'),
      reachesAdminElsewhere: (entry?.escalations ?? 0) > 0,
      gains,
      gainCount: entry?.gains ?? 0,
      beyondOwn: (entry?.gains ?? 0) > 0,
    };
  }
}
