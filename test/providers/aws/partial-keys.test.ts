import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../../src/report/json.js';
import { AwsIamEmulator } from '../../emulators/aws-iam.js';
import { estateFromBundle } from '../../emulators/aws-estate.js';
import { ROOT } from '../../helpers/cli.js';
import { removeScratch, runCliAsync } from './collect-helpers.js';

// A user the collection lists (in the report and the authorization details) whose key listing
// answers NoSuchEntity: the scan holds a user whose keys it could not read, so it is partial,
// and the findings about those keys (now known only from the credential report) keep the
// fingerprints they had, so a `--new-only` gate does not fail on old problems.

const DEMO_ACCOUNT = '314159265358';
let emulator: AwsIamEmulator;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  emulator = await AwsIamEmulator.start({ accounts: [estateFromBundle(join(ROOT, 'fixtures', 'demo', 'aws', DEMO_ACCOUNT), DEMO_ACCOUNT)] });
  env = emulator.env();
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});

async function liveScan(faults: Parameters<AwsIamEmulator['reset']>[0]['faults'] = []) {
  emulator.reset({ faults });
  const run = await runCliAsync(['scan', '--provider', 'aws', '--format', 'json'], env);
  return { code: run.code, stderr: run.stderr, report: JSON.parse(run.stdout) as JsonReport };
}

describe('NoSuchEntity for a listed user', () => {
  it('makes the scan partial (exit 3) and leaves every fingerprint as the complete scan had it', async () => {
    const full = await liveScan();
    expect(full.code, full.stderr).toBe(0);
    const partial = await liveScan([{ action: 'ListAccessKeys', error: { code: 'NoSuchEntity', status: 404, message: 'The user with name x cannot be found.' } }]);
    expect(partial.code).toBe(3);
    expect(partial.report.complete).toBe(false);
    const entry = partial.report.coverage.find((c) => c.call === 'iam:ListAccessKeys')!;
    expect(entry.status).toBe('error');
    expect(entry.message).toMatch(/^NoSuchEntity: iam:ListAccessKeys for user [\w-]+, whom this collection lists/);

    const keyFindings = (r: JsonReport) => r.findings.filter((f) => f.target.type === 'credential');
    expect(keyFindings(full.report).length).toBeGreaterThan(0);
    // The key ids differ (AKIA… against report slots), the fingerprints do not.
    expect(keyFindings(partial.report).map((f) => f.credentialId)).not.toEqual(keyFindings(full.report).map((f) => f.credentialId));
    const prints = (r: JsonReport) => r.findings.map((f) => f.fingerprint).sort();
    expect(prints(partial.report)).toEqual(prints(full.report));
  });
});
