import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  bundleManifestSchema,
  byCoverageOrder,
  type BundleManifest,
  type BundleSource,
  type CoverageEntry,
} from '../model/bundle.js';
import type { Provider } from '../model/inventory.js';
import { InputError } from '../util/errors.js';
import { TOOL } from '../util/version.js';

// Writes a bundle: each source's raw responses under `<provider>/<scope>/`, then bundle.json.
// Provider-neutral: a collector names its files and calls; this module only keeps them inside
// the bundle folder and records what was asked and what failed. bundle.json is written last,
// so a folder without one is recognisably an interrupted collection.

/** One source folder (an account, project, org or tenant) being filled by a collector. */
export class SourceWriter {
  readonly dir: string;

  constructor(
    readonly source: BundleSource,
    bundleDir: string,
  ) {
    this.dir = join(bundleDir, source.path);
    mkdirSync(this.dir, { recursive: true });
  }

  /** A response object as JSON, two-space indented, so bundles diff well. */
  json(file: string, value: unknown): void {
    this.text(file, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** A response body kept as text (e.g. a CSV report), byte for byte. */
  text(file: string, content: string): void {
    const full = this.inside(file);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }

  /** File names come from API data (user names, key ids): never let one escape the folder. */
  private inside(file: string): string {
    const full = resolve(this.dir, file);
    const rel = relative(this.dir, full);
    if (!file || isAbsolute(file) || rel.startsWith('..') || rel === '' || rel.split(sep).includes('..')) {
      throw new Error(`refusing to write "${file}" outside the source folder ${this.source.path}`);
    }
    return full;
  }
}

export class BundleWriter {
  private readonly sources: SourceWriter[] = [];
  private readonly coverage: CoverageEntry[] = [];

  /** `dir` must not exist yet or be empty: a bundle never mixes files from two collections. */
  constructor(
    readonly dir: string,
    readonly collectedAt: string = new Date().toISOString(),
  ) {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new InputError('exists and is not a folder', dir);
      if (readdirSync(dir).length > 0) throw new InputError('folder is not empty; give a new or empty folder for the bundle', dir);
    }
    mkdirSync(dir, { recursive: true });
  }

  /** A source folder `<provider>/<scope>`; the scope is an account id, project id, org login or tenant id. */
  source(provider: Provider, scope: string): SourceWriter {
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(scope)) throw new Error(`scope "${scope}" is not usable as a folder name`);
    const existing = this.sources.find((s) => s.source.provider === provider && s.source.scope === scope);
    if (existing) return existing;
    const writer = new SourceWriter({ provider, scope, path: `${provider}/${scope}` }, this.dir);
    this.sources.push(writer);
    return writer;
  }

  addCoverage(...entries: CoverageEntry[]): void {
    this.coverage.push(...entries);
  }

  /** Writes bundle.json (validated against the schema the reader uses) and returns it. */
  finish(): BundleManifest {
    const manifest = bundleManifestSchema.parse({
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      tool: { name: TOOL.name, version: TOOL.version },
      collectedAt: this.collectedAt,
      sources: this.sources.map((s) => s.source),
      // Stable order whatever order concurrent scopes finished in, so bundles and reports diff cleanly.
      coverage: [...this.coverage].sort(byCoverageOrder),
    });
    writeFileSync(join(this.dir, 'bundle.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }
}
