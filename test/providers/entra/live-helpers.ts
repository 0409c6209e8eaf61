import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntraGraphEmulator, type Fault, type TenantEstate } from '../../emulators/entra-graph.js';
import { estateFromBundle } from '../../emulators/entra-estate.js';
import { ROOT } from '../../helpers/cli.js';
import { makeTestCa, type TestCa } from '../../helpers/test-ca.js';
import { runCliAsync, scratchDir, type CliRun } from '../aws/collect-helpers.js';
import { TENANT } from './helpers.js';

// Shared by the live Entra tests: an HTTPS emulator with a test CA, and the CLI as a child
// process that trusts that CA through NODE_EXTRA_CA_CERTS and records every connection it opens.

export const DEMO_SOURCE = join(ROOT, 'fixtures', 'demo', 'entra', TENANT);
export const CLIENT_ID = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
export const CLIENT_SECRET = 'emulator-secret-do-not-print~Q8v';
const GUARD = join(ROOT, 'test', 'helpers', 'net-guard.mjs');

export interface LiveSetup {
  ca: TestCa;
  emulator: EntraGraphEmulator;
}

export async function startLive(tenants: TenantEstate[] = [estateFromBundle(DEMO_SOURCE, TENANT)], faults: Fault[] = [], pageSize = 4): Promise<LiveSetup> {
  const ca = makeTestCa();
  const emulator = await EntraGraphEmulator.start({ tls: ca, tenants, pageSize, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, faults });
  return { ca, emulator };
}

export async function stopLive(setup: LiveSetup | undefined): Promise<void> {
  if (!setup) return;
  await setup.emulator.close();
  setup.ca.dispose();
}

/** Fast retries and small pages, as tests need; override per test. */
export const FAST: Record<string, string> = {
  AGENTSCAN_GRAPH_MAX_BACKOFF_MS: '5',
  AGENTSCAN_GRAPH_MAX_RETRY_AFTER_MS: '20',
  AGENTSCAN_GRAPH_PAGE_SIZE: '4',
};

export interface GuardedRun extends CliRun {
  /** host:port of every connection the child opened. */
  connections: string[];
}

/** The CLI as a child process against the emulator, trusting the test CA. */
export async function runLive(setup: LiveSetup, args: string[], env: Record<string, string | undefined> = {}): Promise<GuardedRun> {
  const netLog = join(scratchDir(), 'connections.log');
  const run = await runCliAsync(args, {
    // Nothing from the developer's own Azure setup may leak into the test.
    AZURE_CLIENT_CERTIFICATE_PATH: undefined,
    AZURE_FEDERATED_TOKEN_FILE: undefined,
    AZURE_ACCESS_TOKEN: undefined,
    IDENTITY_ENDPOINT: undefined,
    MSI_ENDPOINT: undefined,
    ...setup.emulator.env(),
    ...FAST,
    NODE_EXTRA_CA_CERTS: setup.ca.caFile,
    NODE_OPTIONS: `--import=${GUARD}`,
    AGENTSCAN_TEST_NET_LOG: netLog,
    ...env,
  });
  const connections = existsSync(netLog) ? readFileSync(netLog, 'utf8').split('\n').filter(Boolean) : [];
  return { ...run, connections };
}
