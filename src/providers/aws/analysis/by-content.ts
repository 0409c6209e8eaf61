import type { ActionSet } from './action-set.js';

// Values computed from an action set's content alone, shared by every set with that content:
// principals holding different documents often end up with the same effective actions (an
// inline policy naming another bucket changes resources, not actions). Bounded, oldest out
// first, so a large account's distinct sets do not all stay.

export class ByContent<T> {
  private readonly entries = new Map<number, Array<{ set: ActionSet; value: T }>>();
  /** Insertion order; an evicted slot is emptied at once, so it no longer holds its set. */
  private readonly order: Array<{ hash: number; set: ActionSet } | undefined> = [];
  private head = 0;

  constructor(private readonly capacity = 4096) {}

  get(set: ActionSet, compute: () => T): T {
    const hash = set.hash();
    let bucket = this.entries.get(hash);
    const known = bucket?.find((e) => e.set === set || e.set.equals(set));
    if (known) return known.value;
    const value = compute();
    if (!bucket) this.entries.set(hash, (bucket = []));
    bucket.push({ set, value });
    this.order.push({ hash, set });
    if (this.order.length - this.head > this.capacity) this.evict();
    return value;
  }

  private evict(): void {
    const { hash, set } = this.order[this.head]!;
    this.order[this.head++] = undefined;
    const bucket = this.entries.get(hash)!;
    bucket.splice(bucket.findIndex((e) => e.set === set), 1);
    if (bucket.length === 0) this.entries.delete(hash);
    // Drop the evicted part of the queue now and then rather than shifting on every eviction.
    if (this.head > this.capacity) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }
}
