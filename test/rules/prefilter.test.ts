import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/bundle/load.js';
import { loadPatterns } from '../../src/classify/patterns.js';
import { ruleGates } from '../../src/rules/prefilter.js';
import { loadRules } from '../../src/rules/load.js';
import { analyseBundle } from '../../src/scan/analyse.js';

// Gates skip a rule where its condition's opening conjuncts are false on plain fields; they
// must never change what the rules find.

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const NOW = '2026-11-20T09:30:00Z';
const read = (values: Record<string, Record<string, unknown>>) => (variable: string, field: string) => values[variable]?.[field];

describe('rule gates', () => {
  it('read equality, membership and flags of the identity and the rule\'s item', () => {
    const gates = ruleGates("identity.provider == 'github' && identity.isAgent && !identity.human && identity.kind in ['pat-classic', 'machine-user'] && credential.status == 'active' && size(credential.scopes) > 0", 'credential');
    const identity = { provider: 'github', isAgent: true, human: false, kind: 'machine-user' };
    expect(gates.identity!(read({ identity }))).toBe(true);
    expect(gates.identity!(read({ identity: { ...identity, provider: 'aws' } }))).toBe(false);
    expect(gates.identity!(read({ identity: { ...identity, isAgent: false } }))).toBe(false);
    expect(gates.identity!(read({ identity: { ...identity, human: true } }))).toBe(false);
    expect(gates.identity!(read({ identity: { ...identity, kind: 'deploy-key' } }))).toBe(false);
    expect(gates.item!(read({ credential: { status: 'active' } }))).toBe(true);
    expect(gates.item!(read({ credential: { status: 'inactive' } }))).toBe(false);
  });

  it("answer has() on the rule's own item, and an entitlement's scope, level and standing", () => {
    const gates = ruleGates("has(entitlement.undeclared) && entitlement.scope in ['organization', 'global'] && entitlement.level == 'admin' && entitlement.standing", 'entitlement');
    const entitlement = { undeclared: ['s3:GetObject'], scope: 'global', level: 'admin', standing: true };
    expect(gates.item!(read({ entitlement }))).toBe(true);
    expect(gates.item!(read({ entitlement: { ...entitlement, undeclared: undefined } }))).toBe(false);
    expect(gates.item!(read({ entitlement: { ...entitlement, scope: 'resource' } }))).toBe(false);
    expect(gates.item!(read({ entitlement: { ...entitlement, level: 'read' } }))).toBe(false);
    expect(gates.item!(read({ entitlement: { ...entitlement, standing: false } }))).toBe(false);
    // has() on the identity stays with CEL: declarations and facts are not on the inventory record.
    expect(ruleGates('has(identity.declared) && identity.isAgent', 'identity').identity!(read({ identity: { isAgent: true } }))).toBe(true);
  });

  it('leave alone what is not a plain opening conjunct: alternatives, other variables, unexpected types', () => {
    expect(ruleGates("identity.provider == 'aws' || identity.isAgent", 'identity')).toEqual({ identity: undefined, item: undefined });
    expect(ruleGates("identity.attributes.x == 'y' && identity.reach.beyondOwn", 'identity')).toEqual({ identity: undefined, item: undefined });
    // A credential field in an identity rule is no item of that rule.
    expect(ruleGates("credential.type == 'x'", 'identity').item).toBeUndefined();
    const gates = ruleGates("identity.kind == 'root'", 'identity');
    expect(gates.identity!(read({ identity: { kind: 7 } }))).toBe(true);
  });

  it('change no finding: the demo and the demo-later estates scan the same without them', () => {
    const rules = loadRules();
    const ungated = rules.map((r) => ({ ...r, gates: {} }));
    expect(rules.filter((r) => r.gates.identity || r.gates.item).length).toBeGreaterThan(10);
    for (const dir of ['demo', 'demo-later']) {
      const scan = (list: typeof rules) =>
        analyseBundle(loadBundle(join(FIXTURES, dir)), {
          rules: list,
          settings: new Map(list.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }])),
          patterns: loadPatterns(),
          now: NOW,
        });
      const gated = scan(rules);
      expect(gated.findings.length).toBeGreaterThan(50);
      expect(gated.findings).toEqual(scan(ungated).findings);
    }
  });
});
