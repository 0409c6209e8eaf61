import { describe, expect, it } from 'vitest';
import { buildSarif, FINGERPRINT_KEY } from '../../src/report/sarif.js';
import { loadRules } from '../../src/rules/load.js';
import { evaluateRules } from '../../src/rules/evaluate.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { makeIdentity } from '../helpers/identity.js';
import { validateSarif } from '../helpers/sarif-schema.js';

const NOW = '2026-11-20T09:30:00Z';
const rules = loadRules();

function scanOf(identities = [makeIdentity({
  name: 'legacy-break-glass',
  trustedBy: [{ principal: '*', kind: 'any', via: 'trust policy' }],
  credentials: [{ id: 'AKIAEXAMPLE0000009', type: 'access-key', status: 'active', createdAt: '2025-01-01T00:00:00Z' }],
})]): ScanResult {
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

describe('SARIF output', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    const log = buildSarif(scanOf(), { artifactUri: 'fixtures/demo/bundle.json' });
    const ok = validateSarif(JSON.parse(JSON.stringify(log)));
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is checked by a validator that does reject a broken log', () => {
    const log = JSON.parse(JSON.stringify(buildSarif(scanOf(), { artifactUri: 'x' })));
    delete log.runs[0].results[0].message;
    expect(validateSarif(log)).toBe(false);
  });

  it('describes every rule with help text and a security-severity', () => {
    const driver = buildSarif(scanOf(), { artifactUri: 'x' }).runs[0].tool.driver;
    expect(driver.rules).toHaveLength(rules.length);
    for (const r of driver.rules!) {
      expect(r.help?.text.length).toBeGreaterThan(20);
      expect(r.help?.markdown).toContain('**Remediation.**');
      expect(Number(r.properties?.['security-severity'])).toBeGreaterThanOrEqual(0);
    }
    expect(driver.rules!.find((r) => r.id === 'trust-any-principal')?.properties?.['security-severity']).toBe('9.5');
  });

  it('gives each result a physical location, its rule index and a stable fingerprint', () => {
    const a = buildSarif(scanOf(), { artifactUri: 'fixtures/demo/bundle.json' }).runs[0];
    const b = buildSarif(scanOf(), { artifactUri: 'fixtures/demo/bundle.json' }).runs[0];
    expect(a.results!.length).toBeGreaterThan(1);
    for (const [i, r] of a.results!.entries()) {
      expect(a.tool.driver.rules![r.ruleIndex!].id).toBe(r.ruleId);
      expect(r.locations![0].physicalLocation!.artifactLocation!.uri).toBe('fixtures/demo/bundle.json');
      expect(r.locations![0].physicalLocation!.region!.startLine).toBe(1);
      expect(r.partialFingerprints![FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
      expect(b.results![i].partialFingerprints).toEqual(r.partialFingerprints);
    }
  });

  it('keeps fingerprints when only volatile facts change', () => {
    const older = scanOf();
    const later = scanOf([
      makeIdentity({
        name: 'legacy-break-glass',
        lastUsedAt: '2026-11-19T00:00:00Z',
        trustedBy: [{ principal: '*', kind: 'any', via: 'trust policy' }],
        credentials: [
          { id: 'AKIAEXAMPLE0000009', type: 'access-key', status: 'active', createdAt: '2025-01-01T00:00:00Z', lastUsedAt: '2026-11-18T00:00:00Z' },
        ],
      }),
    ]);
    const fp = (s: ScanResult) => s.findings.map((f) => `${f.ruleId}:${f.fingerprint}`).sort();
    expect(fp(later)).toEqual(fp(older));
  });

  it('reports an incomplete collection as an unsuccessful invocation', () => {
    const scan = { ...scanOf(), coverage: [{ provider: 'aws' as const, scope: '111111111111', call: 'iam:GenerateCredentialReport', status: 'error' as const, message: 'AccessDenied' }] };
    const inv = buildSarif(scan, { artifactUri: 'x' }).runs[0].invocations![0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications![0].message.text).toContain('iam:GenerateCredentialReport failed: AccessDenied');
  });
});
