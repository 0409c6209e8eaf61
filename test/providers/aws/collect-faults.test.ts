import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALLS, FILES } from '../../../src/providers/aws/files.js';
import { AwsIamEmulator, malformed, stalled, type Fault } from '../../emulators/aws-iam.js';
import { syntheticEstate } from '../../emulators/aws-estate.js';
import { collectInProcess, coverageOf, identitiesOf, removeScratch, useEmulator } from './collect-helpers.js';

// An unlucky network and a broken endpoint, against the real SDK: answers that never come,
// stop after the headers, trickle in, are far too large, or are 200s whose body is empty,
// HTML or the wrong shape. Each must end as a coverage entry naming the call, quickly, and
// never be written to the bundle as if valid.

const ACCOUNT = '210987654321';
const estate = syntheticEstate({ id: ACCOUNT, users: 4, usersWithKeys: 2, roles: 2 });
const FAST = {
  AGENTSCAN_CONNECT_TIMEOUT_MS: '500',
  AGENTSCAN_RESPONSE_TIMEOUT_MS: '150',
  AGENTSCAN_CALL_DEADLINE_MS: '400',
  AWS_MAX_ATTEMPTS: '2',
};

let emulator: AwsIamEmulator;
beforeAll(async () => {
  emulator = await AwsIamEmulator.start({ accounts: [estate], pageSize: 3 });
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});
afterEach(() => vi.unstubAllEnvs());

async function collectWith(faults: Fault[], env: Record<string, string> = {}) {
  emulator.reset({ faults });
  useEmulator(emulator, { ...FAST, ...env });
  const started = Date.now();
  const collected = await collectInProcess();
  return { ...collected, ms: Date.now() - started };
}

const source = (dir: string) => join(dir, 'aws', ACCOUNT);

// Hangs, trickles, HTML and oversized answers of a listing call and of AssumeRole, for every
// collector alike: test/collect/fault-matrix.test.ts. Here: what only AWS calls show.
describe('answers that never complete', () => {
  it.each([
    ['hang', CALLS.accessKeys, 'ListAccessKeys'],
    ['hang-after-headers', CALLS.authorizationDetails, 'GetAccountAuthorizationDetails'],
  ] as const)('%s on %s ends as a Timeout coverage entry, after the retries, in well under a second', async (stall, call, action) => {
    const { manifest, ms, dir } = await collectWith([stalled(action, stall)]);
    const entry = coverageOf(manifest, ACCOUNT, call)!;
    expect(entry.status).toBe('error');
    expect(entry.message).toMatch(new RegExp(`^Timeout: ${call} after 2 attempts \\(`));
    expect(entry.message).toMatch(/150 ms of inactivity/);
    expect(emulator.count(action)).toBeGreaterThanOrEqual(2);
    expect(ms).toBeLessThan(5_000);
    // Everything else is collected, and the bundle still scans.
    expect(manifest.coverage.filter((c) => c.status !== 'ok').map((c) => c.call)).toEqual([call]);
    expect(identitiesOf(dir).filter((i) => i.kind === 'iam-user')).toHaveLength(4);
  });
});

describe('a 200 whose body is not the answer', () => {
  it.each([
    ['empty', 'ListAccessKeys', CALLS.accessKeys],
    ['html', 'GetAccessKeyLastUsed', CALLS.accessKeyLastUsed],
    ['wrong-shape', 'ListAccountAliases', CALLS.accountAliases],
    ['empty', 'GetAccountAuthorizationDetails', CALLS.authorizationDetails],
    ['html', 'GetCredentialReport', CALLS.credentialReport],
  ] as const)('%s body from %s is a "malformed response" coverage entry, and nothing is written for it', async (body, action, call) => {
    // A fault for every request of the action, so the retry cannot mask it.
    const { manifest, dir } = await collectWith([{ ...malformed(action, body), times: 100 }]);
    const entry = coverageOf(manifest, ACCOUNT, call)!;
    expect(entry.status).toBe('error');
    expect(entry.message).toMatch(new RegExp(`^malformed response: ${call}`));
    const files: Record<string, string> = {
      [CALLS.accountAliases]: FILES.accountAliases,
      [CALLS.callerIdentity]: FILES.callerIdentity,
      [CALLS.authorizationDetails]: FILES.authorizationDetailsPage(1),
      [CALLS.credentialReport]: FILES.credentialReport,
    };
    if (files[call]) expect(existsSync(join(source(dir), files[call]))).toBe(false);
    // The bundle the collection wrote reads back: partial, never invalid.
    expect(() => identitiesOf(dir)).not.toThrow();
  });

  it('a wrong-shaped GetCallerIdentity stops the collection, saying the answer was malformed', async () => {
    await expect(collectWith([{ ...malformed('GetCallerIdentity', 'wrong-shape'), times: 100 }])).rejects.toThrow(
      /could not tell which account the credentials belong to — malformed response: sts:GetCallerIdentity answered a body without the expected shape \(at UserId: /,
    );
  });

  it('a GenerateCredentialReport answer without a State fails at once, saying so, instead of polling until the report timeout', async () => {
    const { manifest, ms } = await collectWith([{ ...malformed('GenerateCredentialReport', 'wrong-shape'), times: 100 }], {
      AGENTSCAN_AWS_REPORT_TIMEOUT_MS: '60000',
    });
    expect(coverageOf(manifest, ACCOUNT, CALLS.credentialReport)).toMatchObject({
      status: 'error',
      message: 'malformed response: iam:GenerateCredentialReport answered State (none), not STARTED, INPROGRESS or COMPLETE',
    });
    expect(emulator.count('GenerateCredentialReport')).toBe(1);
    expect(ms).toBeLessThan(3_000);
  });

  it('a credential report whose rows the normalizer would reject fails the call at collection time', async () => {
    const broken = syntheticEstate({ id: ACCOUNT, users: 2, usersWithKeys: 1, roles: 1 });
    broken.credentialReport = broken.credentialReport.replace(/,true,/, ',yes,');
    emulator.reset({ accounts: [broken] });
    try {
      useEmulator(emulator, FAST);
      const { manifest, dir } = await collectInProcess();
      expect(coverageOf(manifest, ACCOUNT, CALLS.credentialReport)?.message).toMatch(
        /^malformed response: iam:GetCredentialReport Content is not a credential report CSV \(row \d, \w+: /,
      );
      expect(() => identitiesOf(dir)).not.toThrow();
    } finally {
      emulator.reset({ accounts: [estate] });
    }
  });
});
