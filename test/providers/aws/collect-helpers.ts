import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { vi } from 'vitest';
import { loadBundle } from '../../../src/bundle/load.js';
import { BundleWriter } from '../../../src/bundle/write.js';
import type { BundleManifest, CoverageEntry } from '../../../src/model/bundle.js';
import type { Identity } from '../../../src/model/inventory.js';
import { collectAws, type AwsCollectOptions, type AwsCollectResult } from '../../../src/providers/aws/collect/collect.js';
import { normalizeAws } from '../../../src/providers/aws/normalize.js';
import type { AwsIamEmulator } from '../../emulators/aws-iam.js';
import { ROOT } from '../../helpers/cli.js';

// Shared by the collection tests: run the collector in-process or the CLI as a child process
// against an emulator, and read back what was written.

const scratch: string[] = [];

export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentscan-collect-'));
  scratch.push(dir);
  return dir;
}

export function removeScratch(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Points this process's AWS SDK at the emulator, with static fake credentials. */
export function useEmulator(emulator: AwsIamEmulator, extra: Record<string, string | undefined> = {}): void {
  for (const [k, v] of Object.entries({ ...emulator.env(), ...extra })) vi.stubEnv(k, v);
}

export interface Collected {
  dir: string;
  manifest: BundleManifest;
  result: AwsCollectResult;
  log: string[];
}

export async function collectInProcess(opts: AwsCollectOptions = {}): Promise<Collected> {
  const dir = join(scratchDir(), 'bundle');
  const writer = new BundleWriter(dir);
  const log: string[] = [];
  const result = await collectAws(writer, { log: (l) => log.push(l), ...opts });
  return { dir, manifest: writer.finish(), result, log };
}

/** The identities a bundle's AWS sources normalize to (throws, like a scan, on a broken bundle). */
export function identitiesOf(dir: string): Identity[] {
  const { sources } = loadBundle(dir);
  return sources.flatMap((s) => normalizeAws(s, sources));
}

export function coverageOf(manifest: BundleManifest, scope: string, call: string): CoverageEntry | undefined {
  return manifest.coverage.find((c) => c.scope === scope && c.call === call);
}

/** Every file under a folder, relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const full = join(d, f);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

export const readText = (file: string) => readFileSync(file, 'utf8');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI as a child process (an undefined variable is unset). Asynchronous, so the emulator in this process keeps answering. */
export function runCliAsync(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'agentscan.js'), ...args], { cwd: ROOT, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
