import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error the benchmark generator is plain JavaScript without type declarations
import { generateBundle } from '../../scripts/bench/generate.mjs';
import { loadBundle } from '../../src/bundle/load.js';
import { prepareAnalysis } from '../../src/cli/analysis-setup.js';
import { analyseBundle } from '../../src/scan/analyse.js';

// Speed-ups (shared AWS analyses, CEL values converted once, indexes in the normalizers) must
// not change a single finding. The benchmark generator is deterministic, so a generated estate
// of 2,000 identities over the four providers pins the findings by the hash of their JSON, as
// the analysis before those speed-ups (commit 40da314) gave them. A deliberate change of
// results (a new rule, a precision fix) changes the hash: check the new findings are the
// intended ones, then put the new hash here (the test prints it).
const EXPECTED = {
  findings: 3028,
  sha256: 'ce0dbb48e1703a4e398cb157cf9b1df65265625faf0d505c571896a8d50314d2',
};

const dir = mkdtempSync(join(tmpdir(), 'agentscan-unchanged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findings of a generated four-provider estate', () => {
  it('are byte-identical to those before the speed-ups', () => {
    const out = join(dir, 'bundle');
    generateBundle({ out, counts: { aws: 500, gcp: 500, github: 500, entra: 500 }, seed: 'agentscan-bench' });
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const result = analyseBundle(loadBundle(out), { ...options, now: '2026-12-01T00:00:00Z' });
    const sha256 = createHash('sha256').update(JSON.stringify(result.findings)).digest('hex');
    expect(result.identities.length).toBeGreaterThanOrEqual(2000);
    expect({ findings: result.findings.length, sha256 }).toEqual(EXPECTED);
  }, 180_000);
});
