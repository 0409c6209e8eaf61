import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceReader } from '../../../src/bundle/source-reader.js';
import type { CoverageEntry } from '../../../src/model/bundle.js';
import type { Identity } from '../../../src/model/inventory.js';

export const TENANT = '7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a37';
export const COLLECTED_AT = '2026-11-20T09:30:00Z';
export const DEMO_BUNDLE = 'fixtures/demo';
const SOURCE_PATH = `entra/${TENANT}`;

export function reader(bundleDir: string, coverage: CoverageEntry[] = []): SourceReader {
  return new SourceReader(bundleDir, { provider: 'entra', scope: TENANT, path: SOURCE_PATH }, COLLECTED_AT, coverage);
}

export function failed(call: string): CoverageEntry {
  return { provider: 'entra', scope: TENANT, call, status: 'error', message: '403 Forbidden: Authorization_RequestDenied' };
}

/** A throwaway copy of the demo source to break in one place. */
export class TempBundle {
  readonly dir = mkdtempSync(join(tmpdir(), 'agentscan-entra-'));

  constructor() {
    cpSync(join(DEMO_BUNDLE, SOURCE_PATH), join(this.dir, SOURCE_PATH), { recursive: true });
  }

  path(file: string): string {
    return join(this.dir, SOURCE_PATH, file);
  }

  read(file: string): any {
    return JSON.parse(readFileSync(this.path(file), 'utf8'));
  }

  write(file: string, body: unknown): void {
    writeFileSync(this.path(file), typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  }

  edit(file: string, change: (body: any) => void): void {
    const body = this.read(file);
    change(body);
    this.write(file, body);
  }

  remove(file: string): void {
    rmSync(this.path(file));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function byName(identities: Identity[], name: string): Identity {
  const found = identities.find((i) => i.name === name);
  if (!found) throw new Error(`no identity named ${name}`);
  return found;
}

/** ISO timestamp `days` (fractional allowed) before the bundle's collection time. */
export function daysBefore(iso: string): number {
  return (Date.parse(COLLECTED_AT) - Date.parse(iso)) / 86_400_000;
}
