import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { loadBundle } from '../../../src/bundle/load.js';
import { SourceReader } from '../../../src/bundle/source-reader.js';
import { BundleWriter } from '../../../src/bundle/write.js';
import type { BundleManifest } from '../../../src/model/bundle.js';
import type { Identity } from '../../../src/model/inventory.js';
import { collectGithub, type GithubCollectOptions, type GithubCollectResult } from '../../../src/providers/github/collect/collect.js';
import { normalizeGithub } from '../../../src/providers/github/normalize.js';
import { GithubEmulator, type GithubEmulatorOptions, type LoggedRequest } from '../../emulators/github.js';
import { estateFromBundle } from '../../emulators/github-estate.js';
import { graphqlProblems, restProblems } from '../../emulators/github-spec.js';
import { scratchDir } from '../aws/collect-helpers.js';
import { DEMO_BUNDLE } from './helpers.js';

// Shared by the GitHub collection tests: a test App key made at test time, the demo org as the
// emulator's estate, the collector run in-process, and what was written read back.

export const DEMO_ORG = 'acme-corp';
export const DEMO_SOURCE = join(DEMO_BUNDLE, 'github', DEMO_ORG);
export const APP_ID = 424242;
export const INSTALLATION_ID = 61_000_001;
export const TOKEN = 'ghp_emulatorTokenDoNotPrint000000000000';

/** A fresh RSA key pair, as GitHub hands an App's private key out (PKCS#1 PEM). */
export const appKey = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

export function demoEmulatorOptions(extra: Partial<GithubEmulatorOptions> = {}): GithubEmulatorOptions {
  return {
    orgs: [estateFromBundle(DEMO_SOURCE, DEMO_ORG)],
    tokens: [TOKEN],
    app: { id: APP_ID, publicKey: appKey.publicKey, installations: { [DEMO_ORG]: INSTALLATION_ID } },
    ...extra,
  };
}

/** The App's key as a file, for --github-app-key-file. */
export function appKeyFile(): string {
  const file = join(scratchDir(), 'app.pem');
  writeFileSync(file, appKey.privateKey);
  return file;
}

/** Millisecond waits and small pages, so throttling and paging run fast. */
export const FAST_ENV: Record<string, string> = {
  AGENTSCAN_GITHUB_RETRY_BASE_MS: '1',
  AGENTSCAN_GITHUB_RETRY_AFTER_UNIT_MS: '1',
  AGENTSCAN_GITHUB_PAGE_SIZE: '3',
};

export function useFastSettings(extra: Record<string, string | undefined> = {}): void {
  for (const [k, v] of Object.entries({ ...FAST_ENV, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, GITHUB_APP_PRIVATE_KEY: undefined, GITHUB_API_URL: undefined, ...extra })) {
    vi.stubEnv(k, v);
  }
}

export interface Collected {
  dir: string;
  manifest: BundleManifest;
  result: GithubCollectResult;
  log: string[];
}

export async function collectInProcess(emulator: GithubEmulator, opts: GithubCollectOptions = {}): Promise<Collected> {
  const dir = join(scratchDir(), 'bundle');
  const writer = new BundleWriter(dir);
  const log: string[] = [];
  const result = await collectGithub(writer, { apiUrl: emulator.apiUrl, log: (l) => log.push(l), ...opts });
  return { dir, manifest: writer.finish(), result, log };
}

export const asApp = (): GithubCollectOptions => ({ appId: String(APP_ID), appKeyFile: appKeyFile() });

/** The identities of one org folder, read with a fixed clock so bundles from different days compare. */
export function orgIdentities(bundleDir: string, org = DEMO_ORG, collectedAt = '2026-11-20T09:30:00Z'): Identity[] {
  const bundle = loadBundle(bundleDir);
  const source = bundle.sources.find((s) => s.source.provider === 'github' && s.scope === org);
  if (!source) throw new Error(`no github source ${org} in ${bundleDir}`);
  return normalizeGithub(new SourceReader(bundleDir, source.source, collectedAt, bundle.manifest.coverage));
}

/** Every answered body the emulator logged that does not fit GitHub's published descriptions. */
export function specProblems(requests: LoggedRequest[]): string[] {
  return requests.flatMap((r) => {
    if (r.body === undefined) return [];
    return r.route === 'POST /graphql' ? graphqlProblems(r.body) : restProblems(r.route, r.status === 201 ? 200 : r.status, r.body);
  });
}

export const countByRoute = (requests: LoggedRequest[]) =>
  requests.reduce<Record<string, number>>((n, r) => ({ ...n, [r.route]: (n[r.route] ?? 0) + 1 }), {});
