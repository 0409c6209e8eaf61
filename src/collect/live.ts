import type { Provider } from '../model/inventory.js';
import type { Progress } from './progress.js';
import type { Shard } from './shard.js';

// What every provider's live collector is given, whatever the provider: where to write, how
// many scopes at once, and where progress and --verbose lines go. Provider-specific settings
// (organizations, projects, tenants, endpoints) are added by each collector's own options type.

export interface LiveRun {
  /** Scopes (accounts, projects, organizations, tenants) collected at once (--concurrency). */
  concurrency?: number;
  /** --verbose lines: call counts, what was signed in; never given credentials. */
  log?: (line: string) => void;
  /** The progress line (a terminal) or nothing. */
  progress?: Progress;
  /** Collect only the scopes of this shard (--shard I/N); see shard.ts. */
  shard?: Shard;
}

/** Providers that can be collected live, in the order their collections are started. */
export const LIVE_PROVIDERS: readonly Provider[] = ['aws', 'gcp', 'github', 'entra'];
