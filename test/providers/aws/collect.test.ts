import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { retryStrategy } from '../../../src/providers/aws/collect/retry.js';
import { settingsFromEnv } from '../../../src/providers/aws/collect/settings.js';
import { CALLS, FILES } from '../../../src/providers/aws/files.js';
import { classifyAll } from '../../../src/classify/classify.js';
import { loadPatterns } from '../../../src/classify/patterns.js';
import { AwsIamEmulator, deny, malformed, throttle, type Fault } from '../../emulators/aws-iam.js';
import { syntheticEstate } from '../../emulators/aws-estate.js';
import { collectInProcess, coverageOf, identitiesOf, readText, removeScratch, useEmulator } from './collect-helpers.js';

// One account, collected in-process with the real SDK against the emulator: paging, the
// credential report flow, retries, and failed calls becoming coverage entries.

const ACCOUNT = '210987654321';
// 7 users (3 with keys), 1 group, 4 roles, 1 managed policy: 13 items, 5 pages of 3.
const estate = syntheticEstate({ id: ACCOUNT, users: 7, usersWithKeys: 3, roles: 4, alias: 'emulated' });
// Descriptions reach the collector through ListRoles only (the authorization details have none).
estate.roles = estate.roles.map((r, i) => (i < 2 ? { ...r, Description: `CrewAI worker ${i}. Owner: team-${i}` } : r));
const PAGE_SIZE = 3;
const PAGES = 5;

let emulator: AwsIamEmulator;

beforeAll(async () => {
  emulator = await AwsIamEmulator.start({ accounts: [estate], pageSize: PAGE_SIZE });
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});
afterEach(() => vi.unstubAllEnvs());

function setup(faults: Fault[] = [], opts: { reportPolls?: number; env?: Record<string, string> } = {}) {
  emulator.reset({ faults, reportPolls: opts.reportPolls ?? 0 });
  useEmulator(emulator, opts.env);
}

const sourceDir = (dir: string) => join(dir, 'aws', ACCOUNT);

describe('GetAccountAuthorizationDetails paging', () => {
  it('collects every page, following IsTruncated and Marker, with policy documents still URL-encoded', async () => {
    setup();
    const { dir, manifest } = await collectInProcess();
    const src = sourceDir(dir);
    for (let n = 1; n <= PAGES; n++) expect(existsSync(join(src, FILES.authorizationDetailsPage(n))), `page ${n}`).toBe(true);
    expect(existsSync(join(src, FILES.authorizationDetailsPage(PAGES + 1)))).toBe(false);
    expect(emulator.count('GetAccountAuthorizationDetails')).toBe(PAGES);

    const pages = Array.from({ length: PAGES }, (_, i) => JSON.parse(readText(join(src, FILES.authorizationDetailsPage(i + 1)))));
    expect(pages.map((p) => p.IsTruncated)).toEqual([true, true, true, true, false]);
    expect(pages.slice(0, -1).every((p) => typeof p.Marker === 'string')).toBe(true);
    expect(pages.flatMap((p) => p.UserDetailList.map((u: any) => u.UserName))).toEqual(estate.users.map((u) => u.UserName));
    expect(pages.flatMap((p) => p.RoleDetailList.map((r: any) => r.RoleName))).toEqual(estate.roles.map((r) => r.RoleName));
    expect(pages.flatMap((p) => p.Policies).length).toBe(1);
    expect(JSON.stringify(pages)).not.toContain('$metadata');

    // As the wire delivered them: URL-encoded text, not parsed JSON.
    const user = pages[0].UserDetailList[0];
    expect(user.UserPolicyList[0].PolicyDocument).toBe((estate.users[0] as any).UserPolicyList[0].PolicyDocument);
    expect(user.UserPolicyList[0].PolicyDocument).toMatch(/^%7B%22Version%22/);
    expect(user.CreateDate).toBe('2025-01-15T10:00:00.000Z');

    expect(coverageOf(manifest, ACCOUNT, CALLS.authorizationDetails)?.status).toBe('ok');
    const identities = identitiesOf(dir);
    expect(identities.filter((i) => i.kind === 'iam-role')).toHaveLength(4);
    expect(identities.filter((i) => i.kind === 'iam-user')).toHaveLength(7);
  });

  it('records a page whose body is cut off as a failed call, keeping the pages before it', async () => {
    setup([malformed('GetAccountAuthorizationDetails', 'truncated', 1)]);
    const { dir, manifest } = await collectInProcess();
    expect(existsSync(join(sourceDir(dir), FILES.authorizationDetailsPage(1)))).toBe(true);
    expect(existsSync(join(sourceDir(dir), FILES.authorizationDetailsPage(2)))).toBe(false);
    const entry = coverageOf(manifest, ACCOUNT, CALLS.authorizationDetails)!;
    expect(entry.status).toBe('error');
    expect(entry.message).toMatch(/^malformed response: iam:GetAccountAuthorizationDetails .* on page 2/);
    // The bundle still scans: users from the report and page 1, nothing invented.
    expect(identitiesOf(dir).filter((i) => i.kind === 'iam-user')).toHaveLength(7);
    expect(coverageOf(manifest, ACCOUNT, CALLS.credentialReport)?.status).toBe('ok');
  });

  it('records a body that is not XML at all, and collects the rest', async () => {
    setup([malformed('ListAccountAliases', 'garbage')]);
    const { dir, manifest } = await collectInProcess();
    expect(coverageOf(manifest, ACCOUNT, CALLS.accountAliases)).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^malformed response: iam:ListAccountAliases returned a body that could not be read \(.*XML parse error/),
    });
    expect(coverageOf(manifest, ACCOUNT, CALLS.accountAliases)?.message).not.toMatch(/\$response/);
    expect(existsSync(join(sourceDir(dir), FILES.accountAliases))).toBe(false);
    expect(manifest.coverage.filter((c) => c.status !== 'ok').map((c) => c.call)).toEqual([CALLS.accountAliases]);
    expect(identitiesOf(dir).length).toBe(7 + 1 + 4);
  });
});

