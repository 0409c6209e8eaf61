import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { loadBundle } from '../../../src/bundle/load.js';
import { BundleWriter } from '../../../src/bundle/write.js';
import type { BundleManifest } from '../../../src/model/bundle.js';
import type { Identity } from '../../../src/model/inventory.js';
import { collectGcp, type GcpCollectOptions, type GcpCollectResult } from '../../../src/providers/gcp/collect/collect.js';
import { normalizeGcp } from '../../../src/providers/gcp/normalize.js';
import type { GcpEmulator } from '../../emulators/gcp.js';
import { scratchDir } from '../aws/collect-helpers.js';

// Shared by the GCP collection tests: point this process at the emulator with a service-account
// key made for the run, collect in-process, read back, and watch every socket this process opens.

export const SCANNER = 'agentscan@acme-security.iam.gserviceaccount.com';

/** Writes a key file for `email` that the emulator accepts and returns the env that uses it. */
export function keyFileEnv(emulator: GcpEmulator, email = SCANNER): Record<string, string | undefined> {
  const file = join(scratchDir(), 'key.json');
  writeFileSync(file, JSON.stringify(emulator.serviceAccountKey(email)));
  return emulator.env({ GOOGLE_APPLICATION_CREDENTIALS: file });
}

export function useEnv(env: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
}

export interface Collected {
  dir: string;
  manifest: BundleManifest;
  result: GcpCollectResult;
  log: string[];
}

export async function collectInProcess(opts: GcpCollectOptions): Promise<Collected> {
  const dir = join(scratchDir(), 'bundle');
  const writer = new BundleWriter(dir);
  const log: string[] = [];
  const result = await collectGcp(writer, { log: (l) => log.push(l), ...opts });
  return { dir, manifest: writer.finish(), result, log };
}

/** The identities a bundle's GCP sources normalize to, as a scan reads them (the whole bundle at once). */
export function identitiesOf(dir: string): Identity[] {
  const { sources } = loadBundle(dir);
  return sources.flatMap((s) => normalizeGcp(s, sources));
}

/**
 * Records the host of every outgoing TCP connection this process makes, so a test can assert
 * that nothing went anywhere but the emulator on 127.0.0.1.
 */
export function watchSockets(): { hosts: string[]; restore(): void } {
  const hosts: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect hands the socket its normalized arguments as an array: [options, callback].
    const raw = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const first = raw as { host?: string; path?: string } | number | string;
    const host = typeof first === 'object' && first !== null ? (first.host ?? (first.path ? 'unix' : 'localhost')) : typeof args[1] === 'string' ? args[1] : 'localhost';
    hosts.push(host);
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return { hosts, restore: () => void (net.Socket.prototype.connect = original) };
}
