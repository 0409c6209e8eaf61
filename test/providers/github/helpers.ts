import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceReader } from '../../../src/bundle/source-reader.js';
import type { CoverageEntry } from '../../../src/model/bundle.js';

export const COLLECTED_AT = '2026-11-20T09:30:00Z';
export const SCOPE = 'acme-corp';
export const DEMO_BUNDLE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'demo');
const SOURCE = { provider: 'github' as const, scope: SCOPE, path: `github/${SCOPE}` };

export function reader(bundleDir: string, coverage: CoverageEntry[] = []): SourceReader {
  return new SourceReader(bundleDir, SOURCE, COLLECTED_AT, coverage);
}

export function failed(call: string): CoverageEntry {
  return { provider: 'github', scope: SCOPE, call, status: 'error', message: 'HTTP 403: Resource not accessible by integration' };
}

/** A writable copy of the demo org's folder, for bundles that differ from it in one way. */
export class TempBundle {
  readonly dir = mkdtempSync(join(tmpdir(), 'agentscan-github-'));
  readonly sourceDir = join(this.dir, 'github', SCOPE);

  constructor() {
    cpSync(join(DEMO_BUNDLE, 'github', SCOPE), this.sourceDir, { recursive: true });
  }

  read(file: string): any {
    return JSON.parse(readFileSync(join(this.sourceDir, file), 'utf8'));
  }

  write(file: string, value: unknown): void {
    writeFileSync(join(this.sourceDir, file), JSON.stringify(value, null, 2));
  }

  remove(file: string): void {
    rmSync(join(this.sourceDir, file));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