describe('ListRoles', () => {
  it('pages the role listing and reads each Description: agent frameworks and owners named there count', async () => {
    setup();
    const { dir, manifest } = await collectInProcess();
    const src = sourceDir(dir);
    // 4 roles, 3 a page.
    expect(emulator.count('ListRoles')).toBe(2);
    expect(existsSync(join(src, FILES.listRolesPage(2)))).toBe(true);
    expect(existsSync(join(src, FILES.listRolesPage(3)))).toBe(false);
    const page1 = JSON.parse(readText(join(src, FILES.authorizationDetailsPage(1))));
    expect(JSON.stringify(page1)).not.toContain('Description');
    expect(coverageOf(manifest, ACCOUNT, CALLS.listRoles)?.status).toBe('ok');
    const roles = classifyAll(identitiesOf(dir), loadPatterns()).filter((i) => i.kind === 'iam-role');
    const described = roles.filter((r) => r.attributes.description);
    expect(described.map((r) => r.attributes.description)).toEqual(['CrewAI worker 0. Owner: team-0', 'CrewAI worker 1. Owner: team-1']);
    expect(described.map((r) => r.agent.verdict)).toEqual(['agent', 'agent']);
    expect(described.map((r) => r.owners.map((o) => o.id))).toEqual([['team-0'], ['team-1']]);
  });

  it('a denied listing is a coverage entry; roles are still reported, without descriptions', async () => {
    setup([deny('ListRoles')]);
    const { dir, manifest } = await collectInProcess();
    expect(coverageOf(manifest, ACCOUNT, CALLS.listRoles)).toMatchObject({ status: 'error', message: expect.stringMatching(/^AccessDenied: iam:ListRoles/) });
    const roles = identitiesOf(dir).filter((i) => i.kind === 'iam-role');
    expect(roles).toHaveLength(4);
    expect(roles.some((r) => r.attributes.description)).toBe(false);
  });

  it('a later page without a Marker is a malformed response, keeping the first page', async () => {
    setup([{ action: 'ListRoles', after: 1, times: 1, body: 'wrong-shape' }]);
    const { dir, manifest } = await collectInProcess();
    expect(coverageOf(manifest, ACCOUNT, CALLS.listRoles)?.message).toMatch(/^malformed response: iam:ListRoles page 2/);
    expect(existsSync(join(sourceDir(dir), FILES.listRolesPage(1)))).toBe(true);
    expect(identitiesOf(dir).filter((i) => i.attributes.description)).toHaveLength(2);
  });
});

