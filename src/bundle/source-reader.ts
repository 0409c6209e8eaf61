import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { z } from 'zod';
import type { BundleSource, CoverageEntry } from '../model/bundle.js';
import { BundleError } from '../util/errors.js';
import { ConfinedFolder, isInside } from '../util/read-file.js';
import { firstIssue } from '../util/zod-issues.js';

export interface ReadOptions {
  /** The API call that produced the file. When the file is absent and bundle.json records this
   * call as failed, the read returns undefined (partial data) instead of failing the bundle. */
  call?: string;
}

/** Reads one source's raw responses, validating each against the provider's wire shape. */
export class SourceReader {
  readonly dir: string;
  private readonly files: ConfinedFolder;
  private readonly resolvedDir: string;

  constructor(
    readonly bundleDir: string,
    readonly source: BundleSource,
    readonly collectedAt: string,
    private readonly coverage: CoverageEntry[],
  ) {
    this.dir = join(bundleDir, source.path);
    this.resolvedDir = resolve(this.dir);
    this.files = new ConfinedFolder(bundleDir);
  }

  get scope(): string {
    return this.source.scope;
  }

  /** The path as users see it in messages: relative to the bundle folder's parent. */
  display(file: string): string {
    return relative(process.cwd(), join(this.dir, file)) || file;
  }

  /** File names are built from ids and names in the bundle itself: one with `../` must not
   * lead the reader out of the source folder. (Symlinks are checked when a file is read.) */
  private path(file: string, folder = false): string {
    const full = resolve(this.resolvedDir, file);
    // Both paths are resolved, so a name below the folder starts with it (isInside, which
    // also knows Windows' case rules, decides the rest).
    const below = full.startsWith(this.resolvedDir) && full[this.resolvedDir.length] === sep;
    if (isAbsolute(file) || (!below && !isInside(this.dir, full)) || (!folder && full === this.resolvedDir)) {
      throw new BundleError(
        join(this.source.path, '…'),
        '',
        `file name ${JSON.stringify(file)} (made from a name or id in the bundle) leads outside the source folder; refusing to read it`,
      );
    }
    return full;
  }

  exists(file: string): boolean {
    return existsSync(this.path(file));
  }

  /** Entries other than folders directly inside a sub-folder of the source, sorted; [] when absent.
   * Anything that is not a regular file is refused when read, with its name. */
  list(subdir: string): string[] {
    const full = this.path(subdir, true);
    if (!existsSync(full)) return [];
    return readdirSync(full)
      .filter((f) => {
        try {
          return !statSync(join(full, f)).isDirectory();
        } catch {
          return true; // a dangling symlink: reading it says so
        }
      })
      .sort()
      .map((f) => join(subdir, f));
  }

  /** This source's coverage entries, call → whether any of them failed: normalizers ask per
   * object, and a bundle's coverage grows with its scopes. Rebuilt if entries were added. */
  private calls: { from: number; failed: Map<string, boolean> } | undefined;

  private callIndex(): Map<string, boolean> {
    if (this.calls?.from !== this.coverage.length) {
      const failed = new Map<string, boolean>();
      for (const c of this.coverage) {
        if (c.provider !== this.source.provider || c.scope !== this.source.scope) continue;
        failed.set(c.call, failed.get(c.call) === true || c.status !== 'ok');
      }
      this.calls = { from: this.coverage.length, failed };
    }
    return this.calls.failed;
  }

  /** bundle.json has a coverage entry for the call, whatever its outcome: the collector knew of it. */
  callRecorded(call: string): boolean {
    return this.callIndex().has(call);
  }

  callFailed(call: string): boolean {
    return this.callIndex().get(call) === true;
  }

  text(file: string, opts: ReadOptions & { optional: true }): string | undefined;
  text(file: string, opts?: ReadOptions): string;
  text(file: string, opts: ReadOptions & { optional?: boolean } = {}): string | undefined {
    const text = this.files.readIfPresent(this.path(file), () => this.display(file));
    if (text !== undefined) return text;
    if (opts.optional || (opts.call && this.callFailed(opts.call))) return undefined;
    const why = opts.call ? `file is missing, and bundle.json records no failed ${opts.call} call that would explain it` : 'file is missing';
    throw new BundleError(this.display(file), '', why);
  }

  json<S extends z.ZodType>(file: string, schema: S, opts: ReadOptions & { optional: true }): z.infer<S> | undefined;
  json<S extends z.ZodType>(file: string, schema: S, opts?: ReadOptions): z.infer<S>;
  json<S extends z.ZodType>(
    file: string,
    schema: S,
    opts: ReadOptions & { optional?: boolean } = {},
  ): z.infer<S> | undefined {
    const raw = this.text(file, opts as ReadOptions & { optional: true });
    if (raw === undefined) return undefined;
    return parseJson(() => this.display(file), raw, schema);
  }
}

/** `displayName` names the file in errors (a function is called only for one). */
export function parseJson<S extends z.ZodType>(displayName: string | (() => string), raw: string, schema: S): z.infer<S> {
  const shown = () => (typeof displayName === 'string' ? displayName : displayName());
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new BundleError(shown(), '', `not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new BundleError(shown(), path || '(top level)', message);
  }
  return parsed.data;
}
