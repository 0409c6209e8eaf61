import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadBundle } from '../../../src/bundle/load.js';
import { loadPatterns } from '../../../src/classify/patterns.js';
import type { JsonReport } from '../../../src/report/json.js';
import { loadRules } from '../../../src/rules/load.js';
import { analyseBundle, isIncomplete } from '../../../src/scan/analyse.js';
import { ACCOUNT_READ_ACTIONS, memberRoleTrustPolicy, scannerPolicy } from '../../../src/providers/aws/collect/permissions.js';
import { AwsIamEmulator, deny, type LoggedRequest } from '../../emulators/aws-iam.js';
import { estateFromBundle, syntheticEstate } from '../../emulators/aws-estate.js';
import { ROOT } from '../../helpers/cli.js';
import { collectInProcess, filesUnder, readText, removeScratch, runCliAsync, scratchDir, useEmulator } from './collect-helpers.js';

// The CLI end to end, as processes: `collect` writes a bundle that `scan --from` reads,
// `scan --provider aws` collects live, and both give the identities the emulator serves
// (here: the demo account, so the answer is known from fixtures/demo).

const DEMO_ACCOUNT = '314159265358';
const DEMO_SOURCE = join(ROOT, 'fixtures', 'demo', 'aws', DEMO_ACCOUNT);

let emulator: AwsIamEmulator;
let env: Record<string, string | undefined>;
let demoReport: JsonReport;
/** The requests of the `collect` run below, for checking the permissions policy against them. */
let collectRequests: LoggedRequest[] = [];

/** Identities without what depends on when they were collected. */
const comparable = (report: JsonReport) => JSON.parse(JSON.stringify(report.identities)) as unknown[];