describe('call plan', () => {
  it('makes key calls only for users with keys: calls grow with pages and keys, not principals', async () => {
    const id = '123123123123';
    const big = syntheticEstate({ id, users: 40, usersWithKeys: 3, keysPerUser: 2, roles: 60 });
    const local = await AwsIamEmulator.start({ accounts: [big], pageSize: 25 });
    try {
      useEmulator(local);
      const { dir, result } = await collectInProcess();
      // 40 users + 1 group + 60 roles + 1 policy = 102 items: 5 pages of 25.
      expect(local.counts()).toEqual({
        GetCallerIdentity: 1,
        ListAccountAliases: 1,
        GetAccountAuthorizationDetails: 5,
        ListRoles: 3, // 60 roles, 25 a page
        GenerateCredentialReport: 2, // STARTED, then COMPLETE
        GetCredentialReport: 1,
        ListAccessKeys: 3, // one per user holding keys
        GetAccessKeyLastUsed: 6, // one per key
      });
      // The collector's own count (what --verbose prints) agrees with the server's.
      const counted = Object.fromEntries(result.calls.get(id)!.counted().map(([action, c]) => [action.split(':')[1], c.calls]));
      expect(counted).toEqual(local.counts());
      expect(identitiesOf(dir).flatMap((i) => i.credentials.filter((c) => c.type === 'access-key'))).toHaveLength(6);
    } finally {
      await local.close();
    }
  });

  it('lists keys of users newer than the credential report, which IAM may hand out up to four hours old', async () => {
    const id = '456456456456';
    const stale = syntheticEstate({ id, users: 4, usersWithKeys: 1, roles: 1 });
    // user-003 was created after the report: the report has no row for it.
    stale.credentialReport = stale.credentialReport.split('\n').filter((l) => !l.startsWith('user-003,')).join('\n');
    stale.accessKeys['user-003'] = [{ UserName: 'user-003', AccessKeyId: 'AKIANEWUSERKEY000001', Status: 'Active', CreateDate: '2026-01-20T00:00:00.000Z' }];
    stale.keyLastUsed.AKIANEWUSERKEY000001 = { UserName: 'user-003', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } };
    const local = await AwsIamEmulator.start({ accounts: [stale] });
    try {
      useEmulator(local);
      const { dir } = await collectInProcess();
      expect(local.count('ListAccessKeys')).toBe(2);
      const keys = identitiesOf(dir).find((i) => i.name === 'user-003')!.credentials.map((c) => c.id);
      expect(keys).toEqual(['AKIANEWUSERKEY000001']);
    } finally {
      await local.close();
    }
  });
});

describe('credential report', () => {
  it('polls GenerateCredentialReport until COMPLETE, waits out ReportInProgress and LimitExceeded, and stores the CSV as IAM wrote it', async () => {
    setup(
      [
        { action: 'GenerateCredentialReport', times: 1, after: 1, error: { code: 'LimitExceeded', status: 409, message: 'Too many report requests' } },
        { action: 'GetCredentialReport', times: 2, error: { code: 'ReportInProgress', status: 404, message: 'Report is being generated' } },
      ],
      { reportPolls: 3 },
    );
    const { dir, manifest } = await collectInProcess();
    // STARTED, LimitExceeded, INPROGRESS ×3, COMPLETE; then two in-progress reads and the report.
    expect(emulator.count('GenerateCredentialReport')).toBe(6);
    expect(emulator.count('GetCredentialReport')).toBe(3);
    expect(readFileSync(join(sourceDir(dir), FILES.credentialReport), 'utf8')).toBe(estate.credentialReport);
    expect(coverageOf(manifest, ACCOUNT, CALLS.credentialReport)?.status).toBe('ok');
  });

  it('gives up after the report timeout, as a failed call', async () => {
    setup([], { reportPolls: 1000, env: { AGENTSCAN_AWS_REPORT_TIMEOUT_MS: '30' } });
    const { manifest, dir } = await collectInProcess();
    expect(coverageOf(manifest, ACCOUNT, CALLS.credentialReport)).toMatchObject({ status: 'error', message: expect.stringMatching(/^Timeout: iam:GetCredentialReport/) });
    // Without the report, keys are listed for every user from the authorization details.
    expect(emulator.count('ListAccessKeys')).toBe(7);
    expect(identitiesOf(dir).filter((i) => i.kind === 'iam-user')).toHaveLength(7);
  });
});

