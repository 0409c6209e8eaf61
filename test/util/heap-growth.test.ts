import { describe, expect, it } from 'vitest';
import { GROWTH_PERCENT, heapGrowthFlag, LARGE_HEAP_BYTES, TIGHT_GROWTH_PERCENT, VERY_LARGE_HEAP_BYTES } from '../../src/util/heap-growth.js';

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
