import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALLS } from '../../../src/providers/aws/files.js';
import { AwsIamEmulator, deny, throttle, type EmulatorOptions } from '../../emulators/aws-iam.js';
import { flatOrgTree, syntheticEstate } from '../../emulators/aws-estate.js';
import { collectInProcess, coverageOf, identitiesOf, removeScratch, useEmulator } from './collect-helpers.js';

// Many accounts: a list or the organization's active accounts, entered by assuming one role
// name in each, a bounded number at a time; an account that cannot be entered is recorded
// and the others are collected.

const HOME = '111111111111';
const SECOND = '222222222222';
const THIRD = '333333333333';
/** In the organization, but without the role: AssumeRole is denied. */
const NO_ROLE = '444444444444';
const SUSPENDED = '555555555555';
const ROLE = 'agentscan-read';

const accounts = [HOME, SECOND, THIRD].map((id, i) => syntheticEstate({ id, users: 2 + i, usersWithKeys: 1, roles: 2, alias: `acct-${i}` }));
const options: EmulatorOptions = {
  accounts,
  home: HOME,
  callerArn: `arn:aws:iam::${HOME}:role/security-scanner`,
  assumableRole: ROLE,
  orgTree: flatOrgTree([HOME, SECOND, THIRD, NO_ROLE]),
  organization: [
    { Id: HOME, Name: 'management', State: 'ACTIVE' },
    { Id: SECOND, Name: 'prod', State: 'ACTIVE' },
    { Id: SUSPENDED, Name: 'old', State: 'SUSPENDED' },
    { Id: THIRD, Name: 'dev', State: 'ACTIVE' },
    { Id: NO_ROLE, Name: 'sandbox', State: 'ACTIVE' },
  ],
};

let emulator: AwsIamEmulator;

beforeAll(async () => {
  emulator = await AwsIamEmulator.start(options);
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});
afterEach(() => vi.unstubAllEnvs());

function setup(changes: Partial<EmulatorOptions> = {}) {
  emulator.reset({ faults: [], latencyMs: 0, ...changes });
  useEmulator(emulator);
}

describe('--aws-accounts with --aws-assume-role', () => {
  it('assumes the role in each other account, uses the signed-in credentials at home, and records an account it cannot enter', async () => {
    setup();
    const { dir, manifest, log } = await collectInProcess({ accounts: [SECOND, NO_ROLE, HOME], assumeRole: ROLE });

    expect(manifest.sources.map((s) => s.scope)).toEqual([SECOND, NO_ROLE, HOME]);
    expect(emulator.count('AssumeRole')).toBe(2); // SECOND and NO_ROLE; never at home

    const denied = coverageOf(manifest, NO_ROLE, 'sts:AssumeRole')!;
    expect(denied.status).toBe('error');
    expect(denied.message).toBe(
      `AccessDenied: sts:AssumeRole (User: arn:aws:iam::${HOME}:role/security-scanner is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${NO_ROLE}:role/${ROLE}) into arn:aws:iam::${NO_ROLE}:role/${ROLE}`,
    );
    // Its folder is empty and every call is marked skipped, so the bundle reads as partial, not broken.
    expect(readdirSync(join(dir, 'aws', NO_ROLE))).toEqual([]);
    expect(manifest.coverage.filter((c) => c.scope === NO_ROLE && c.status === 'skipped').map((c) => c.call).sort()).toEqual(Object.values(CALLS).sort());

    for (const account of [SECOND, HOME]) {
      expect(manifest.coverage.filter((c) => c.scope === account).every((c) => c.status === 'ok'), account).toBe(true);
      expect(emulator.count('GetAccountAuthorizationDetails', account), account).toBeGreaterThan(0);
    }
    expect(coverageOf(manifest, SECOND, 'sts:AssumeRole')?.status).toBe('ok');
    // The assumed role's identity is the one recorded for that account.
    const identities = identitiesOf(dir);
    expect(new Set(identities.map((i) => i.id.split(':')[1]))).toEqual(new Set([SECOND, HOME]));
    expect(identities.filter((i) => i.kind === 'iam-user' && i.id.startsWith(`aws:${SECOND}:`))).toHaveLength(3);
    expect(log.some((l) => l.startsWith(`aws ${SECOND}: `) && l.includes('sts:AssumeRole 1'))).toBe(true);
  });

  it('needs a role name to reach accounts other than the signed-in one', async () => {
    setup();
    await expect(collectInProcess({ accounts: [SECOND] })).rejects.toThrow(/--aws-assume-role NAME/);
    expect(emulator.count('GetAccountAuthorizationDetails')).toBe(0);
  });

  it('retries a throttled AssumeRole like any other call', async () => {
    setup({ faults: [throttle('AssumeRole', 2)] });
    const { manifest } = await collectInProcess({ accounts: [THIRD], assumeRole: ROLE });
    expect(manifest.coverage.every((c) => c.status === 'ok')).toBe(true);
    expect(emulator.count('AssumeRole')).toBe(3);
  });
});

