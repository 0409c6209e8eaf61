import { describe, expect, it } from 'vitest';
import { applySuppressions, type Suppression } from '../../src/config/suppressions.js';
import type { Finding } from '../../src/model/finding.js';

const f = (ruleId: string, identityId: string): Finding => ({
  ruleId,
  title: 't',
  family: 'ownership',
  severity: 'low',
  provider: 'gcp',
  identityId,
  identityName: identityId.split('/').pop()!,
  target: { type: 'identity', key: '' },
  message: 'm',
  evidence: {},
  remediation: { text: 'r' },
  owasp: ['NHI1'],
  fingerprint: `${ruleId}-${identityId}`,
});

const s = (over: Partial<Suppression>): Suppression => ({ rule: 'no-owner', identity: '*', reason: 'why', source: 'agentscan.yaml#0', ...over });

describe('suppressions', () => {
  const findings = [f('no-owner', 'gcp:p:sa/a'), f('no-owner', 'aws:1:role/b'), f('credential-too-old', 'gcp:p:sa/a')];

  it('mutes matching findings by rule and identity pattern, keeping them with the reason', () => {
    const { findings: out, views } = applySuppressions(findings, [s({ identity: 'gcp:*', reason: 'tracked elsewhere' })], '2026-11-20T00:00:00Z');
    expect(out.map((x) => x.suppression?.reason)).toEqual(['tracked elsewhere', undefined, undefined]);
    expect(views[0]).toMatchObject({ matched: 1, expired: false });
  });

  it('matches identity names too', () => {
    const { findings: out } = applySuppressions(findings, [s({ identity: 'b' })], '2026-11-20T00:00:00Z');
    expect(out[1].suppression).toBeDefined();
  });

  it('stops muting once expired, and says so', () => {
    const { findings: out, views } = applySuppressions(findings, [s({ expires: '2026-11-01' })], '2026-11-20T00:00:00Z');
    expect(out.every((x) => !x.suppression)).toBe(true);
    expect(views[0]).toMatchObject({ expired: true, expiredDays: 18, matched: 2 });
  });

  it('counts the expiry day itself as still valid', () => {
    const { findings: out } = applySuppressions(findings, [s({ expires: '2026-11-20' })], '2026-11-20T12:00:00Z');
    expect(out[0].suppression?.expires).toBe('2026-11-20');
  });
});
