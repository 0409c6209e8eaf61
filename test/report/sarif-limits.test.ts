import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/model/finding.js';
import { SEVERITY_RANK } from '../../src/model/finding.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { buildSarif, renderSarif, SARIF_LIMITS, sarifLimits } from '../../src/report/sarif.js';
import { evaluateRules } from '../../src/rules/evaluate.js';
import { loadRules } from '../../src/rules/load.js';
import { makeIdentity } from '../helpers/identity.js';
import { validateSarif } from '../helpers/sarif-schema.js';

// GitHub code scanning rejects a run of more than 25,000 results and a file over 10 MB
// compressed, and keeps only the 5,000 most severe results: the SARIF log must stay inside.

const NOW = '2026-11-20T09:30:00Z';
const rules = loadRules();

/** Identities with findings of every severity: agents with admin, stale keys, open trust. */
function bigScan(n: number): ScanResult {
  const identities = Array.from({ length: n }, (_, i) =>
    makeIdentity({
      id: `aws:111111111111:role/r-${i}`,
      name: `r-${i}`,
      verdict: i % 3 === 0 ? 'agent' : undefined,
      owners: i % 2 ? [] : [{ id: 'o@example.com', kind: 'user', source: 'tag' }],
      trustedBy: i % 5 === 0 ? [{ principal: '*', kind: 'any', via: 'trust policy' }] : [],
      credentials: [{ id: `AKIAEXAMPLE${String(i).padStart(9, '0')}`, type: 'access-key', status: 'active', createdAt: '2024-01-01T00:00:00Z' }],
      entitlements: [
        {
          // Long enough that evidence quoting it must be cut.
          permissions: Array.from({ length: 60 }, (_, k) => `s3:Action${k}`),
          resource: '*',
          scope: 'global',
          via: { type: 'managed-policy', name: 'Broad', id: 'arn:aws:iam::aws:policy/Broad' },
          level: i % 4 === 0 ? 'admin' : 'write',
          standing: true,
          risks: ['data-exfiltration'],
          effect: 'allow',
        },
      ],
    }),
  );
  const { findings, errors } = evaluateRules(identities, rules, NOW);
  return {
    collectedAt: NOW,
    bundleTool: { name: 'agentscan', version: 'test' },
    scope: [{ provider: 'aws', scope: '111111111111' }],
    coverage: [],
    identities,
    findings,
    ruleErrors: errors,
    rules,
  };
}

const scan = bigScan(120);
const rank = (s: Severity) => SEVERITY_RANK[s];