describe('--aws-organization', () => {
  it('collects the active accounts listed by Organizations (paged), skipping suspended ones', async () => {
    setup();
    const { manifest } = await collectInProcess({ organization: true, assumeRole: ROLE });
    expect(emulator.count('ListAccounts')).toBe(3); // 5 accounts, 2 a page
    // The accounts, and the organisation's own folder (its tree and control policies).
    expect(manifest.sources.map((s) => s.scope)).toEqual([HOME, SECOND, THIRD, NO_ROLE, 'o-flat000001']);
    expect(coverageOf(manifest, HOME, 'organizations:ListAccounts')?.status).toBe('ok');
    expect(manifest.coverage.filter((c) => c.status === 'error').map((c) => `${c.scope} ${c.call}`)).toEqual([`${NO_ROLE} sts:AssumeRole`]);
  });

  it('reaches each service at its own AWS_ENDPOINT_URL_<SERVICE>, which the SDK prefers to AWS_ENDPOINT_URL', async () => {
    setup();
    // Nothing listens on port 9: a request that went to the general endpoint would fail.
    useEmulator(emulator, {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_IAM: emulator.url,
      AWS_ENDPOINT_URL_STS: emulator.url,
      AWS_ENDPOINT_URL_ORGANIZATIONS: emulator.url,
      AWS_MAX_ATTEMPTS: '1',
    });
    const { manifest } = await collectInProcess({ organization: true, assumeRole: ROLE });
    expect(manifest.sources).toHaveLength(5);
    expect(new Set(emulator.requests.map((r) => r.service))).toEqual(new Set(['iam', 'sts', 'organizations']));
    expect(manifest.coverage.filter((c) => c.status === 'error').map((c) => c.call)).toEqual(['sts:AssumeRole']);
  });

  it('without the right to list accounts, collects the signed-in account and says what is missing', async () => {
    setup({ faults: [deny('ListAccounts')] });
    const { dir, manifest } = await collectInProcess({ organization: true, assumeRole: ROLE });
    expect(manifest.sources.map((s) => s.scope)).toEqual([HOME, 'o-flat000001']);
    expect(coverageOf(manifest, HOME, 'organizations:ListAccounts')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^AccessDeniedException: organizations:ListAccounts \(/),
    });
    expect(identitiesOf(dir).length).toBeGreaterThan(0);
  });

  it('needs --aws-assume-role', async () => {
    setup();
    await expect(collectInProcess({ organization: true })).rejects.toThrow(/--aws-organization needs --aws-assume-role/);
    expect(emulator.requests).toEqual([]);
  });
});

describe('bounded concurrency', () => {
  const five = [HOME, SECOND, THIRD, NO_ROLE, '666666666666'];

  it.each([1, 2])('has at most %i account(s) in flight with --concurrency %i', async (n) => {
    setup({ latencyMs: 3 });
    const { manifest } = await collectInProcess({ accounts: five, assumeRole: ROLE, concurrency: n });
    expect(manifest.sources).toHaveLength(5);
    expect(emulator.maxAccountsInFlight).toBe(n);
  });
});

describe('coverage order', () => {
  it('is the same whatever order the accounts are given or finish in', async () => {
    emulator.reset({ faults: [deny('ListAccountAliases', THIRD), throttle('GetAccountAuthorizationDetails', 2, SECOND)] });
    useEmulator(emulator);
    const first = await collectInProcess({ accounts: [THIRD, HOME, SECOND, NO_ROLE], assumeRole: ROLE, concurrency: 4 });
    emulator.reset({ faults: [deny('ListAccountAliases', THIRD), throttle('GetAccountAuthorizationDetails', 2, SECOND)] });
    const second = await collectInProcess({ accounts: [NO_ROLE, SECOND, HOME, THIRD], assumeRole: ROLE, concurrency: 1 });
    const key = (c: { provider: string; scope: string; call: string }) => `${c.provider} ${c.scope} ${c.call}`;
    expect(first.manifest.coverage.map(key)).toEqual(second.manifest.coverage.map(key));
    expect(first.manifest.coverage).toEqual(second.manifest.coverage);
    const keys = first.manifest.coverage.map(key);
    expect(keys).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
  });
});
