import type { CoverageEntry } from '../model/bundle.js';
import type { Provider } from '../model/inventory.js';

// Per scope (an account, project, organization or tenant): how many calls each API took (for
// --verbose, and to show that the count grows with pages and keys, not with principals), and
// the coverage outcome of each bundle call. Shared by every provider's collector.

interface Count {
  calls: number;
  /** HTTP requests, retries included (the SDK's $metadata.attempts). */
  requests: number;
  failed: number;
}

interface Outcome {
  status: CoverageEntry['status'];
  message?: string;
}

const RANK: Record<CoverageEntry['status'], number> = { ok: 0, skipped: 1, error: 2 };

export class CallLog {
  /** `onCall` hears of every call as it starts (the progress line shows the API in flight). */
  constructor(
    readonly provider: Provider,
    private readonly onCall?: (action: string) => void,
  ) {}

  private readonly counts = new Map<string, Count>();
  private readonly outcomes = new Map<string, Outcome[]>();

  /** Sends one SDK command, counting it under `action` (e.g. iam:ListAccessKeys); errors are rethrown.
   * A result or error may say how many HTTP requests it took, as the AWS SDK's `$metadata.attempts`. */
  async send<T>(action: string, run: () => Promise<T>): Promise<T> {
    const count = this.counts.get(action) ?? { calls: 0, requests: 0, failed: 0 };
    this.counts.set(action, count);
    count.calls++;
    this.onCall?.(action);
    try {
      const out = await run();
      count.requests += attemptsOf(out);
      return out;
    } catch (err) {
      count.requests += attemptsOf(err);
      count.failed++;
      throw err;
    }
  }

  /** Counts HTTP requests a client made on its own (retries it ran inside one call), for clients
   * that report them through hooks rather than on the result. */
  addRequests(action: string, n = 1): void {
    const count = this.counts.get(action) ?? { calls: 0, requests: 0, failed: 0 };
    this.counts.set(action, count);
    count.requests += n;
  }

  ok(call: string): void {
    this.record(call, { status: 'ok' });
  }

  failed(call: string, message: string, status: 'error' | 'skipped' = 'error'): void {
    this.record(call, { status, message });
  }

  private record(call: string, outcome: Outcome): void {
    const list = this.outcomes.get(call) ?? [];
    list.push(outcome);
    this.outcomes.set(call, list);
  }

  /** One entry per bundle call: its worst outcome, with the first such message and how many calls shared it. */
  coverage(scope: string): CoverageEntry[] {
    return [...this.outcomes].map(([call, list]) => {
      const worst = list.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
      const same = list.filter((o) => o.status === worst.status).length;
      const entry: CoverageEntry = { provider: this.provider, scope, call, status: worst.status };
      if (worst.message) entry.message = same > 1 ? `${worst.message} (and ${same - 1} more of ${list.length} calls)` : worst.message;
      return entry;
    });
  }

  /** API call counts, most first: [action, calls, requests, failed]. */
  counted(): [string, Count][] {
    return [...this.counts].sort((a, b) => b[1].calls - a[1].calls || a[0].localeCompare(b[0]));
  }

  /** "11 calls (13 requests): iam:ListAccessKeys 5, …" for --verbose. */
  summary(): string {
    const rows = this.counted();
    const calls = rows.reduce((n, [, c]) => n + c.calls, 0);
    const requests = rows.reduce((n, [, c]) => n + c.requests, 0);
    const parts = rows.map(([a, c]) => `${a} ${c.calls}${c.failed ? ` (${c.failed} failed)` : ''}`);
    return `${calls} calls (${requests} requests): ${parts.join(', ')}`;
  }
}

function attemptsOf(value: unknown): number {
  const attempts = (value as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}