describe('SARIF within code scanning limits', () => {
  it('keeps the most severe results when there are more than the limit, and says so', () => {
    expect(scan.findings.length).toBeGreaterThan(60);
    const warnings: string[] = [];
    const log = buildSarif(scan, { artifactUri: 'bundle.json', limits: { results: 40, gzipBytes: 9_500_000 }, warn: (m) => warnings.push(m) });
    const run = log.runs[0];
    expect(run.results).toHaveLength(40);
    const keptPrints = new Set(run.results!.map((r) => r.partialFingerprints![ 'agentscan/v1']));
    const kept = scan.findings.filter((f) => keptPrints.has(f.fingerprint));
    const left = scan.findings.filter((f) => !keptPrints.has(f.fingerprint));
    // No result left out is more severe than one kept.
    const weakestKept = Math.min(...kept.map((f) => rank(f.severity)));
    expect(Math.max(...left.map((f) => rank(f.severity)))).toBeLessThanOrEqual(weakestKept);
    expect(run.properties?.['agentscan/results']).toEqual({ total: scan.findings.length, kept: 40, omitted: scan.findings.length - 40, limit: 40 });
    const note = run.invocations![0].toolExecutionNotifications!.find((n) => n.level === 'warning');
    expect(note?.message.text).toContain(`${scan.findings.length - 40} of ${scan.findings.length} results left out`);
    expect(warnings).toEqual([expect.stringContaining(`${scan.findings.length - 40} of ${scan.findings.length} results left out`)]);
    expect(validateSarif(JSON.parse(JSON.stringify(log)))).toBe(true);
  });

  it('writes everything, with no note, when within the limit', () => {
    const warnings: string[] = [];
    const run = buildSarif(scan, { artifactUri: 'bundle.json', warn: (m) => warnings.push(m) }).runs[0];
    expect(run.results).toHaveLength(scan.findings.length);
    expect(run.properties).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('stays under the compressed size limit, leaving out the least severe', () => {
    const limit = 20_000;
    const full = gzipSync([...renderSarif(scan, { artifactUri: 'bundle.json' })].join('')).length;
    expect(full).toBeGreaterThan(limit);
    const text = [...renderSarif(scan, { artifactUri: 'bundle.json', limits: { results: 25000, gzipBytes: limit } })].join('');
    expect(gzipSync(text).length).toBeLessThanOrEqual(limit);
    const run = JSON.parse(text).runs[0];
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.results.length).toBeLessThan(scan.findings.length);
    expect(run.properties['agentscan/results'].omitted).toBe(scan.findings.length - run.results.length);
  });

  it('writes in chunks the exact text of the whole log laid out at once', () => {
    // Results are laid out one by one and re-indented: the bytes must be those of one stringify.
    const opts = { artifactUri: 'bundle.json', limits: { results: 25000, gzipBytes: 9_500_000 } };
    const chunks = [...renderSarif(scan, opts)];
    expect(chunks.length).toBeGreaterThan(1);
    const text = chunks.join('');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(JSON.parse(text).runs[0].results).toHaveLength(scan.findings.length);
    // A rule titled like the stand-in for the results does not move them.
    const titled = { ...scan, rules: scan.rules.map((r, i) => (i === 0 ? { ...r, title: '\u0000results' } : r)) };
    const log = JSON.parse([...renderSarif(titled, opts)].join(''));
    expect(log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === scan.rules[0].id).shortDescription.text).toBe('\u0000results');
    expect(log.runs[0].results).toHaveLength(scan.findings.length);
    // A log without results has no results to lay out, and the same shape.
    const empty = [...renderSarif({ ...scan, findings: [] }, opts)].join('');
    expect(JSON.parse(empty).runs[0].results).toEqual([]);
    expect(empty).toBe(`${JSON.stringify(JSON.parse(empty), null, 2)}\n`);
  });

  it('measures the compressed size close to the written file, never under it', () => {
    // The size is measured a megabyte at a time: the whole log must fit a limit just above its
    // compressed size and be cut at a limit just under it.
    const big = bigScan(1500);
    const opts = { artifactUri: 'bundle.json', limits: { results: 25000, gzipBytes: 10_000_000 } };
    const whole = [...renderSarif(big, opts)].join('');
    const actual = gzipSync(whole).length;
    expect(whole.length).toBeGreaterThan(3 << 20);
    const fits = (gzipBytes: number) => JSON.parse([...renderSarif(big, { ...opts, limits: { results: 25000, gzipBytes } })].join('')).runs[0].results.length === big.findings.length;
    expect(fits(Math.ceil(actual * 1.002))).toBe(true);
    expect(fits(actual - 1)).toBe(false);
  });

  it('cuts long evidence lists and keeps rule tags within what code scanning shows', () => {
    const log = buildSarif(scan, { artifactUri: 'bundle.json' });
    const lists = log.runs[0].results!.flatMap((r) => Object.values((r.properties!.evidence ?? {}) as Record<string, unknown>)).filter(Array.isArray);
    expect(lists.some((l) => l.includes('… and 40 more'))).toBe(true);
    expect(Math.max(...lists.map((l) => l.length))).toBeLessThanOrEqual(SARIF_LIMITS.evidenceItems + 1);
    for (const r of log.runs[0].tool.driver.rules!) expect((r.properties!.tags as string[]).length).toBeLessThanOrEqual(10);
  });

  it('takes its limits from the environment, never past the hard limit', () => {
    expect(sarifLimits({ AGENTSCAN_SARIF_MAX_RESULTS: '100' }).results).toBe(100);
    expect(sarifLimits({}).results).toBe(5000);
    expect(() => sarifLimits({ AGENTSCAN_SARIF_MAX_RESULTS: '30000' })).toThrow(/AGENTSCAN_SARIF_MAX_RESULTS=30000/);
  });
});
