import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../../src/report/json.js';
import { DISCOVERY_CALLS, ORG_CALLS } from '../../../src/providers/github/collect/calls.js';
import { githubAppPermissions } from '../../../src/providers/github/collect/permissions.js';
import { AwsIamEmulator } from '../../emulators/aws-iam.js';
import { estateFromBundle as awsEstate } from '../../emulators/aws-estate.js';
import { GithubEmulator } from '../../emulators/github.js';
import { ROOT } from '../../helpers/cli.js';
import { filesUnder, readText, removeScratch, runCliAsync, scratchDir } from '../aws/collect-helpers.js';
import { APP_ID, DEMO_ORG, FAST_ENV, TOKEN, appKeyFile, demoEmulatorOptions } from './collect-helpers.js';

// The CLI end to end, as processes: `collect --provider github` writes a bundle that `scan --from`
// reads, `scan --provider github` collects live, and both give what the emulator serves (the demo
// org, so the answer is known from fixtures/demo).

let emulator: GithubEmulator;
let env: Record<string, string | undefined>;
let app: string[];
let demoReport: JsonReport;

const identities = (r: JsonReport) => JSON.parse(JSON.stringify(r.identities)) as unknown[];
const findings = (r: JsonReport) => r.findings.map((f) => `${f.ruleId} ${f.identityId} ${f.fingerprint}`).sort();

beforeAll(async () => {
  emulator = await GithubEmulator.start(demoEmulatorOptions());
  env = { ...FAST_ENV, GITHUB_API_URL: emulator.apiUrl, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, GITHUB_APP_PRIVATE_KEY: undefined };
  app = ['--github-app-id', String(APP_ID), '--github-app-key-file', appKeyFile()];
  const demo = await runCliAsync(['scan', '--demo', '--provider', 'github', '--format', 'json'], env);
  expect(demo.code, demo.stderr).toBe(0);
  demoReport = JSON.parse(demo.stdout) as JsonReport;
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});

describe('agentscan collect --provider github, then scan --from', () => {
  let out: string;
  let collected: Awaited<ReturnType<typeof runCliAsync>>;
  let fromBundle: JsonReport;

  beforeAll(async () => {
    emulator.reset({});
    out = join(scratchDir(), 'bundle');
    // An org owner's token beside the App: the one call GitHub answers only to users is made with it.
    collected = await runCliAsync(['collect', '--provider', 'github', '--out', out, '--verbose', ...app], { ...env, GITHUB_TOKEN: TOKEN });
    const scan = await runCliAsync(['scan', '--from', out, '--format', 'json'], env);
    expect(scan.code, scan.stderr).toBe(0);
    fromBundle = JSON.parse(scan.stdout) as JsonReport;
  });

  it('writes a complete bundle and exits 0, logging call counts and never a secret', () => {
    expect(collected.code, collected.stderr).toBe(0);
    const manifest = JSON.parse(readText(join(out, 'bundle.json')));
    expect(manifest.sources).toEqual([{ provider: 'github', scope: DEMO_ORG, path: `github/${DEMO_ORG}` }]);
    expect(manifest.coverage.every((c: { status: string }) => c.status === 'ok')).toBe(true);
    const summary = new RegExp(`^github ${DEMO_ORG}: (\\d+) calls \\((\\d+) requests\\): .*POST /graphql \\(organization.repositories.deployKeys\\) 3`, 'm').exec(collected.stderr);
    expect(summary, collected.stderr).not.toBeNull();
    // Every call of the org's plan, counted; the App sign-in is not an org call.
    const orgRequests = emulator.requests.filter((r) => r.org === DEMO_ORG && r.route !== 'GET /orgs/{org}/installation').length;
    expect(Number(summary![1])).toBe(orgRequests);
    expect(collected.stderr).toMatch(/github: as GitHub App 424242 at http:\/\/127\.0\.0\.1:\d+/);
    for (const secret of [TOKEN, ...emulator.issuedSecrets, readFileSync(app[3], 'utf8').split('\n')[1]]) {
      expect(collected.stderr).not.toContain(secret);
      for (const f of filesUnder(out)) expect(readFileSync(join(out, f), 'utf8')).not.toContain(secret);
    }
  });

  it('scans into the identities of the demo bundle', () => {
    expect(fromBundle.complete).toBe(true);
    expect(identities(fromBundle)).toEqual(identities(demoReport));
    expect(fromBundle.identities.length).toBe(16);
    // Findings that do not depend on the day of collection are the demo's too.
    const overScoped = (r: JsonReport) => new Set(r.findings.filter((f) => f.family === 'over-scoped').map((f) => f.fingerprint));
    expect(overScoped(fromBundle)).toEqual(overScoped(demoReport));
    expect(fromBundle.findings.some((f) => f.ruleId === 'github-machine-user-org-owner')).toBe(true);
  });

  it('gives what a live scan gives on the same server', async () => {
    emulator.reset({});
    const live = await runCliAsync(['scan', '--provider', 'github', '--format', 'json', ...app], { ...env, GITHUB_TOKEN: TOKEN });
    expect(live.code, live.stderr).toBe(0);
    const report = JSON.parse(live.stdout) as JsonReport;
    expect(report.scope).toEqual([{ provider: 'github', scope: DEMO_ORG }]);
    expect(identities(report)).toEqual(identities(fromBundle));
    expect(findings(report)).toEqual(findings(fromBundle));
  });
});

