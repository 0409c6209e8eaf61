import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadBundle } from '../../src/bundle/load.js';
import { buildAccessGraph, type AccessGraph } from '../../src/facts/reach/build.js';
import type { CoverageEntry } from '../../src/model/bundle.js';
import type { Identity } from '../../src/model/inventory.js';
import { NORMALIZERS } from '../../src/providers/index.js';

// A writable copy of the demo bundle (every provider), changed in one way, normalized and read
// as the access-path graph: the reach tests on bundles rather than hand-made identities.

export const DEMO = join(import.meta.dirname, '..', '..', 'fixtures', 'demo');

export class DemoCopy {
  readonly dir = mkdtempSync(join(tmpdir(), 'agentscan-demo-'));

  constructor() {
    cpSync(DEMO, this.dir, { recursive: true });
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  read(...parts: string[]): any {
    return JSON.parse(readFileSync(this.path(...parts), 'utf8'));
  }

  write(value: unknown, ...parts: string[]): void {
    mkdirSync(dirname(this.path(...parts)), { recursive: true });
    writeFileSync(this.path(...parts), `${JSON.stringify(value, null, 2)}\n`);
  }

  edit(parts: string[], change: (value: any) => void): void {
    const value = this.read(...parts);
    change(value);
    this.write(value, ...parts);
  }

  coverage(...entries: CoverageEntry[]): void {
    this.edit(['bundle.json'], (b) => b.coverage.push(...entries));
  }

  identities(): Identity[] {
    const bundle = loadBundle(this.dir);
    return bundle.sources.flatMap((s) => NORMALIZERS[s.source.provider](s, bundle.sources));
  }

  graph(): AccessGraph {
    return buildAccessGraph(this.identities());
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Edges into `to`, as `from [kind]`. */
export const edgesInto = (graph: AccessGraph, to: string) => graph.edges.filter((e) => e.to === to).map((e) => `${e.from} [${e.kind}]`).sort();
