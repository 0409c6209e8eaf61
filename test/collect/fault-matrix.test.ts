import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BundleWriter } from '../../src/bundle/write.js';
import type { CoverageEntry } from '../../src/model/bundle.js';
import { collectEntra } from '../../src/providers/entra/collect/collect.js';
import { InputError } from '../../src/util/errors.js';
import { AwsIamEmulator } from '../emulators/aws-iam.js';
import { syntheticEstate as awsEstate } from '../emulators/aws-estate.js';
import { EntraGraphEmulator } from '../emulators/entra-graph.js';
import { estateFromBundle as entraEstate } from '../emulators/entra-estate.js';
import { GcpEmulator } from '../emulators/gcp.js';
import { estateFromDemo as gcpEstate } from '../emulators/gcp-estate.js';
import { GithubEmulator } from '../emulators/github.js';
import { ROOT } from '../helpers/cli.js';
import type { Spoil } from '../helpers/faults.js';
import { makeTestCa } from '../helpers/test-ca.js';
import { collectInProcess as collectAws, removeScratch, scratchDir } from '../providers/aws/collect-helpers.js';
import { CLIENT_ID, CLIENT_SECRET, DEMO_SOURCE as ENTRA_DEMO } from '../providers/entra/live-helpers.js';
import { TENANT } from '../providers/entra/helpers.js';
import { collectInProcess as collectGcp, keyFileEnv } from '../providers/gcp/collect-helpers.js';
import { asApp, collectInProcess as collectGithub, DEMO_ORG, demoEmulatorOptions, FAST_ENV as GITHUB_FAST } from '../providers/github/collect-helpers.js';

// One fault matrix for every live collector: a listing call and the token exchange each get an
// answer that never comes, one that trickles in a byte at a time (never silent, never done), a
// 200 that is HTML or cut in half, and one far over AGENTSCAN_MAX_RESPONSE_BYTES. Each fault is
// delivered by the shared test/helpers/faults.ts through the provider's own emulator, against
// the real SDK clients in this process. A listing fault must end as that call's coverage entry
// (the scan exits 3); a broken token exchange as a coverage entry for what it kept from being
// collected, or a usage error (exit 2) saying what went wrong — quickly, never a hang, a crash
// or an out-of-memory abort, and an oversized body must stop being read at the cap.

const CAP = 64 * 1024;
/** Far over the cap: reading it whole would take seconds and hundreds of megabytes. */
const HUGE = 256 * 1024 * 1024;
const FAST = {
  AGENTSCAN_CONNECT_TIMEOUT_MS: '1000',
  AGENTSCAN_RESPONSE_TIMEOUT_MS: '600',
  AGENTSCAN_CALL_DEADLINE_MS: '900',
  AGENTSCAN_MAX_RESPONSE_BYTES: String(CAP),
};

interface Outcome {
  coverage: CoverageEntry[];
  error?: Error;
}

/** Where a fault goes and how its outcome reads, for one collector. */
interface Target {
  start(): Promise<void>;
  stop(): Promise<void>;
  collect(fault: { listing?: Spoil; token?: Spoil }): Promise<Outcome>;
  /** The coverage entry's call for a listing fault. */
  listing: string;
  /** The message a token fault ends in: a coverage entry's, or the collection's error. */
  tokenMessage(outcome: Outcome): string | undefined;
  /** The call named in that message. */
  token: string;
}

const stubEnv = (env: Record<string, string | undefined>) => {
  for (const [k, v] of Object.entries({ ...FAST, ...env })) vi.stubEnv(k, v);
};
const entryOf = (o: Outcome, call: string, scope?: string) => o.coverage.find((c) => c.call === call && (!scope || c.scope === scope));
const errorOf = (o: Outcome) => (o.error instanceof InputError ? o.error.message : undefined);
const attempt = async (run: () => Promise<{ manifest: { coverage: CoverageEntry[] } }>): Promise<Outcome> => {
  try {
    return { coverage: (await run()).manifest.coverage };
  } catch (error) {
    return { coverage: [], error: error as Error };
  }
};