describe('agentscan scan --provider github (live), failures and usage', () => {
  it('with a token, exits 3: what only an App reads is missing, and the report says how to fix it', async () => {
    emulator.reset({});
    const scan = await runCliAsync(['scan', '--provider', 'github', '--github-org', DEMO_ORG, '--format', 'json'], { ...env, GITHUB_TOKEN: TOKEN });
    expect(scan.code).toBe(3);
    const report = JSON.parse(scan.stdout) as JsonReport;
    expect(report.complete).toBe(false);
    expect(report.coverage.find((c) => c.call === 'GET /orgs/{org}/personal-access-tokens')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/--github-app-id/),
    });
    expect(report.identities.some((i) => i.kind === 'deploy-key')).toBe(true);
    expect(scan.stdout + scan.stderr).not.toContain(TOKEN);
    const allowed = await runCliAsync(['scan', '--provider', 'github', '--github-org', DEMO_ORG, '--allow-partial', '--format', 'json'], { ...env, GITHUB_TOKEN: TOKEN });
    expect(allowed.code).toBe(0);
  });

  it('exits 3 with the call and GitHub\'s message when a call is refused', async () => {
    emulator.reset({ faults: [{ route: 'GET /orgs/{org}/actions/secrets', status: 403, message: 'Resource not accessible by integration' }] });
    const run = await runCliAsync(['collect', '-p', 'github', '--out', join(scratchDir(), 'b'), ...app], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/github acme-corp GET \/orgs\/\{org\}\/actions\/secrets: HTTP 403: GET \/orgs\/\{org\}\/actions\/secrets \(Resource not accessible by integration\)/);
  });

  it('exits 2 with a clear message without a credential, or with a key file that is not a key', async () => {
    emulator.reset({});
    const none = await runCliAsync(['scan', '--provider', 'github'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/GitHub: no credential\. Set GITHUB_TOKEN \(or GH_TOKEN\)/);
    const notKey = join(scratchDir(), 'key.pem');
    writeFileSync(notKey, 'hello');
    const bad = await runCliAsync(['scan', '--provider', 'github', '--github-app-id', '1', '--github-app-key-file', notKey], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/key\.pem: not a PEM private key/);
  });

  it('collects AWS and GitHub in one run', async () => {
    const DEMO_ACCOUNT = '314159265358';
    const aws = await AwsIamEmulator.start({ accounts: [awsEstate(join(ROOT, 'fixtures', 'demo', 'aws', DEMO_ACCOUNT), DEMO_ACCOUNT)], reportPolls: 0 });
    try {
      emulator.reset({});
      const out = join(scratchDir(), 'both');
      const run = await runCliAsync(['collect', '-p', 'aws,github', '--out', out, ...app], { ...env, GITHUB_TOKEN: TOKEN, ...aws.env() });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/\(aws: 1 account, github: 1 organization\); every call succeeded/);
      const manifest = JSON.parse(readText(join(out, 'bundle.json')));
      expect(manifest.sources.map((s: { provider: string }) => s.provider).sort()).toEqual(['aws', 'github']);
    } finally {
      await aws.close();
    }
  });
});

describe('agentscan permissions github', () => {
  it('prints read-only App permissions and classic scopes covering every call the collector made', async () => {
    emulator.reset({});
    // An org owner's token beside the App, for the one call GitHub answers only to users.
    const collect = await runCliAsync(['collect', '-p', 'github', '--out', join(scratchDir(), 'p'), ...app], { ...env, GITHUB_TOKEN: TOKEN });
    expect(collect.code, collect.stderr).toBe(0);
    const run = await runCliAsync(['permissions', 'github'], env);
    expect(run.code).toBe(0);
    const granted = githubAppPermissions();
    expect(Object.values(granted).every((a) => a === 'read')).toBe(true);
    for (const [name] of Object.entries(granted)) expect(run.stdout).toContain(`    ${name}: read`);
    expect(run.stdout).toMatch(/classic scopes:\n {2}admin:org, read:org, repo\n/);
    // Every request the collection made is a call the permissions list names.
    const listed = [...ORG_CALLS, ...DISCOVERY_CALLS].map((c) => c.call.replace(/\?.*$/, '').replace(/ \(.*\)$/, ''));
    const made = new Set(emulator.requests.map((r) => r.route));
    expect([...made].filter((route) => !listed.includes(route))).toEqual([]);
    expect(made.size).toBeGreaterThan(10);
  });
});
