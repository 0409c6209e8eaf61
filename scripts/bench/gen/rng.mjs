// A seeded pseudo-random source for the bundle generator: the same seed gives byte-identical
// bundles, so benchmark runs on different trees compare the same estate. sfc32 seeded through
// a string hash; each provider and scope gets its own stream, so changing one provider's
// count never shifts the ids of another.

function hashSeed(text) {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

export class Rng {
  constructor(seed) {
    [this.a, this.b, this.c, this.d] = hashSeed(String(seed));
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next() {
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p) {
    return this.next() < p;
  }

  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }

  /** Picks by weight from [[value, weight], …]. */
  weighted(pairs) {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }

  /** n distinct items of list (n clamped to its length). */
  sample(list, n) {
    const copy = list.slice();
    const out = [];
    for (let i = 0; i < Math.min(n, copy.length); i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
      out.push(copy[i]);
    }
    return out;
  }

  chars(alphabet, n) {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }

  base32(n) {
    return this.chars(BASE32, n);
  }

  alnum(n) {
    return this.chars(ALNUM, n);
  }

  hex(n) {
    return this.chars(HEX, n);
  }

  digits(n) {
    return String(this.int(1, 9)) + this.chars('0123456789', n - 1);
  }

  bytes(n) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.next() * 256);
    return b;
  }

  /** A version-4 GUID. */
  guid() {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[Math.floor(this.next() * 4)];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

/** Issues ids that are unique within a generated bundle: draws again on the rare collision. */
export class UniqueIds {
  constructor() {
    this.seen = new Set();
  }

  take(draw) {
    for (;;) {
      const id = draw();
      if (!this.seen.has(id)) {
        this.seen.add(id);
        return id;
      }
    }
  }
}

/** Time helpers relative to the bundle's collection time. */
export class Clock {
  constructor(collectedAt) {
    this.now = Date.parse(collectedAt);
  }

  /** A moment `days` (fractional) before collection, as ISO with milliseconds (`….000Z`). */
  daysAgo(days) {
    return new Date(Math.floor((this.now - days * 86400000) / 1000) * 1000).toISOString();
  }

  /** Same, without milliseconds (`2026-11-19T08:12:34Z`), as Google, GitHub and Graph write it. */
  daysAgoSeconds(days) {
    return this.daysAgo(days).replace('.000Z', 'Z');
  }

  daysAhead(days) {
    return this.daysAgo(-days);
  }
}
