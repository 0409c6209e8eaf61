import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceReader } from '../../../src/bundle/source-reader.js';
import type { CoverageEntry } from '../../../src/model/bundle.js';

export const ACCOUNT = '314159265358';
export const COLLECTED_AT = '2026-11-20T09:30:00Z';
const SOURCE = { provider: 'aws' as const, scope: ACCOUNT, path: `aws/${ACCOUNT}` };

export function reader(bundleDir: string, coverage: CoverageEntry[] = []): SourceReader {
  return new SourceReader(bundleDir, SOURCE, COLLECTED_AT, coverage);
}

export const demoReader = () => reader(join(import.meta.dirname, '../../../fixtures/demo'));

const scratch: string[] = [];

/** A scratch copy of the demo bundle, and its source folder, for tests that break things. */
export function scratchBundle(): { bundleDir: string; sourceDir: string } {
  const bundleDir = mkdtempSync(join(tmpdir(), 'agentscan-aws-'));
  scratch.push(bundleDir);
  cpSync(join(import.meta.dirname, '../../../fixtures/demo/aws'), join(bundleDir, 'aws'), { recursive: true });
  return { bundleDir, sourceDir: join(bundleDir, 'aws', ACCOUNT) };
}

export function removeScratchBundles(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The coverage entry a collector writes when a call failed. */
export const failed = (call: string): CoverageEntry => ({
  provider: 'aws',
  scope: ACCOUNT,
  call,
  status: 'error',
  message: 'AccessDenied: not authorized to perform ' + call,
});

export function editJson(file: string, edit: (value: any) => void): void {
  const value = JSON.parse(readFileSync(file, 'utf8'));
  edit(value);
  writeFileSync(file, JSON.stringify(value, null, 2));
}

/** The JSON text IAM returns for a policy document: URL-encoded. */
export const encodePolicy = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
