import { createHash } from 'node:crypto';
import { InvalidArgumentError } from 'commander';

// `collect --shard I/N`: a CI matrix of N jobs collects an organization in parallel, each job
// the scopes (accounts, projects, organizations, tenants) that hash to its index. The
// assignment depends only on the scope's own id, so adding an account moves no other account
// to another shard, and the merged bundles hold every scope exactly once.

export interface Shard {
  /** 1-based, as a CI matrix counts. */
  index: number;
  count: number;
}

export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > 1000 || index < 1 || index > count) {
    throw new InvalidArgumentError('expected I/N with 1 ≤ I ≤ N ≤ 1000, e.g. 2/8');
  }
  return { index, count };
}

/** The shard a scope belongs to, 1-based. */
export function shardOf(provider: string, scope: string, count: number): number {
  const h = createHash('sha256').update(`${provider}:${scope}`).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

/** The scopes this shard collects (all of them without a shard); `id` names a scope as it is hashed. */
export function inShard<T>(provider: string, scopes: readonly T[], shard: Shard | undefined, id: (scope: T) => string = String): T[] {
  return shard ? scopes.filter((s) => shardOf(provider, id(s), shard.count) === shard.index) : [...scopes];
}
