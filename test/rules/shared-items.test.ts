import { describe, expect, it } from 'vitest';
import { evaluateRules } from '../../src/rules/evaluate.js';
import { loadRules } from '../../src/rules/load.js';
import type { Trust } from '../../src/model/inventory.js';
import { makeIdentity } from '../helpers/identity.js';

// A project-wide impersonation grant is one trust on every account of the project: a trust rule
// that reads only the trust answers once for it, and still reports it on every account.
const NOW = '2026-11-20T00:00:00Z';

describe('rules that read only their item', () => {
  const rules = loadRules();
  const anyPrincipal = rules.find((r) => r.id === 'trust-any-principal')!;
  const external = rules.find((r) => r.id === 'external-account-trust')!;

  it('are known as such from what their condition reads', () => {
    expect(anyPrincipal.itemOnly).toBe(true);
    expect(external.itemOnly).toBe(true);
    expect(rules.find((r) => r.id === 'no-owner')!.itemOnly).toBe(false);
    expect(rules.find((r) => r.id === 'wildcard-permission')!.itemOnly).toBe(false);
  });

  it('are evaluated once per shared trust, and fire on every identity holding it', () => {
    const open: Trust = { principal: '*', kind: 'any', via: 'roles/iam.serviceAccountUser on projects/p' };
    const own = (n: number): Trust => ({ principal: `sa-${n}@p.iam.gserviceaccount.com`, kind: 'service-account', via: 'binding' });
    const accounts = Array.from({ length: 30 }, (_, n) =>
      makeIdentity({ id: `gcp:p:sa-${n}`, name: `sa-${n}`, provider: 'gcp', kind: 'service-account', trustedBy: [open, own(n)] }),
    );
    let calls = 0;
    const counted = { ...anyPrincipal, test: (c: Record<string, unknown>) => (calls++, anyPrincipal.test(c)) };
    const { findings } = evaluateRules(accounts, [counted], NOW);
    expect(findings.filter((f) => f.ruleId === 'trust-any-principal').map((f) => f.identityId)).toEqual(accounts.map((a) => a.id));
    // The shared trust once; each account's own trust is its own (the gate on trust.kind skips it before CEL).
    expect(calls).toBe(1);
    const ungated = { ...counted, gates: {} };
    calls = 0;
    evaluateRules(accounts, [ungated], NOW);
    expect(calls).toBe(1 + accounts.length);
  });
});
