// Findings about thousands of identities say the same things: one message for every holder of
// an escalation path, the same path descriptions and administrator lines in their evidence. Each
// finding used to hold its own copy of that text, most of it as the chains of pieces string
// concatenation leaves (at 10,000 AWS identities: 211,000 evidence strings, 4,800 distinct). A
// pool per scan keeps one copy of each. Findings never change once made, so sharing is safe.

import { listKey } from '../util/list-key.js';

/** Lists longer than this are quoted from the inventory as they are (a grant's whole permission
 * list) and shared already; pooling them would only cost a key per finding. */
const MAX_POOLED_LIST = 64;

export class TextPool {
  private strings = new Map<string, string>();
  private lists = new Map<string, string[]>();

  /** Starts over, keeping what findings already share. The pool's own entries are mostly texts
   * said once (a message naming its identity), and at 100,000 AWS identities they held 23 MiB
   * until the rules ended; a text many identities share is pooled again within a few of them, so
   * emptying the pool every thousand or so identities costs a copy per thousand. */
  forget(): void {
    this.strings = new Map();
    this.lists = new Map();
  }

  text(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  /** A string, or a short list of strings, as the pool's copy; anything else as it is. */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_POOLED_LIST) return value;
    for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string' || !(i in value)) return value;
    const texts = value as string[];
    const key = listKey(texts);
    const known = this.lists.get(key);
    if (known) return known;
    const pooled = texts.map((t) => this.text(t));
    this.lists.set(key, pooled);
    return pooled;
  }
}
