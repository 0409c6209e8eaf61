import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// After each full collection V8 sets the next one's threshold at a multiple of what survived,
// a multiple it picks from how fast it collects: up to 4× when the heap limit is large (a quarter
// of the machine's memory, up to about 4 GiB). A batch job that builds a large inventory and then
// churns through it evaluating rules therefore peaks at two to three times what it keeps: a
// 100,000-identity scan peaked at 2.4–2.7 GiB on a 24 GiB machine, and at 1.4–1.5 GiB with a fixed
// 1.5× for about the same CPU time. V8 also keeps the pages a collection empties, so the heap's
// size is the highest any threshold let it reach: the rules stage, which holds the most, sets the
// peak. Past 512 MiB, checked there too, 1.25× saved another 0.1–0.2 GiB at 100,000 identities
// (1.23 -> 1.07 GiB AWS, 1.28 -> 1.08 GiB four providers) for 10–25% more CPU. On a
// 10,000-identity scan a fixed factor cost up to 10% more CPU for 50–130 MiB less, so each
// applies only once the heap holds that large an estate. V8 reads the factor at every full
// collection.

/** Used heap past which the scan holds a large estate, and past which a very large one. */
export const LARGE_HEAP_BYTES = 384 * 2 ** 20;
export const VERY_LARGE_HEAP_BYTES = 512 * 2 ** 20;
export const GROWTH_PERCENT = 50;
export const TIGHT_GROWTH_PERCENT = 25;
const FLAG = 'heap-growing-percent';

/** The growth percent to set, if any: the tighter one for the larger heap, only if tighter than
 * the one already set (`current`), and never over the user's own choice (on the command line or
 * in NODE_OPTIONS). */
function growthPercent(usedBytes: number, execArgv: readonly string[], nodeOptions: string, current: number): number | undefined {
  const percent = usedBytes >= VERY_LARGE_HEAP_BYTES ? TIGHT_GROWTH_PERCENT : usedBytes >= LARGE_HEAP_BYTES ? GROWTH_PERCENT : undefined;
  if (percent === undefined || percent >= current) return undefined;
  const chosen = (arg: string) => arg.replace(/_/g, '-').includes(FLAG);
  if (execArgv.some(chosen) || chosen(nodeOptions)) return undefined;
  return percent;
}

/** The V8 flag growthPercent asks for, if any. */
export function heapGrowthFlag(usedBytes: number, execArgv: readonly string[], nodeOptions = '', current = Infinity): string | undefined {
  const percent = growthPercent(usedBytes, execArgv, nodeOptions, current);
  return percent === undefined ? undefined : `--${FLAG}=${percent}`;
}

let applied = Infinity;

/** Called between the stages of an analysis, and now and then while the rules run: from the
 * first time the heap holds a large estate, collections keep it within GROWTH_PERCENT of what
 * survives, and within TIGHT_GROWTH_PERCENT once a very large one. */
export function boundHeapGrowth(): void {
  const percent = growthPercent(getHeapStatistics().used_heap_size, process.execArgv, process.env.NODE_OPTIONS ?? '', applied);
  if (percent === undefined) return;
  applied = percent;
  setFlagsFromString(`--${FLAG}=${percent}`);
  // The threshold for the next full collection was set at the last one, at up to 4× what survived
  // it: the new factor counts only from the next collection, which that threshold would put off
  // until the heap is that large. One collection now moves it. (`gc` exists only in contexts made
  // after --expose-gc is set.)
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