function awsTarget(): Target {
  const HOME = '111111111111';
  const MEMBER = '222222222222';
  let emulator: AwsIamEmulator;
  return {
    listing: 'iam:GetAccountAuthorizationDetails',
    token: 'sts:AssumeRole',
    async start() {
      const accounts = [HOME, MEMBER].map((id) => awsEstate({ id, users: 3, usersWithKeys: 1, roles: 1 }));
      emulator = await AwsIamEmulator.start({ accounts, home: HOME, assumableRole: 'agentscan-read', pageSize: 3 });
    },
    stop: () => emulator.close(),
    async collect({ listing, token }) {
      emulator.reset({
        faults: [
          ...(listing ? [{ action: 'GetAccountAuthorizationDetails', account: HOME, spoil: listing }] : []),
          ...(token ? [{ action: 'AssumeRole', spoil: token }] : []),
        ],
      });
      stubEnv({ ...emulator.env(), AWS_MAX_ATTEMPTS: '2' });
      return attempt(() => collectAws({ accounts: [HOME, MEMBER], assumeRole: 'agentscan-read' }));
    },
    tokenMessage: (o) => entryOf(o, 'sts:AssumeRole', MEMBER)?.message,
  };
}

function githubTarget(): Target {
  let emulator: GithubEmulator;
  return {
    listing: 'GET /orgs/{org}/installations',
    token: 'POST /app/installations/{installation_id}/access_tokens',
    async start() {
      emulator = await GithubEmulator.start(demoEmulatorOptions());
    },
    stop: () => emulator.close(),
    async collect({ listing, token }) {
      emulator.reset({
        faults: [
          ...(listing ? [{ route: 'GET /orgs/{org}/installations', spoil: listing }] : []),
          ...(token ? [{ route: 'POST /app/installations/{installation_id}/access_tokens', spoil: token }] : []),
        ],
      });
      stubEnv({ ...GITHUB_FAST, AGENTSCAN_GITHUB_RETRIES: '1', GITHUB_TOKEN: undefined, GH_TOKEN: undefined, GITHUB_APP_PRIVATE_KEY: undefined, GITHUB_API_URL: undefined });
      return attempt(() => collectGithub(emulator, { orgs: [DEMO_ORG], ...asApp() }));
    },
    tokenMessage: (o) => entryOf(o, 'GET /orgs/{org}')?.message,
  };
}

function gcpTarget(): Target {
  let emulator: GcpEmulator;
  return {
    listing: 'iam.projects.serviceAccounts.list',
    token: 'the token exchange',
    async start() {
      emulator = await GcpEmulator.start({ estate: gcpEstate(join(ROOT, 'fixtures', 'demo', 'gcp', 'acme-ml-prod')), pageSize: 4 });
    },
    stop: () => emulator.close(),
    async collect({ listing, token }) {
      emulator.reset([
        ...(listing ? [{ match: /^GET \/v1\/projects\/acme-ml-prod\/serviceAccounts\?/, spoil: listing }] : []),
        ...(token ? [{ match: /^POST \/token/, spoil: token }] : []),
      ]);
      stubEnv({ ...keyFileEnv(emulator), AGENTSCAN_GCP_MAX_ATTEMPTS: '2' });
      return attempt(() => collectGcp({ projects: ['acme-ml-prod'] }));
    },
    tokenMessage: errorOf,
  };
}