beforeAll(async () => {
  emulator = await AwsIamEmulator.start({
    accounts: [estateFromBundle(DEMO_SOURCE, DEMO_ACCOUNT)],
    callerArn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/gha-terraform-plan/GitHubActions`,
    callerUserId: 'AROAW6445RKVW3HAALN7T:GitHubActions',
    pageSize: 4,
    reportPolls: 1,
  });
  env = emulator.env();
  // The demo's account alone: the emulator serves no organisation, so no control policies.
  const accountOnly = join(scratchDir(), 'demo-account');
  cpSync(DEMO_SOURCE, join(accountOnly, 'aws', DEMO_ACCOUNT), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'demo', 'bundle.json'), 'utf8'));
  manifest.sources = manifest.sources.filter((s: { scope: string }) => s.scope === DEMO_ACCOUNT);
  manifest.coverage = manifest.coverage.filter((c: { scope: string }) => c.scope === DEMO_ACCOUNT);
  writeFileSync(join(accountOnly, 'bundle.json'), JSON.stringify(manifest));
  const demo = await runCliAsync(['scan', '--from', accountOnly, '--format', 'json'], env);
  expect(demo.code).toBe(0);
  demoReport = JSON.parse(demo.stdout) as JsonReport;
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});

describe('agentscan collect --provider aws', () => {
  let out: string;
  let collected: Awaited<ReturnType<typeof runCliAsync>>;

  beforeAll(async () => {
    emulator.reset({});
    out = join(scratchDir(), 'bundle');
    collected = await runCliAsync(['collect', '--provider', 'aws', '--out', out, '--verbose'], env);
    collectRequests = [...emulator.requests];
  });

  it('writes a complete bundle and exits 0', () => {
    expect(collected.code, collected.stderr).toBe(0);
    expect(collected.stdout).toBe('');
    const manifest = JSON.parse(readText(join(out, 'bundle.json')));
    expect(manifest.sources).toEqual([{ provider: 'aws', scope: DEMO_ACCOUNT, path: `aws/${DEMO_ACCOUNT}` }]);
    expect(manifest.coverage.map((c: any) => `${c.call} ${c.status}`).sort()).toEqual(
      [
        'iam:GetAccessKeyLastUsed ok',
        'iam:GetAccountAuthorizationDetails ok',
        'iam:GetCredentialReport ok',
        'iam:ListAccessKeys ok',
        'iam:ListAccountAliases ok',
        'iam:ListRoles ok',
        'sts:GetCallerIdentity ok',
      ],
    );
  });

  it('writes the files the demo bundle has, the raw responses byte for byte where the emulator serves them unchanged', () => {
    const mine = filesUnder(join(out, 'aws', DEMO_ACCOUNT));
    const demo = filesUnder(DEMO_SOURCE);
    const notPages = (f: string) => !f.startsWith('iam-get-account-authorization-details.page-') && !f.startsWith('iam-list-roles.page-');
    expect(mine.filter(notPages)).toEqual(demo.filter(notPages));
    // The demo's users, groups, roles and policies in pages of at most 4.
    const estate = estateFromBundle(DEMO_SOURCE, DEMO_ACCOUNT);
    const items = estate.users.length + estate.groups.length + estate.roles.length + estate.policies.length;
    expect(mine.filter((f) => f.startsWith('iam-get-account-authorization-details.page-'))).toHaveLength(Math.ceil(items / 4));
    expect(mine.filter((f) => f.startsWith('iam-list-roles.page-'))).toHaveLength(Math.ceil(estate.roles.length / 4));
    for (const f of ['iam-get-credential-report.csv', 'iam-list-access-keys/jane.doe.json', 'iam-get-access-key-last-used/AKIA2HAIURHSTSYQISBM.json', 'sts-get-caller-identity.json']) {
      expect(JSON.stringify(readText(join(out, 'aws', DEMO_ACCOUNT, f))), f).toBe(JSON.stringify(readText(join(DEMO_SOURCE, f))));
    }
  });

  it('logs call counts per API with --verbose, and never a credential', () => {
    expect(collected.stderr).toMatch(new RegExp(`aws: signed in to account ${DEMO_ACCOUNT} as arn:aws:sts::`));
    // One call per page, per user with keys and per key — not per principal; the report took
    // STARTED, INPROGRESS, COMPLETE. (Counted from the demo estate, which other work may grow.)
    const estate = estateFromBundle(DEMO_SOURCE, DEMO_ACCOUNT);
    const pages = Math.ceil((estate.users.length + estate.groups.length + estate.roles.length + estate.policies.length) / 4);
    const holders = Object.keys(estate.accessKeys).length;
    const keys = Object.values(estate.accessKeys).flat().length;
    const expected = {
      GetCallerIdentity: 1,
      ListAccountAliases: 1,
      GetAccountAuthorizationDetails: pages,
      ListRoles: Math.ceil(estate.roles.length / 4),
      GenerateCredentialReport: 3,
      GetCredentialReport: 1,
      ListAccessKeys: holders,
      GetAccessKeyLastUsed: keys,
    };
    expect(collectRequests.reduce<Record<string, number>>((n, r) => ({ ...n, [r.action]: (n[r.action] ?? 0) + 1 }), {})).toEqual(expected);
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    const line = new RegExp(`^aws ${DEMO_ACCOUNT}: ${total} calls \\(${total} requests\\): (.*)$`, 'm').exec(collected.stderr);
    expect(line, collected.stderr).not.toBeNull();
    expect(Object.fromEntries(line![1].split(', ').map((p) => [p.split(' ')[0].split(':')[1], Number(p.split(' ')[1])]))).toEqual(expected);
    for (const secret of emulator.issuedSecrets) {
      expect(collected.stderr).not.toContain(secret);
      for (const f of filesUnder(out)) expect(readFileSync(join(out, f), 'utf8')).not.toContain(secret);
    }
  });

  it('is scanned by `scan --from` into the identities the emulator serves', async () => {
    const scan = await runCliAsync(['scan', '--from', out, '--format', 'json'], env);
    expect(scan.code, scan.stderr).toBe(0);
    const report = JSON.parse(scan.stdout) as JsonReport;
    expect(report.complete).toBe(true);
    expect(comparable(report)).toEqual(comparable(demoReport));
    expect(report.identities.length).toBeGreaterThan(10);
  });

  it('refuses to write into a folder that is not empty', async () => {
    const again = await runCliAsync(['collect', '--provider', 'aws', '--out', out], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/folder is not empty/);
  });
});

describe('agentscan scan --provider aws (live)', () => {
  it('collects and scans in one go, with the same identities as the demo bundle', async () => {
    emulator.reset({});
    const scan = await runCliAsync(['scan', '--provider', 'aws', '--format', 'json'], env);
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stderr).toBe('');
    const report = JSON.parse(scan.stdout) as JsonReport;
    expect(report.scope).toEqual([{ provider: 'aws', scope: DEMO_ACCOUNT }]);
    expect(comparable(report)).toEqual(comparable(demoReport));
    // Findings that do not depend on the day of collection are the same too.
    const ids = (r: JsonReport) => new Set(r.findings.filter((f) => f.family === 'over-scoped').map((f) => f.fingerprint));
    expect(ids(report)).toEqual(ids(demoReport));
  });

  // In-process: the exit code of a partial collection is checked by the multi-account run below.
  it('records the missing permission in the coverage when a call is denied, and the scan is partial', async () => {
    emulator.reset({ faults: [deny('GenerateCredentialReport')] });
    useEmulator(emulator);
    const { dir } = await collectInProcess();
    vi.unstubAllEnvs();
    const rules = loadRules();
    const report = analyseBundle(loadBundle(dir), { rules, settings: new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }])), patterns: loadPatterns(), now: new Date().toISOString() });
    expect(isIncomplete(report)).toBe(true);
    expect(report.coverage.find((c) => c.status === 'error')).toMatchObject({
      provider: 'aws',
      scope: DEMO_ACCOUNT,
      call: 'iam:GetCredentialReport',
      message: expect.stringMatching(/^AccessDenied: iam:GenerateCredentialReport/),
    });
    expect(report.identities.length).toBeGreaterThan(10);
  });

  it('says what is wrong when there are no usable credentials (exit 2)', async () => {
    emulator.reset({});
    const scan = await runCliAsync(['scan', '--provider', 'aws'], { ...env, AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000' });
    expect(scan.code).toBe(2);
    expect(scan.stderr).toMatch(/could not tell which account the credentials belong to — InvalidClientTokenId: sts:GetCallerIdentity/);
    expect(scan.stderr).not.toContain(env.AWS_SECRET_ACCESS_KEY!);
  });

  it('takes credentials and region from a shared-config profile with --profile', async () => {
    const home = scratchDir();
    writeFileSync(join(home, 'credentials'), `[audit]\naws_access_key_id = ${env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${env.AWS_SECRET_ACCESS_KEY}\n`);
    writeFileSync(join(home, 'config'), '[profile audit]\nregion = eu-west-1\n');
    const profileEnv = {
      ...env,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_REGION: undefined,
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_CONFIG_FILE: join(home, 'config'),
    };
    emulator.reset({});
    const scan = await runCliAsync(['scan', '--provider', 'aws', '--profile', 'audit', '--format', 'json'], profileEnv);
    expect(scan.code, scan.stderr).toBe(0);
    expect(new Set(emulator.requests.filter((r) => r.service === 'sts').map((r) => r.region))).toEqual(new Set(['eu-west-1']));
    const withRegion = await runCliAsync(['collect', '-p', 'aws', '--out', join(home, 'b'), '--profile', 'audit', '--region', 'ap-southeast-2'], profileEnv);
    expect(withRegion.code, withRegion.stderr).toBe(0);
    expect(emulator.requests.at(-1)?.region).toBe('ap-southeast-2');
    // Without the profile there are no credentials at all.
    expect((await runCliAsync(['scan', '--provider', 'aws'], profileEnv)).code).toBe(2);
  });

  it('refuses live-collection options with a bundle, rather than ignoring them', async () => {
    const scan = await runCliAsync(['scan', '--demo', '--aws-organization', '--aws-assume-role', 'x'], env);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toMatch(/--aws-organization, --aws-assume-role apply to live collection, not to --demo/);
  });

  it('refuses a live gcp scan that does not say what to collect, before calling anything', async () => {
    const scan = await runCliAsync(['scan', '--provider', 'gcp'], env);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toMatch(/Google Cloud: say what to collect with --gcp-projects/);
  });
});

describe('multi-account from the CLI', () => {
  it('collects --aws-accounts through the role, exits 3 for the account it cannot enter, and the bundle scans as partial', async () => {
    const home = '777777777777';
    const member = '888888888888';
    const local = await AwsIamEmulator.start({
      accounts: [syntheticEstate({ id: home, users: 2, usersWithKeys: 1, roles: 1 }), syntheticEstate({ id: member, users: 3, usersWithKeys: 2, roles: 2 })],
      assumableRole: 'agentscan-read',
    });
    try {
      const out = join(scratchDir(), 'org');
      const run = await runCliAsync(
        ['collect', '-p', 'aws', '--out', out, '--aws-accounts', `${member},999999999999`, '--aws-assume-role', 'agentscan-read', '--concurrency', '2'],
        local.env(),
      );
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/aws 999999999999 sts:AssumeRole: AccessDenied: sts:AssumeRole/);
      const scan = await runCliAsync(['scan', '--from', out, '--format', 'json'], local.env());
      expect(scan.code).toBe(3);
      const report = JSON.parse(scan.stdout) as JsonReport;
      expect(new Set(report.identities.map((i) => i.id.split(':')[1]))).toEqual(new Set([member]));
      for (const secret of local.issuedSecrets) expect(run.stderr + readText(join(out, 'bundle.json'))).not.toContain(secret);
    } finally {
      await local.close();
    }
  });

  it('rejects a malformed account id (exit 2)', async () => {
    const run = await runCliAsync(['collect', '-p', 'aws', '--out', join(scratchDir(), 'x'), '--aws-accounts', '12345'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a 12-digit AWS account id: 12345/);
  });
});

describe('agentscan permissions aws', () => {
  it('prints a read-only policy that allows every call the collector made', async () => {
    const run = await runCliAsync(['permissions', 'aws'], env);
    expect(run.code).toBe(0);
    const policy = JSON.parse(run.stdout);
    expect(policy.Version).toBe('2012-10-17');
    const allowed: string[] = policy.Statement.flatMap((s: any) => s.Action);
    expect(allowed).toEqual(ACCOUNT_READ_ACTIONS);
    expect(allowed.every((a) => /^iam:(Get|List|Generate)/.test(a))).toBe(true);
    // sts:GetCallerIdentity needs no permission; every other call the collection above made is allowed.
    const used = new Set(collectRequests.map((r) => `${r.service}:${r.action}`));
    used.delete('sts:GetCallerIdentity');
    expect(used.size).toBe(7);
    expect([...used].filter((a) => !allowed.includes(a))).toEqual([]);
  });

  it('adds AssumeRole on the named role and ListAccounts for many accounts, and gives the member role trust policy', () => {
    const multi = scannerPolicy({ multiAccount: true, roleName: 'scanner-read' });
    expect(multi.Statement.find((s) => s.Action.includes('sts:AssumeRole'))?.Resource).toBe('arn:aws:iam::*:role/scanner-read');
    expect(multi.Statement.some((s) => s.Action.includes('organizations:ListAccounts'))).toBe(true);
    expect(scannerPolicy().Statement).toHaveLength(1);
    expect(memberRoleTrustPolicy('arn:aws:iam::111111111111:role/scanner').Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:role/scanner' },
      Action: 'sts:AssumeRole',
    });
  });
});
