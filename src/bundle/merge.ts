import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { byCoverageOrder, type BundleManifest } from '../model/bundle.js';
import { InputError } from '../util/errors.js';
import { loadBundle, type LoadedBundle } from './load.js';
import type { SourceReader } from './source-reader.js';

// Bundles collected separately — one per AWS account, GCP project, GitHub organization or Entra
// tenant, e.g. by the jobs of a CI matrix — analysed as one. Each source keeps its own bundle's
// clock and coverage; the merged scan's clock is the latest collection. A scope collected twice
// is accepted only when both copies hold the same responses: two different answers for one
// account cannot both be the truth.

/** `--from` values: bundle folders, or folders whose sub-folders are bundles (one level down). */
export function bundleFolders(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (existsSync(p) && statSync(p).isDirectory() && !existsSync(join(p, 'bundle.json'))) {
      const inner = readdirSync(p)
        .sort()
        .map((n) => join(p, n))
        .filter((d) => statSync(d).isDirectory() && existsSync(join(d, 'bundle.json')));
      if (inner.length > 0) {
        out.push(...inner);
        continue;
      }
    }
    out.push(p); // loadBundle says what is wrong with it
  }
  return [...new Set(out)];
}

export function loadBundles(paths: string[]): LoadedBundle {
  const dirs = bundleFolders(paths);
  const bundles = dirs.map(loadBundle);
  return bundles.length === 1 ? bundles[0] : mergeBundles(bundles);
}

/** Every file of a source folder, by path and content, so two copies of one scope can be compared. */
function digest(source: SourceReader): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(`${relative(source.dir, full)}\0`).update(readFileSync(full)).update('\0');
    }
  };
  walk(source.dir);
  return hash.digest('hex');
}

export function mergeBundles(bundles: LoadedBundle[]): LoadedBundle {
  const kept = new Map<string, { source: SourceReader; bundle: LoadedBundle }>();
  const coverage: BundleManifest['coverage'] = [];
  for (const bundle of bundles) {
    for (const source of bundle.sources) {
      const key = `${source.source.provider}\u0000${source.scope}`;
      const earlier = kept.get(key);
      if (earlier) {
        if (digest(earlier.source) !== digest(source)) {
          throw new InputError(
            `${source.source.provider} ${source.scope} is in both ${earlier.bundle.dir} and ${bundle.dir} with different data; ` +
              'merge bundles of separate scopes, or drop one of the two collections',
          );
        }
        continue;
      }
      kept.set(key, { source, bundle });
      coverage.push(...bundle.manifest.coverage.filter((c) => c.provider === source.source.provider && c.scope === source.scope));
    }
  }
  const collectedAt = bundles.map((b) => b.manifest.collectedAt).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  // Sorted like one collection of the same scopes, so a merged scan reads like an unsharded one.
  const sources = [...kept.values()]
    .map((k) => k.source)
    .sort((a, b) => a.source.provider.localeCompare(b.source.provider) || a.scope.localeCompare(b.scope));
  const manifest: BundleManifest = {
    ...bundles[0].manifest,
    collectedAt,
    sources: sources.map((s) => s.source),
    coverage: coverage.sort(byCoverageOrder),
  };
  return { dir: bundles[0].dir, manifest, sources };
}
