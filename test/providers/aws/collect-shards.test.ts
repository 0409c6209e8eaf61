import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { shardOf } from '../../../src/collect/shard.js';
import type { JsonReport } from '../../../src/report/json.js';
import { AwsIamEmulator, type EmulatorOptions } from '../../emulators/aws-iam.js';
import { isOrganizationScope } from '../../../src/providers/aws/files.js';
import { flatOrgTree, syntheticEstate } from '../../emulators/aws-estate.js';
import { runCli } from '../../helpers/cli.js';
import { collectInProcess, removeScratch, useEmulator } from './collect-helpers.js';

// Organization scale across CI jobs: `collect --shard I/N` in N jobs, then one `scan --from …`
// over the N bundles gives exactly the scan of one unsharded collection.

const HOME = '100000000000';
const ROLE = 'agentscan-read';
const ids = Array.from({ length: 9 }, (_, i) => String(100000000000 + i * 111111111));
const options: EmulatorOptions = {
  accounts: ids.map((id, i) => syntheticEstate({ id, users: 1 + (i % 3), usersWithKeys: i % 2, roles: 1 + (i % 2), alias: `acct-${i}` })),
  home: HOME,
  callerArn: `arn:aws:iam::${HOME}:role/security-scanner`,
  assumableRole: ROLE,
  orgTree: flatOrgTree(ids),
  organization: ids.map((Id, i) => ({ Id, Name: `acct-${i}`, State: 'ACTIVE' })),
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

const comparable = (r: JsonReport) => ({
  identities: r.identities,
  findings: r.findings.map((f) => f.fingerprint).sort(),
  coverage: r.coverage,
  complete: r.complete,
});

function scanJson(args: string[]): JsonReport {
  const r = runCli(['scan', ...args, '-f', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as JsonReport;
}

describe('--shard I/N', () => {
  it('assigns every scope to exactly one shard, by its id alone', () => {
    for (const id of ids) {
      const s = shardOf('aws', id, 3);
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(3);
      expect(shardOf('aws', id, 3)).toBe(s);
    }
    expect(new Set(ids.map((id) => shardOf('aws', id, 3))).size).toBeGreaterThan(1);
  });

  it('collects the organization in three shards whose merged scan equals the unsharded one', async () => {
    emulator.reset({ faults: [], latencyMs: 0 });
    useEmulator(emulator);
    const whole = await collectInProcess({ organization: true, assumeRole: ROLE });
    const shards = [];
    for (let index = 1; index <= 3; index++) shards.push(await collectInProcess({ organization: true, assumeRole: ROLE, shard: { index, count: 3 } }));

    // Every shard reads the organisation's control policies; its accounts are its own.
    for (const s of shards) expect(s.manifest.sources.filter((x) => isOrganizationScope(x.scope)).map((x) => x.scope)).toEqual(['o-flat000001']);
    const scopes = shards.map((s) => s.manifest.sources.map((x) => x.scope).filter((x) => !isOrganizationScope(x)));
    expect(scopes.flat().sort()).toEqual([...ids].sort());
    scopes.forEach((list, i) => list.forEach((id) => expect(shardOf('aws', id, 3)).toBe(i + 1)));

    const merged = scanJson(shards.flatMap((s) => ['--from', s.dir]));
    expect(comparable(merged)).toEqual(comparable(scanJson(['--from', whole.dir])));

    // A folder holding the shard bundles is the same as naming each.
    const parent = mkdtempSync(join(tmpdir(), 'agentscan-shards-'));
    shards.forEach((s, i) => cpSync(s.dir, join(parent, `shard-${i + 1}`), { recursive: true }));
    expect(comparable(scanJson(['--from', parent]))).toEqual(comparable(merged));
  });

  it('accepts a scope collected twice with the same data, and refuses one whose copies disagree', async () => {
    emulator.reset({ faults: [], latencyMs: 0 });
    useEmulator(emulator);
    const a = await collectInProcess({ accounts: [HOME] });
    const same = mkdtempSync(join(tmpdir(), 'agentscan-copy-'));
    cpSync(a.dir, same, { recursive: true });
    expect(comparable(scanJson(['--from', a.dir, '--from', same]))).toEqual(comparable(scanJson(['--from', a.dir])));

    const alias = join(same, 'aws', HOME, 'iam-list-account-aliases.json');
    writeFileSync(alias, readFileSync(alias, 'utf8').replace('acct-0', 'renamed'));
    const r = runCli(['scan', '--from', a.dir, '--from', same]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`aws ${HOME} is in both`);
    expect(r.stderr).toContain('with different data');
  });

  it('joins copies of one scope that hold different parts of it, as shards reading role definitions do', () => {
    const demo = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'demo');
    const part = mkdtempSync(join(tmpdir(), 'agentscan-part-'));
    cpSync(demo, part, { recursive: true });
    const keys = join(part, 'gcp', 'acme-ml-prod', 'iam-projects-serviceAccounts-keys-list');
    const one = readdirSync(keys)[0];
    rmSync(join(keys, one));
    const joined = scanJson(['--from', part, '--from', demo]);
    expect(comparable(joined).identities).toEqual(comparable(scanJson(['--from', demo])).identities);
  });

  it('rejects a malformed shard', () => {
    const r = runCli(['collect', '--provider', 'aws', '--out', join(tmpdir(), 'never'), '--shard', '4/3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected I/N');
  });
});
