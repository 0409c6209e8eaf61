import type { Drift, IdentityRef } from '../../src/model/drift.js';
import type { Finding } from '../../src/model/finding.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { makeIdentity } from './identity.js';

// Hand-made scans for the HTML report's tests: small, with the cases the demo lacks —
// hostile names and messages, a suppressed finding, a failed call, and a drift.

/** Set window.__xss if any of them ever runs; the tests check it never does. */
export const XSS_IMG = '<img src=x onerror="window.__xss=1">';
export const XSS_SCRIPT = '</script><script>window.__xss=2</script>';
export const XSS_NAME = '<script>window.__xss=3</script>';

export function makeFinding(partial: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'credential-too-old',
    title: 'Credential older than allowed',
    family: 'stale-credential',
    severity: 'medium',
    provider: 'aws',
    identityId: 'aws:111111111111:role/test-identity',
    identityName: 'test-identity',
    target: { type: 'identity', key: '' },
    message: 'a finding',
    evidence: {},
    remediation: { text: 'Fix it.' },
    owasp: ['NHI7'],
    fingerprint: `fp-${Math.random().toString(16).slice(2)}`,
    ...partial,
  };
}

export function makeScan(partial: Partial<ScanResult> = {}): ScanResult {
  return {
    collectedAt: '2026-11-20T09:30:00Z',
    bundleTool: { name: 'agentscan', version: '0.1.0' },
    scope: [{ provider: 'aws', scope: '111111111111' }],
    coverage: [{ provider: 'aws', scope: '111111111111', call: 'iam:GetAccountAuthorizationDetails', status: 'ok' }],
    identities: [],
    findings: [],
    ruleErrors: [],
    rules: [],
    ...partial,
  };
}

const ref = (id: string, name: string, verdict: IdentityRef['verdict'] = 'agent'): IdentityRef => ({
  id,
  provider: 'aws',
  kind: 'iam-role',
  name,
  verdict,
});

/** One of every kind of change the Drift type can carry. */
export function makeDrift(findings: { new: Finding[]; resolved: Finding[]; unchanged: Finding[] }): Drift {
  const changed = ref('aws:111111111111:role/hostile', XSS_NAME);
  return {
    baseline: { source: 'baseline.json', collectedAt: '2026-10-01T08:00:00Z' },
    current: { collectedAt: '2026-11-20T09:30:00Z' },
    identities: {
      added: [ref('aws:111111111111:role/new-agent', 'new-agent')],
      removed: [ref('aws:111111111111:role/old-agent', 'old-agent', 'automation')],
      changed: [
        {
          identity: changed,
          credentials: {
            created: [{ id: 'AKIANEWKEY', type: 'access-key', createdAt: '2026-11-01T00:00:00Z' }],
            deleted: [{ id: 'AKIAGONE', type: 'access-key' }],
            rotated: [{ from: { id: 'AKIAOLD', type: 'access-key' }, to: { id: 'AKIAROTATED', type: 'access-key', createdAt: '2026-11-02T00:00:00Z' } }],
            newlyUsed: [{ id: 'AKIAUSED', type: 'access-key', lastUsedAt: '2026-11-10T00:00:00Z' }],
            newlyExpired: [{ id: 'secret-1', type: 'client-secret', expiresAt: '2026-11-05T00:00:00Z' }],
          },
          entitlements: {
            granted: [
              {
                key: 'managed-policy:AdministratorAccess:*',
                via: { type: 'managed-policy', name: 'AdministratorAccess' },
                resource: '*',
                level: 'admin',
                permissions: ['*'],
                standing: true,
              },
            ],
            revoked: [
              {
                key: 'inline-policy:read:*',
                via: { type: 'inline-policy', name: 'read' },
                resource: '*',
                level: 'read',
                permissions: ['s3:GetObject'],
                standing: true,
              },
            ],
            changed: [
              {
                from: { key: 'k', via: { type: 'inline-policy', name: 'data' }, resource: '*', level: 'read', permissions: ['s3:GetObject'], standing: true },
                to: { key: 'k', via: { type: 'inline-policy', name: 'data' }, resource: '*', level: 'write', permissions: ['s3:GetObject', 's3:PutObject'], standing: true },
                added: ['s3:PutObject'],
                removed: [],
              },
            ],
          },
          verdict: { from: 'unknown', to: 'agent' },
        },
      ],
    },
    findings,
  };
}

/** Hostile values everywhere cloud data reaches the page, one suppressed and one new finding, and a drift. */
export function hostileScan(): ScanResult {
  const hostile = makeIdentity({ id: 'aws:111111111111:role/hostile', name: XSS_NAME, verdict: 'agent', tags: { note: XSS_IMG } });
  const plain = makeIdentity({ id: 'aws:111111111111:role/plain', name: 'plain-role' });
  const xss = makeFinding({
    ruleId: 'trust-any-principal',
    title: 'Identity can be assumed by anyone',
    family: 'over-scoped',
    severity: 'critical',
    identityId: hostile.id,
    identityName: hostile.name,
    message: `role message ${XSS_IMG}`,
    evidence: { via: XSS_SCRIPT, principals: ['*', XSS_IMG] },
    remediation: { text: `Restrict the trust policy ${XSS_IMG}`, command: `aws iam update-assume-role-policy --role-name '${XSS_NAME}'` },
    fingerprint: 'fp-xss',
    baselineState: 'new',
  });
  const muted = makeFinding({
    ruleId: 'no-owner',
    title: 'No owner',
    family: 'ownership',
    severity: 'high',
    identityId: plain.id,
    identityName: plain.name,
    message: 'nobody owns plain-role',
    fingerprint: 'fp-muted',
    suppression: { reason: `owned by the platform team ${XSS_IMG}`, expires: '2027-01-01', source: 'agentscan.yaml' },
    baselineState: 'unchanged',
  });
  const old = makeFinding({ identityId: plain.id, identityName: plain.name, message: 'key is 400 days old', fingerprint: 'fp-old', baselineState: 'unchanged' });
  const resolved = makeFinding({ ruleId: 'credential-unused', identityName: 'old-agent', message: 'resolved since', fingerprint: 'fp-gone' });
  return makeScan({
    identities: [hostile, plain],
    findings: [xss, muted, old],
    drift: makeDrift({ new: [xss], resolved: [resolved], unchanged: [muted, old] }),
  });
}
