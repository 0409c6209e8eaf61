import { describe, expect, it } from 'vitest';
import { compileExpression, fromCel, toCel } from '../../src/rules/cel.js';
import { Deferred } from '../../src/util/deferred.js';

describe('deferred fields of a CEL value', () => {
  it('are computed only when an expression reads them, once, and read like any other field', () => {
    let built = 0;
    const identity = toCel({ name: 'a', reach: new Deferred(() => (built++, { count: 3, targets: ['x', 'y'] })) });
    expect(compileExpression(`identity.name == 'a'`, { boolean: true })({ identity })).toBe(true);
    expect(built).toBe(0);
    expect(compileExpression(`identity.reach.count + 1 == 4`, { boolean: true })({ identity })).toBe(true);
    expect(compileExpression(`has(identity.reach.targets) && identity.reach.targets.exists(t, t == 'y')`, { boolean: true })({ identity })).toBe(true);
    expect(compileExpression(`'reach' in identity && size(identity) == 2`, { boolean: true })({ identity })).toBe(true);
    expect(built).toBe(1);
    expect(fromCel(identity)).toEqual({ name: 'a', reach: { count: 3, targets: ['x', 'y'] } });
  });

  it('a deferred value that turns out undefined is an absent field', () => {
    const identity = toCel({ name: 'a', extra: new Deferred(() => undefined) });
    expect(compileExpression(`has(identity.extra)`, { boolean: true })({ identity })).toBe(false);
    expect(fromCel(identity)).toEqual({ name: 'a' });
  });
});
