import { describe, expect, it } from 'vitest';
import { computeDrift, markBaselineState, type ScanState } from '../../src/drift/diff.js';
import type { Finding } from '../../src/model/finding.js';
import { makeIdentity } from '../helpers/identity.js';

const finding = (fingerprint: string, over: Partial<Finding> = {}): Finding => ({
  ruleId: 'credential-too-old',
  title: 't',
  family: 'stale-credential',
  severity: 'medium',
  provider: 'aws',
  identityId: 'aws:111111111111:user/ci',
  identityName: 'ci',
  target: { type: 'credential', key: 'AKIA1' },
  message: 'AKIA1 is 100 days old',
  evidence: { ageDays: 100 },
  remediation: { text: 'rotate' },
  owasp: ['NHI7'],
  fingerprint,
  ...over,
});

const state = (over: Partial<ScanState>): ScanState => ({ source: 'x', collectedAt: '2026-11-01T00:00:00Z', identities: [], findings: [], ...over });

const policy = (permissions: string[], level: 'read' | 'write' | 'admin' = 'write') => ({
  permissions,
  resource: '*',
  scope: 'global' as const,
  via: { type: 'inline-policy' as const, name: 'agent-tools' },
  level,
  standing: true,
  risks: [],
});

describe('drift between two scans', () => {
  const before = makeIdentity({
    id: 'aws:111111111111:user/ci',
    name: 'ci',
    credentials: [
      { id: 'AKIAOLD', type: 'access-key', status: 'active', createdAt: '2025-01-01T00:00:00Z' },
      { id: 'AKIAIDLE', type: 'access-key', status: 'active', createdAt: '2026-01-01T00:00:00Z' },
      { id: 'secret-1', type: 'client-secret', status: 'active', expiresAt: '2026-11-10T00:00:00Z' },
    ],
    entitlements: [policy(['s3:GetObject']), { ...policy(['ec2:*']), via: { type: 'managed-policy', name: 'EC2Full', id: 'arn:ec2' } }],
  });
  const after = makeIdentity({
    id: 'aws:111111111111:user/ci',
    name: 'ci',
    verdict: 'agent',
    credentials: [
      { id: 'AKIANEW', type: 'access-key', status: 'active', createdAt: '2026-11-15T00:00:00Z' },
      { id: 'AKIAIDLE', type: 'access-key', status: 'active', createdAt: '2026-01-01T00:00:00Z', lastUsedAt: '2026-11-18T00:00:00Z' },
      { id: 'secret-1', type: 'client-secret', status: 'active', expiresAt: '2026-11-10T00:00:00Z' },
    ],
    entitlements: [policy(['s3:GetObject', 'iam:PassRole']), { ...policy(['*'], 'admin'), via: { type: 'managed-policy', name: 'AdministratorAccess', id: 'arn:admin' } }],
  });
  const added = makeIdentity({ id: 'aws:111111111111:role/new-agent', name: 'new-agent' });
  const removed = makeIdentity({ id: 'aws:111111111111:role/gone', name: 'gone' });

  const drift = computeDrift(
    state({ identities: [before, removed], findings: [finding('aaa'), finding('bbb')] }),
    state({ collectedAt: '2026-11-20T00:00:00Z', identities: [after, added], findings: [finding('bbb', { message: 'AKIA1 is 119 days old' }), finding('ccc')] }),
  );

  it('lists identities added and removed', () => {
    expect(drift.identities.added.map((i) => i.id)).toEqual(['aws:111111111111:role/new-agent']);
    expect(drift.identities.removed.map((i) => i.id)).toEqual(['aws:111111111111:role/gone']);
  });

  it('tells rotation, new use and expiry apart', () => {
    const change = drift.identities.changed[0];
    expect(change.credentials.rotated).toEqual([
      { from: expect.objectContaining({ id: 'AKIAOLD' }), to: expect.objectContaining({ id: 'AKIANEW' }) },
    ]);
    expect(change.credentials.created).toEqual([]);
    expect(change.credentials.deleted).toEqual([]);
    expect(change.credentials.newlyUsed.map((c) => c.id)).toEqual(['AKIAIDLE']);
    expect(change.credentials.newlyExpired.map((c) => c.id)).toEqual(['secret-1']);
  });

  it('names what was granted, revoked and changed, and through what', () => {
    const en = drift.identities.changed[0].entitlements;
    expect(en.granted).toEqual([expect.objectContaining({ via: expect.objectContaining({ name: 'AdministratorAccess' }), level: 'admin' })]);
    expect(en.revoked).toEqual([expect.objectContaining({ via: expect.objectContaining({ name: 'EC2Full' }) })]);
    expect(en.changed).toEqual([expect.objectContaining({ added: ['iam:PassRole'], removed: [] })]);
    expect(drift.identities.changed[0].verdict).toEqual({ from: 'automation', to: 'agent' });
  });

  it('matches findings by fingerprint, so a changed message is not a new finding', () => {
    expect(drift.findings.new.map((f) => f.fingerprint)).toEqual(['ccc']);
    expect(drift.findings.resolved.map((f) => f.fingerprint)).toEqual(['aaa']);
    expect(drift.findings.unchanged.map((f) => f.fingerprint)).toEqual(['bbb']);
    const marked = markBaselineState([finding('bbb'), finding('ccc')], drift);
    expect(marked.map((f) => f.baselineState)).toEqual(['unchanged', 'new']);
  });

  it('reports nothing for identical scans', () => {
    const same = computeDrift(state({ identities: [before], findings: [finding('a')] }), state({ identities: [before], findings: [finding('a')] }));
    expect(same.identities).toEqual({ added: [], removed: [], changed: [] });
    expect(same.findings.new).toEqual([]);
  });
});