function entraTarget(): Target {
  let emulator: EntraGraphEmulator;
  const ca = makeTestCa();
  return {
    listing: 'GET /applications',
    token: `POST /${TENANT}/oauth2/v2.0/token`,
    async start() {
      emulator = await EntraGraphEmulator.start({ tls: ca, tenants: [entraEstate(ENTRA_DEMO, TENANT)], pageSize: 4, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    },
    async stop() {
      await emulator.close();
      ca.dispose();
    },
    async collect({ listing, token }) {
      emulator.reset([...(listing ? [{ route: 'GET /applications', spoil: listing }] : []), ...(token ? [{ route: 'POST /token', spoil: token }] : [])]);
      stubEnv({
        ...emulator.env(),
        AZURE_CLIENT_CERTIFICATE_PATH: undefined,
        AZURE_FEDERATED_TOKEN_FILE: undefined,
        AZURE_ACCESS_TOKEN: undefined,
        IDENTITY_ENDPOINT: undefined,
        MSI_ENDPOINT: undefined,
        AGENTSCAN_GRAPH_MAX_BACKOFF_MS: '5',
        AGENTSCAN_GRAPH_MAX_RETRIES: '1',
      });
      return attempt(async () => {
        const writer = new BundleWriter(join(scratchDir(), 'bundle'));
        await collectEntra(writer, {});
        return { manifest: writer.finish() };
      });
    },
    tokenMessage: errorOf,
  };
}

const TARGETS: Record<string, () => Target> = { aws: awsTarget, github: githubTarget, gcp: gcpTarget, entra: entraTarget };

/** What each fault's message must say, whoever reports it. */
const FAULTS: { name: string; spoil: () => Spoil; says: RegExp }[] = [
  { name: 'an answer that never comes', spoil: () => ({ stall: 'hang' }), says: /time(d)? ?out|Timeout/ },
  // Only the deadline stops a trickle; on a machine loaded enough to stall for the response timeout, that may come first.
  { name: 'an answer that trickles in', spoil: () => ({ stall: 'trickle', trickleMs: 20 }), says: /800 ms|deadline|whole call|time(d)? ?out|Timeout/ },
  { name: 'a 200 that is HTML', spoil: () => ({ body: 'html' }), says: /malformed response|not JSON|JSON|parse/i },
  { name: 'a 200 cut in half', spoil: () => ({ body: 'truncated' }), says: /malformed response|not JSON|JSON|parse/i },
  { name: 'a 200 far over the size cap', spoil: () => ({ bytes: HUGE }), says: /response too large: .* over 64 KiB \(AGENTSCAN_MAX_RESPONSE_BYTES\)/ },
];

afterEach(() => vi.unstubAllEnvs());
afterAll(() => removeScratch());

describe.each(Object.keys(TARGETS))('%s collector', (provider) => {
  const target = TARGETS[provider]();
  beforeAll(() => target.start());
  afterAll(() => target.stop());

  it.each(FAULTS)('$name on a listing call is that call\'s coverage entry', async ({ spoil, says }) => {
    let sent: number | undefined;
    const started = Date.now();
    const outcome = await target.collect({ listing: { ...spoil(), sent: (n) => (sent = n) } });
    expect(outcome.error).toBeUndefined();
    const entry = entryOf(outcome, target.listing);
    expect(entry?.status, JSON.stringify(outcome.coverage.filter((c) => c.status !== 'ok'))).toBe('error');
    expect(entry!.message).toContain(target.listing);
    expect(entry!.message).toMatch(says);
    // The rest of the collection went on.
    expect(outcome.coverage.filter((c) => c.status === 'ok').length).toBeGreaterThan(2);
    expect(Date.now() - started).toBeLessThan(25_000);
    if (sent !== undefined) expect(sent).toBeLessThan(HUGE / 8);
  });

  it.each(FAULTS)('$name from the token exchange is a clear failure naming it', async ({ spoil, says }) => {
    let sent: number | undefined;
    const outcome = await target.collect({ token: { ...spoil(), sent: (n) => (sent = n) } });
    // A crash would be an Error that is not a usage error (exit 70), or an unhandled rejection.
    if (outcome.error) expect(outcome.error).toBeInstanceOf(InputError);
    const message = target.tokenMessage(outcome);
    expect(message, outcome.error?.stack ?? JSON.stringify(outcome.coverage.filter((c) => c.status !== 'ok'))).toBeDefined();
    expect(message).toMatch(says);
    expect(message).toContain(target.token);
    if (sent !== undefined) expect(sent).toBeLessThan(HUGE / 8);
  });
});
