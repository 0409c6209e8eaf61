import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compactHeap, GROWTH_PERCENT, heapGrowthFlag, LARGE_HEAP_BYTES, TIGHT_GROWTH_PERCENT, VERY_LARGE_HEAP_BYTES } from '../../src/util/heap-growth.js';

describe('heap growth on large estates', () => {
  it('leaves a small scan to V8', () => {
    expect(heapGrowthFlag(LARGE_HEAP_BYTES - 1, [])).toBeUndefined();
  });

  it('bounds growth once the heap holds a large estate', () => {
    expect(heapGrowthFlag(LARGE_HEAP_BYTES, [])).toBe(`--heap-growing-percent=${GROWTH_PERCENT}`);
    expect(heapGrowthFlag(LARGE_HEAP_BYTES, ['--enable-source-maps'], '--max-old-space-size=900')).toBe(`--heap-growing-percent=${GROWTH_PERCENT}`);
  });

  it('tightens the factor once the estate is very large, and never loosens it', () => {
    expect(heapGrowthFlag(VERY_LARGE_HEAP_BYTES - 1, [])).toBe(`--heap-growing-percent=${GROWTH_PERCENT}`);
    expect(heapGrowthFlag(VERY_LARGE_HEAP_BYTES, [])).toBe(`--heap-growing-percent=${TIGHT_GROWTH_PERCENT}`);
    // Set already: nothing to do; a smaller heap later does not undo the tighter factor.
    expect(heapGrowthFlag(VERY_LARGE_HEAP_BYTES - 1, [], '', GROWTH_PERCENT)).toBeUndefined();
    expect(heapGrowthFlag(VERY_LARGE_HEAP_BYTES, [], '', GROWTH_PERCENT)).toBe(`--heap-growing-percent=${TIGHT_GROWTH_PERCENT}`);
    expect(heapGrowthFlag(LARGE_HEAP_BYTES, [], '', TIGHT_GROWTH_PERCENT)).toBeUndefined();
    expect(heapGrowthFlag(VERY_LARGE_HEAP_BYTES, [], '--heap-growing-percent=100', GROWTH_PERCENT)).toBeUndefined();
  });

  it("never overrides the user's own factor, from the command line or NODE_OPTIONS, in either spelling", () => {
    expect(heapGrowthFlag(4 * LARGE_HEAP_BYTES, ['--heap-growing-percent=200'])).toBeUndefined();
    expect(heapGrowthFlag(4 * LARGE_HEAP_BYTES, [], '--enable-source-maps --heap_growing_percent=10')).toBeUndefined();
  });
});

describe('compacting between the analysis and the reports', () => {
  const oldSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!;
  const plainGc = () => {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  };
  /** Many small objects promoted to the old space, then every other one dropped: a plain full
   * collection leaves the survivors spread over all their pages, half full (measured: 50-76%). */
  const scatter = () => {
    const kept: Array<{ id: number; text: string } | undefined> = [];
    for (let i = 0; i < 400_000; i++) kept.push({ id: i, text: `role-${i}-${'x'.repeat(i % 64)}` });
    plainGc();
    plainGc();
    for (let i = 0; i < kept.length; i += 2) kept[i] = undefined;
    plainGc();
    return kept;
  };

  it('moves what survives onto full pages, giving back the rest', () => {
    const kept = scatter();
    compactHeap(0);
    const { space_used_size: used, space_size: size } = oldSpace();
    // Compacted: 90-98% of the old space in use (a plain collection: 50-76%).
    expect(used / size).toBeGreaterThan(0.88);
    expect(kept.filter(Boolean)).toHaveLength(200_000);
  });

  it('leaves a heap below the threshold alone', () => {
    scatter();
    const before = oldSpace().space_size;
    compactHeap(Number.MAX_SAFE_INTEGER);
    expect(oldSpace().space_size).toBe(before);
  });
});
