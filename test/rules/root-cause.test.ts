import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/bundle/load.js';
import { loadPatterns } from '../../src/classify/patterns.js';
import type { Finding } from '../../src/model/finding.js';
import type { Identity } from '../../src/model/inventory.js';
import { evaluateRules } from '../../src/rules/evaluate.js';
import { consolidateFindings } from '../../src/rules/consolidate.js';
import { loadRules } from '../../src/rules/load.js';
import { analyseBundle } from '../../src/scan/analyse.js';
import { makeIdentity } from '../helpers/identity.js';

// One finding per root cause: an identity never carries two findings of one family that name the
// same grant, credential or trust. What a finding names is read from the inventory and the
// finding's own target and message, not from the root-cause keys the engine merges on.

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const rules = loadRules();
const settings = new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }]));
const NOW = '2026-11-20T09:30:00Z';

function scan(dir: string) {
  return analyseBundle(loadBundle(dir), { rules, settings, patterns: loadPatterns(), now: NOW });
}

/** The grants, credentials and trusts of the identity a finding is about. */
function named(f: Finding, identity: Identity): string[] {
  const out = new Set<string>();
  const text = `${f.target.key} ${f.message}`;
  for (const c of identity.credentials) if (c.id.length >= 6 && text.includes(c.id)) out.add(`credential ${c.id}`);
  for (const e of identity.entitlements) {
    const policy = e.via.id ?? e.via.name;
    if (f.target.type === 'entitlement' && f.target.key.includes(policy)) out.add(`grant ${policy}`);
    else if (f.message.includes(`via ${e.via.name}`) || f.message.includes(`${e.via.type} ${e.via.name} `)) out.add(`grant ${policy}`);
  }
  for (const t of identity.trustedBy) {
    if (f.target.type === 'trust' && f.target.key.startsWith(`${t.via}:${t.principal}`)) out.add(`trust ${t.via} ${t.principal}`);
  }
  return [...out];
}

function duplicates(identities: Identity[], findings: Finding[]): string[] {
  const byId = new Map(identities.map((i) => [i.id, i]));
  const seen = new Map<string, string>();
  const dupes: string[] = [];
  for (const f of findings) {
    const identity = byId.get(f.identityId);
    if (!identity) continue;
    for (const thing of named(f, identity)) {
      const key = `${f.identityId} ${f.family} ${thing}`;
      const other = seen.get(key);
      if (other) dupes.push(`${key}: ${other} and ${f.ruleId}`);
      else seen.set(key, f.ruleId);
    }
  }
  return dupes;
}

describe('one finding per root cause', () => {
  for (const estate of ['demo', 'demo-later']) {
    it(`the ${estate} estate: no identity has two findings of one family on one grant, credential or trust`, () => {
      const result = scan(join(FIXTURES, estate));
      expect(result.findings.length).toBeGreaterThan(20);
      expect(duplicates(result.identities, result.findings)).toEqual([]);
    });

    it(`the ${estate} estate: folded one identity at a time, nothing is left that a fold over the whole scan would merge`, () => {
      const result = scan(join(FIXTURES, estate));
      const rules = loadRules();
      const unsuppressed = evaluateRules(result.identities, rules, result.collectedAt).findings;
      expect(unsuppressed.some((f) => f.related?.length)).toBe(true);
      const again = consolidateFindings(unsuppressed, new Map(rules.map((r) => [r.id, r.precedence])));
      expect(again.map((f) => f.fingerprint)).toEqual(unsuppressed.map((f) => f.fingerprint));
      expect(again).toEqual(unsuppressed);
    });
  }

  it('the demo: folded findings keep the worst severity, the other rules and their tags', () => {
    const { findings } = scan(join(FIXTURES, 'demo'));
    const root = findings.filter((f) => f.identityName === 'root' && f.family === 'stale-credential');
    expect(root).toHaveLength(1);
    expect(root[0]).toMatchObject({ ruleId: 'root-access-key', severity: 'critical' });
    expect(root[0].related?.map((r) => r.ruleId).sort()).toEqual(['credential-too-old', 'credential-unused']);
    const triage = findings.filter((f) => f.identityName === 'bedrock-triage-agent' && f.family === 'over-scoped');
    expect(triage).toHaveLength(1);
    expect(triage[0].severity).toBe('critical');
    expect(triage[0].tags).toEqual(expect.arrayContaining(['agent', 'escalation', 'org-wide', 'wildcard']));
  });

  it('the same managed policy reached directly and through a group is one finding naming both routes', () => {
    const admin = { permissions: ['*'], resource: '*', scope: 'global' as const, level: 'admin' as const, standing: true, risks: [] };
    const arn = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const user = makeIdentity({
      id: 'aws:111111111111:user/ops',
      kind: 'iam-user',
      name: 'ops',
      entitlements: [
        { ...admin, via: { type: 'managed-policy', name: 'AdministratorAccess', id: arn } },
        { ...admin, via: { type: 'group-policy', name: 'admins/AdministratorAccess', id: arn } },
      ],
    });
    const picked = rules.filter((r) => ['wildcard-permission', 'standing-admin-access'].includes(r.id));
    const { findings } = evaluateRules([user], picked, NOW, settings);
    const wildcard = findings.filter((f) => f.family === 'over-scoped');
    expect(wildcard).toHaveLength(1);
    expect(wildcard[0].evidence.routes).toEqual([`group-policy:${arn}:*`, `managed-policy:${arn}:*`]);
    expect(findings.filter((f) => f.family === 'standing-privilege')).toHaveLength(1);
  });

  it('grants of different policies stay separate findings', () => {
    const write = { permissions: ['s3:*'], resource: '*', scope: 'global' as const, level: 'write' as const, standing: true, risks: [] };
    const role = makeIdentity({
      entitlements: [
        { ...write, via: { type: 'inline-policy', name: 'one' } },
        { ...write, via: { type: 'inline-policy', name: 'two' } },
      ],
    });
    const { findings } = evaluateRules([role], rules.filter((r) => r.id === 'wildcard-permission'), NOW, settings);
    expect(findings).toHaveLength(2);
  });
});
