import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { byCoverageOrder, type BundleManifest } from '../model/bundle.js';
import { InputError } from '../util/errors.js';
import { loadBundle, type LoadedBundle } from './load.js';
import { SourceReader } from './source-reader.js';

// Bundles collected separately — one per AWS account, GCP project, GitHub organization or Entra
// tenant, e.g. by the jobs of a CI matrix — analysed as one. Each source keeps its own bundle's
// clock and coverage; the merged scan's clock is the latest collection. A scope collected twice
// is accepted only when its copies agree on every response they share.

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

/** Every file of a source folder: relative path → content hash. */
function fileHashes(source: SourceReader): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(source.dir, full), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(source.dir);
  return out;
}

interface Copy {
  source: SourceReader;
  bundle: LoadedBundle;
}

/**
 * One scope found in several bundles. Copies that agree on every file they share are one
 * source: the same, or parts of one (two shards each read the role definitions their own
 * bindings use), joined into a folder of their union. A file the copies disagree on cannot
 * be settled: two different answers for one call cannot both be the truth.
 */
function joinCopies(copies: Copy[], scratch: () => string): { source: SourceReader; coverage: BundleManifest['coverage'] } {
  const [first] = copies;
  const { provider, path } = first.source.source;
  const scope = first.source.scope;
  const coverageOf = (c: Copy) => c.bundle.manifest.coverage.filter((e) => e.provider === provider && e.scope === scope);
  const hashes = copies.map((c) => fileHashes(c.source));
  const union = new Map<string, { hash: string; from: Copy }>();
  hashes.forEach((files, i) => {
    for (const [file, hash] of files) {
      const seen = union.get(file);
      if (seen && seen.hash !== hash) {
        throw new InputError(
          `${provider} ${scope} is in both ${seen.from.bundle.dir} and ${copies[i].bundle.dir} with different data (${file}); ` +
            'merge bundles of separate scopes, or drop one of the two collections',
        );
      }
      if (!seen) union.set(file, { hash, from: copies[i] });
    }
  });
  const coverage = [...new Map(copies.flatMap(coverageOf).map((e) => [JSON.stringify(e), e])).values()];
  const identical = hashes.every((h) => h.size === union.size);
  if (identical) return { source: first.source, coverage };
  const dir = scratch();
  for (const [file, { from }] of union) {
    mkdirSync(dirname(join(dir, path, file)), { recursive: true });
    copyFileSync(join(from.source.dir, file), join(dir, path, file));
  }
  const latest = copies.map((c) => c.bundle.manifest.collectedAt).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  return { source: new SourceReader(dir, first.source.source, latest, coverage), coverage };
}

export function mergeBundles(bundles: LoadedBundle[]): LoadedBundle {
  const groups = new Map<string, Copy[]>();
  for (const bundle of bundles) {
    for (const source of bundle.sources) {
      const key = `${source.source.provider}\u0000${source.scope}`;
      groups.set(key, [...(groups.get(key) ?? []), { source, bundle }]);
    }
  }
  let tmp: string | undefined;
  const scratch = () => {
    if (!tmp) {
      const dir = mkdtempSync(join(tmpdir(), 'agentscan-merge-'));
      tmp = dir;
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    return tmp;
  };
  const joined = [...groups.values()].map((copies) =>
    copies.length === 1
      ? { source: copies[0].source, coverage: copies[0].bundle.manifest.coverage.filter((e) => e.provider === copies[0].source.source.provider && e.scope === copies[0].source.scope) }
      : joinCopies(copies, scratch),
  );
  // Coverage of scopes that have no source folder (an organization listing that failed) comes along too.
  const withSource = new Set(groups.keys());
  const orphans = bundles.flatMap((b) => b.manifest.coverage.filter((e) => !withSource.has(`${e.provider}\u0000${e.scope}`)));
  const coverage = [...new Map([...joined.flatMap((j) => j.coverage), ...orphans].map((e) => [JSON.stringify(e), e])).values()];
  const collectedAt = bundles.map((b) => b.manifest.collectedAt).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  // Providers in the order they first appear, scopes sorted within each: the order one collection
  // of the same scopes writes, so a merged scan reads like an unsharded one.
  const providerOrder = [...new Set(joined.map((j) => j.source.source.provider))];
  const sources = joined
    .map((j) => j.source)
    .sort((a, b) => providerOrder.indexOf(a.source.provider) - providerOrder.indexOf(b.source.provider) || a.scope.localeCompare(b.scope));
  const manifest: BundleManifest = {
    ...bundles[0].manifest,
    collectedAt,
    sources: sources.map((s) => s.source),
    coverage: coverage.sort(byCoverageOrder),
  };
  return { dir: bundles[0].dir, manifest, sources };
}
