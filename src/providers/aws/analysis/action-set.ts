// A set of IAM actions as a bitset over the action catalogue (about 22,000 actions, so one set
// is under 3 KB). Effective-permission analysis unions, intersects and subtracts these for every
// statement of every principal; bit operations keep that linear in the number of statements.

export class ActionSet {
  private constructor(readonly words: Uint32Array) {}

  static empty(size: number): ActionSet {
    return new ActionSet(new Uint32Array(Math.ceil(size / 32)));
  }

  static full(size: number): ActionSet {
    const set = ActionSet.empty(size);
    set.words.fill(0xffffffff);
    const spare = set.words.length * 32 - size;
    if (spare > 0) set.words[set.words.length - 1] = 0xffffffff >>> spare;
    return set;
  }

  static of(size: number, ids: Iterable<number>): ActionSet {
    const set = ActionSet.empty(size);
    for (const id of ids) set.add(id);
    return set;
  }

  /** The number of actions the set can hold (the catalogue size). */
  get size(): number {
    return this.words.length * 32;
  }

  add(id: number): void {
    this.words[id >>> 5] |= 1 << (id & 31);
  }

  delete(id: number): void {
    this.words[id >>> 5] &= ~(1 << (id & 31));
  }

  has(id: number): boolean {
    return (this.words[id >>> 5] & (1 << (id & 31))) !== 0;
  }

  clone(): ActionSet {
    return new ActionSet(this.words.slice());
  }

  /** In place: this ∪ other. */
  addAll(other: ActionSet): this {
    for (let i = 0; i < this.words.length; i++) this.words[i] |= other.words[i];
    return this;
  }

  /** In place: this ∩ other. */
  retainAll(other: ActionSet): this {
    for (let i = 0; i < this.words.length; i++) this.words[i] &= other.words[i];
    return this;
  }

  /** In place: this − other. */
  removeAll(other: ActionSet): this {
    for (let i = 0; i < this.words.length; i++) this.words[i] &= ~other.words[i];
    return this;
  }

  /** In place: the complement within a catalogue of `size` actions. */
  invert(size: number): this {
    for (let i = 0; i < this.words.length; i++) this.words[i] = ~this.words[i];
    const spare = this.words.length * 32 - size;
    if (spare > 0) this.words[this.words.length - 1] &= 0xffffffff >>> spare;
    return this;
  }

  intersects(other: ActionSet): boolean {
    for (let i = 0; i < this.words.length; i++) if ((this.words[i] & other.words[i]) !== 0) return true;
    return false;
  }

  /** Every member of this is in other. */
  isSubsetOf(other: ActionSet): boolean {
    for (let i = 0; i < this.words.length; i++) if ((this.words[i] & ~other.words[i]) !== 0) return false;
    return true;
  }

  isEmpty(): boolean {
    return this.words.every((w) => w === 0);
  }

  count(): number {
    let n = 0;
    for (let i = 0; i < this.words.length; i++) n += popcount(this.words[i]);
    return n;
  }

  /** |this − other|, without building the difference. */
  countMissingFrom(other: ActionSet): number {
    let n = 0;
    for (let i = 0; i < this.words.length; i++) n += popcount(this.words[i] & ~other.words[i]);
    return n;
  }

  /** Number of members with ids in [from, to). */
  countRange(from: number, to: number): number {
    let n = 0;
    let id = from;
    // Bit by bit up to a word boundary, then whole words, then the tail.
    for (; id < to && (id & 31) !== 0; id++) if (this.has(id)) n++;
    for (; id + 32 <= to; id += 32) n += popcount(this.words[id >>> 5]);
    for (; id < to; id++) if (this.has(id)) n++;
    return n;
  }

  /** |this ∩ other|, without building the intersection. */
  countCommon(other: ActionSet): number {
    let n = 0;
    for (let i = 0; i < this.words.length; i++) n += popcount(this.words[i] & other.words[i]);
    return n;
  }

  equals(other: ActionSet): boolean {
    for (let i = 0; i < this.words.length; i++) if (this.words[i] !== other.words[i]) return false;
    return true;
  }

  /** Ids of this ∩ other, ascending, without building the intersection. */
  commonIds(other: ActionSet): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.words.length; i++) {
      let w = this.words[i] & other.words[i];
      while (w !== 0) {
        out.push(i * 32 + 31 - Math.clz32(w & -w));
        w &= w - 1;
      }
    }
    return out;
  }

  /** FNV-1a over the words: equal sets hash alike, for caches keyed by a set's content. */
  hash(): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.words.length; i++) h = Math.imul(h ^ this.words[i], 0x01000193);
    return h >>> 0;
  }

  *ids(): IterableIterator<number> {
    for (let i = 0; i < this.words.length; i++) {
      let w = this.words[i];
      while (w !== 0) {
        const bit = 31 - Math.clz32(w & -w);
        yield i * 32 + bit;
        w &= w - 1;
      }
    }
  }
}

/** Hamming weight of a 32-bit word. */
export function popcount(w: number): number {
  w -= (w >>> 1) & 0x55555555;
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
