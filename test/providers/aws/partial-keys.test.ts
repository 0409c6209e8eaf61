import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadBundle } from '../../../src/bundle/load.js';
import { loadPatterns } from '../../../src/classify/patterns.js';
import { loadRules } from '../../../src/rules/load.js';
import { analyseBundle, isIncomplete } from '../../../src/scan/analyse.js';
import type { ScanResult } from '../../../src/model/scan-result.js';
import { AwsIamEmulator } from '../../emulators/aws-iam.js';
import { estateFromBundle } from '../../emulators/aws-estate.js';
import { ROOT } from '../../helpers/cli.js';
import { collectInProcess, removeScratch, useEmulator } from './collect-helpers.js';

// A user the collection lists (in the report and the authorization details) whose key listing
// answers NoSuchEntity: the scan holds a user whose keys it could not read, so it is partial,
// and the findings about those keys (now known only from the credential report) keep the
// fingerprints they had, so a `--new-only` gate does not fail on old problems. In-process: a
// live scan is collect then scan --from, which collect-cli.test.ts checks end to end.

const DEMO_ACCOUNT = '314159265358';
let emulator: AwsIamEmulator;
const rules = loadRules();
const settings = new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }]));

beforeAll(async () => {
  emulator = await AwsIamEmulator.start({ accounts: [estateFromBundle(join(ROOT, 'fixtures', 'demo', 'aws', DEMO_ACCOUNT), DEMO_ACCOUNT)] });
});
afterEach(() => vi.unstubAllEnvs());
afterAll(async () => {
  await emulator.close();
  removeScratch();
});

async function liveScan(faults: Parameters<AwsIamEmulator['reset']>[0]['faults'] = []): Promise<ScanResult> {
  emulator.reset({ faults });
  useEmulator(emulator);
  const { dir } = await collectInProcess();
  return analyseBundle(loadBundle(dir), { rules, settings, patterns: loadPatterns(), now: '2026-11-20T09:30:00Z' });
}

describe('NoSuchEntity for a listed user', () => {
  it('makes the scan partial (exit 3) and leaves every fingerprint as the complete scan had it', async () => {
    const full = await liveScan();
    expect(isIncomplete(full)).toBe(false);
    const partial = await liveScan([{ action: 'ListAccessKeys', error: { code: 'NoSuchEntity', status: 404, message: 'The user with name x cannot be found.' } }]);
    // Partial: the scan exits 3.
    expect(isIncomplete(partial)).toBe(true);
    const entry = partial.coverage.find((c) => c.call === 'iam:ListAccessKeys')!;
    expect(entry.status).toBe('error');
    expect(entry.message).toMatch(/^NoSuchEntity: iam:ListAccessKeys for user [\w-]+, whom this collection lists/);

    const keyFindings = (r: ScanResult) => r.findings.filter((f) => f.target.type === 'credential');
    expect(keyFindings(full).length).toBeGreaterThan(0);
    // The key ids differ (AKIA… against report slots), the fingerprints do not.
    expect(keyFindings(partial).map((f) => f.credentialId)).not.toEqual(keyFindings(full).map((f) => f.credentialId));
    const prints = (r: ScanResult) => r.findings.map((f) => f.fingerprint).sort();
    expect(prints(partial)).toEqual(prints(full));
  });
});
