import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/rules/cel.js';
import { TextPool } from '../../src/rules/text-pool.js';
import { loadBundle } from '../../src/bundle/load.js';
import { analyseBundle } from '../../src/scan/analyse.js';
import { prepareAnalysis } from '../../src/cli/analysis-setup.js';

// What a scan keeps after its rules ran: no evaluation's variables, one copy of repeated text.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Whether `make()`'s object is still reachable once `use` has run on it and let it go. */
async function survives(make: () => object, use: (o: object) => void): Promise<boolean> {
  let ref: WeakRef<object> | undefined;
  (() => {
    const o = make();
    ref = new WeakRef(o);
    use(o);
  })();
  // WeakRefs hold their target until the current job ends.
  await new Promise((r) => setTimeout(r, 0));
  gc();
  gc();
  return ref!.deref() !== undefined;
}

describe('CEL evaluation', () => {
  it('keeps nothing of the variables it read once it has answered (comprehensions included)', async () => {
    const exprs = [
      compileExpression(`identity.keys.exists(k, k.startsWith('AKIA'))`, { boolean: true }),
      compileExpression(`identity.keys.map(k, k + '!').filter(k, k.size() > 2)`),
      compileExpression(`identity.keys.all(k, identity.names.exists(n, n == k))`, { boolean: true }),
    ];
    for (const expr of exprs) {
      const kept = await survives(
        () => ({ keys: ['AKIA1', 'x'], names: ['AKIA1'] }),
        (identity) => void expr({ identity }),
      );
      expect(kept).toBe(false);
    }
    // The released contexts serve the next evaluation as before.
    expect(exprs[0]({ identity: { keys: ['nope'], names: [] } })).toBe(false);
    expect(exprs[1]({ identity: { keys: ['abc', 'c'], names: [] } })).toEqual(['abc!', 'c!'].filter((k) => k.length > 2));
    expect(exprs[2]({ identity: { keys: ['a'], names: ['a'] } })).toBe(true);
  });
});

describe('TextPool', () => {
  it('returns one copy of equal short string lists, and never one for two different lists', () => {
    const pool = new TextPool();
    const first = pool.value(['a', 'b']);
    expect(pool.value(['a', 'b'])).toBe(first);
    expect(first).toEqual(['a', 'b']);
    // Lists that only join alike are different lists.
    expect(pool.value(['a\u0000b'])).not.toBe(pool.value(['a', 'b']));
    expect(pool.value(['a\u0000b'])).toEqual(['a\u0000b']);
    expect(pool.value(['ab', 'c'])).not.toBe(pool.value(['a', 'bc']));
    expect(pool.value(['1:a'])).not.toBe(pool.value(['1', 'a']));
  });

  it('leaves long lists, mixed lists, sparse lists and other values as they are', () => {
    const pool = new TextPool();
    const long = Array.from({ length: 65 }, (_, i) => `p${i}`);
    expect(pool.value(long)).toBe(long);
    const mixed = ['a', 1];
    expect(pool.value(mixed)).toBe(mixed);
    const sparse = ['a', , 'b'];
    expect(pool.value(sparse)).toBe(sparse);
    const obj = { a: 'b' };
    expect(pool.value(obj)).toBe(obj);
    expect(pool.value(3)).toBe(3);
  });

  it('starts over after forget, and what it handed out before stays as it was', () => {
    const pool = new TextPool();
    const list = pool.value(['a', 'b']) as string[];
    expect(pool.value(['a', 'b'])).toBe(list);
    pool.forget();
    const again = pool.value(['a', 'b']);
    expect(again).not.toBe(list);
    expect(pool.value(['a', 'b'])).toBe(again);
    expect(list).toEqual(['a', 'b']);
  });
});

describe('findings of a scan', () => {
  it('share the evidence lists they repeat (the pinned estate test keeps their content)', () => {
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const scan = analyseBundle(loadBundle('fixtures/demo'), options);
    // Evidence lists that read alike are one list.
    const lists = new Map<string, unknown>();
    let same = 0;
    for (const f of scan.findings) {
      for (const v of Object.values(f.evidence)) {
        if (!Array.isArray(v) || v.length === 0 || v.length > 64 || !v.every((x) => typeof x === 'string')) continue;
        const key = JSON.stringify(v);
        const seen = lists.get(key);
        if (seen === undefined) lists.set(key, v);
        else {
          expect(v).toBe(seen);
          same++;
        }
      }
    }
    expect(same).toBeGreaterThan(0);
  });

  it('share one target per item, one remediation per rule without a command, and the rule\'s tags', () => {
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const scan = analyseBundle(loadBundle('fixtures/demo'), options);
    const firstBy = <K>(key: (f: (typeof scan.findings)[number]) => K) => {
      const seen = new Map<K, (typeof scan.findings)[number]>();
      for (const f of scan.findings) {
        const k = key(f);
        if (k === undefined) continue;
        const earlier = seen.get(k);
        if (!earlier) seen.set(k, f);
        else return { earlier, f };
      }
      return undefined;
    };
    // Two findings on one identity's identity item (different families, so not folded into one).
    const onItem = firstBy((f) => `${f.identityId}|${f.target.type}|${f.target.key}`);
    expect(onItem).toBeDefined();
    expect(onItem!.f.target).toBe(onItem!.earlier.target);
    const plain = firstBy((f) => (f.remediation.command === undefined ? f.ruleId : undefined));
    expect(plain!.f.remediation).toBe(plain!.earlier.remediation);
    // Folded findings carry the union of their rules' tags instead.
    const byRule = firstBy((f) => (f.tags && f.related === undefined ? f.ruleId : undefined));
    expect(byRule).toBeDefined();
    expect(byRule!.f.tags).toBe(byRule!.earlier.tags);
  });

  it('share the root cause that findings on different identities repeat', () => {
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const scan = analyseBundle(loadBundle('fixtures/demo'), options);
    const sharedAcross = (text: (f: (typeof scan.findings)[number]) => unknown) => {
      const seen = new Map<string, { identityId: string; value: unknown }>();
      let checked = 0;
      for (const f of scan.findings) {
        const value = text(f);
        if (value === undefined) continue;
        const key = JSON.stringify(value);
        const earlier = seen.get(key);
        if (!earlier) seen.set(key, { identityId: f.identityId, value });
        else if (earlier.identityId !== f.identityId) {
          expect(value, key).toBe(earlier.value);
          checked++;
        }
      }
      return checked;
    };
    // Holders of one policy repeat its root cause (the pooled key strings cannot be told apart
    // from copies in JavaScript; lists can).
    expect(sharedAcross((f) => f.rootCause)).toBeGreaterThan(0);
  });
});
