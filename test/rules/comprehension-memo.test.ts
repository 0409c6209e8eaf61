import { describe, expect, it } from 'vitest';
import { CelBudgetError, compileExpression, toCel } from '../../src/rules/cel.js';

// Closed comprehensions (the step reads only its own element) are answered once per list:
// thousands of holders of one managed policy share one converted permission list.
const permissions = toCel(Array.from({ length: 2000 }, (_, i) => `svc${i}:Get${i}`)) as unknown[];
const budget = { maxSteps: 5000, maxMs: 10_000 };

describe('comprehensions over a shared list', () => {
  it('answer the same list again without iterating it', () => {
    // The first element counts how often it is read: once per pass over the list.
    let reads = 0;
    const watched = [...permissions];
    Object.defineProperty(watched, 0, { get: () => (reads++, 'svc0:Get0'), enumerable: true });
    const wildcard = compileExpression(`entitlement.permissions.exists(p, p == '*' || p.endsWith(':*'))`, { boolean: true });
    expect(wildcard({ entitlement: { permissions: watched } })).toBe(false);
    const once = reads;
    expect(once).toBeGreaterThan(0);
    expect(wildcard({ entitlement: { permissions: watched } })).toBe(false);
    expect(wildcard({ identity: {}, entitlement: { permissions: watched } })).toBe(false);
    expect(reads).toBe(once);
    // Lists too short to be worth remembering are iterated each time.
    let shortReads = 0;
    const short = ['a:B', 'c:D'];
    Object.defineProperty(short, 0, { get: () => (shortReads++, 'a:B'), enumerable: true });
    wildcard({ entitlement: { permissions: short } });
    const onePass = shortReads;
    expect(onePass).toBeGreaterThan(0);
    wildcard({ entitlement: { permissions: short } });
    expect(shortReads).toBe(2 * onePass);
  });

  it('remember nothing reached after the budget ran out', () => {
    const tight = compileExpression(`entitlement.permissions.exists(p, p.endsWith(':*'))`, { boolean: true }, budget);
    expect(() => tight({ entitlement: { permissions } })).toThrow(CelBudgetError);
    expect(() => tight({ entitlement: { permissions } })).toThrow(CelBudgetError);
  });

  it('remember per compiled expression and per list: a changed list is evaluated afresh', () => {
    const some = compileExpression(`entitlement.permissions.exists(p, p.endsWith(':*'))`, { boolean: true });
    expect(some({ entitlement: { permissions } })).toBe(false);
    const withWildcard = [...permissions, 's3:*'];
    expect(some({ entitlement: { permissions: withWildcard } })).toBe(true);
    expect(some({ entitlement: { permissions } })).toBe(false);
  });

  it('never remember a comprehension that reads another variable', () => {
    const named = compileExpression(`entitlement.permissions.exists(p, p == params.action)`, { boolean: true });
    expect(named({ entitlement: { permissions }, params: { action: 'svc7:Get7' } })).toBe(true);
    expect(named({ entitlement: { permissions }, params: { action: 's3:GetObject' } })).toBe(false);
    const nested = compileExpression(`entitlement.permissions.exists(p, identity.names.exists(n, n == p))`, { boolean: true });
    const names = toCel(Array.from({ length: 20 }, (_, i) => `svc${i * 3}:Get${i * 3}`));
    expect(nested({ entitlement: { permissions }, identity: { names } })).toBe(true);
    expect(nested({ entitlement: { permissions }, identity: { names: toCel(Array.from({ length: 20 }, (_, i) => `x${i}`)) } })).toBe(false);
  });
});