describe('throttling and transient errors', () => {
  it('retries Throttling with the SDK retry strategy and collects everything', async () => {
    setup([throttle('GetAccountAuthorizationDetails', 3), throttle('ListAccessKeys', 2), { action: 'ListAccountAliases', times: 1, error: { code: 'ServiceFailure', status: 500, message: 'Internal' } }]);
    const started = Date.now();
    const { manifest, result } = await collectInProcess();
    expect(manifest.coverage.every((c) => c.status === 'ok')).toBe(true);
    expect(emulator.count('GetAccountAuthorizationDetails')).toBe(PAGES + 3);
    expect(emulator.count('ListAccessKeys')).toBe(3 + 2);
    expect(emulator.count('ListAccountAliases')).toBe(2);
    // Each call counts once; the retries show as extra requests.
    const row = result.calls.get(ACCOUNT)!.counted().find(([a]) => a === CALLS.authorizationDetails)![1];
    expect(row).toMatchObject({ calls: PAGES, requests: PAGES + 3, failed: 0 });
    expect(Date.now() - started).toBeLessThan(5_000); // AGENTSCAN_AWS_MAX_BACKOFF_MS bounds each wait
  });

  it('stops after AWS_MAX_ATTEMPTS and records the throttled call', async () => {
    setup([throttle('ListAccountAliases', 100)], { env: { AWS_MAX_ATTEMPTS: '3' } });
    const { manifest } = await collectInProcess();
    expect(emulator.count('ListAccountAliases')).toBe(3);
    expect(coverageOf(manifest, ACCOUNT, CALLS.accountAliases)).toEqual({
      provider: 'aws',
      scope: ACCOUNT,
      call: CALLS.accountAliases,
      status: 'error',
      message: 'Throttling: iam:ListAccountAliases after 3 attempts (Rate exceeded)',
    });
  });

  it('uses the adaptive strategy when AWS_RETRY_MODE=adaptive, and rejects other modes', () => {
    // Not run against the emulator: after one throttle the adaptive rate limiter waits about two seconds by design.
    expect(retryStrategy(settingsFromEnv({ AWS_RETRY_MODE: 'adaptive' })).mode).toBe('adaptive');
    expect(retryStrategy(settingsFromEnv({})).mode).toBe('standard');
    expect(() => settingsFromEnv({ AWS_RETRY_MODE: 'legacy' })).toThrow(/expected standard or adaptive/);
    expect(() => settingsFromEnv({ AWS_MAX_ATTEMPTS: '0' })).toThrow(/AWS_MAX_ATTEMPTS=0/);
  });
});

describe('AccessDenied', () => {
  it('becomes a coverage entry naming the missing permission, and the rest is collected', async () => {
    setup([deny('GenerateCredentialReport')]);
    const { dir, manifest } = await collectInProcess();
    const entry = coverageOf(manifest, ACCOUNT, CALLS.credentialReport)!;
    expect(entry.status).toBe('error');
    expect(entry.message).toMatch(/^AccessDenied: iam:GenerateCredentialReport \(User: arn:aws:iam::210987654321:user\/scanner is not authorized/);
    expect(existsSync(join(sourceDir(dir), FILES.credentialReport))).toBe(false);
    // A recent report might have been readable without generating one; here there is none.
    expect(emulator.count('GetCredentialReport')).toBe(1);
    for (const call of [CALLS.callerIdentity, CALLS.accountAliases, CALLS.authorizationDetails, CALLS.accessKeys, CALLS.accessKeyLastUsed]) {
      expect(coverageOf(manifest, ACCOUNT, call)?.status, call).toBe('ok');
    }
    expect(identitiesOf(dir).filter((i) => i.kind === 'iam-user')).toHaveLength(7);
  });

  it('on the key calls, leaves the keys to the credential report', async () => {
    setup([deny('ListAccessKeys')]);
    const { dir, manifest } = await collectInProcess();
    expect(coverageOf(manifest, ACCOUNT, CALLS.accessKeys)).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^AccessDenied: iam:ListAccessKeys .*\(and 2 more of 3 calls\)$/),
    });
    expect(emulator.count('GetAccessKeyLastUsed')).toBe(0);
    const user = identitiesOf(dir).find((i) => i.name === 'user-000')!;
    expect(user.credentials.map((c) => c.id)).toEqual(['user-000/access_key_1']);
  });
});
