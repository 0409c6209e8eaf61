import { describe, expect, it } from 'vitest';
import { compileExpression, fromCel, toCel, toCelMap } from '../../src/rules/cel.js';
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

describe('toCelMap: one CEL map from several parts', () => {
  it('merges like a spread (later parts win, undefined removes) and keeps the first position of each key', () => {
    const map = toCelMap([{ a: 1, b: 'x', c: 2.5 }, { b: undefined, d: 4 }, { a: 7 }]);
    expect(map).toEqual({ a: 7n, c: 2.5, d: 4n });
    expect(Object.keys(map)).toEqual(['a', 'c', 'd']);
  });

  it('puts ready values in as they are, at the position their part gives them', () => {
    const converted = [{ id: 1n }];
    const map = toCelMap([{ name: 'r', entitlements: [{ id: 1 }], kind: 'role' }], undefined, { entitlements: converted });
    expect(map.entitlements).toBe(converted);
    expect(Object.keys(map)).toEqual(['name', 'entitlements', 'kind']);
  });

  it('defers Deferred fields of any part', () => {
    let built = 0;
    const map = toCelMap([{ name: 'a' }, { reach: new Deferred(() => (built++, { count: 2 })) }]);
    expect(built).toBe(0);
    expect(compileExpression(`identity.reach.count == 2`, { boolean: true })({ identity: map })).toBe(true);
    expect(built).toBe(1);
  });
});

describe('fromCel', () => {
  it('gives back plain JSON as itself and copies from the first value that converts', () => {
    const permissions = toCel(Array.from({ length: 20 }, (_, i) => `s3:Action${i}`)) as unknown[];
    expect(fromCel(permissions)).toBe(permissions);
    const via = { type: 'managed-policy', names: ['a', 'b'] };
    expect(fromCel(via)).toBe(via);

    const counts = toCel({ name: 'x', count: 3, nested: via }) as Record<string, unknown>;
    const plain = fromCel(counts) as Record<string, unknown>;
    expect(plain).toEqual({ name: 'x', count: 3, nested: via });
    expect(plain).not.toBe(counts);
    expect(plain.nested).toBe(via);
    expect(counts.count).toBe(3n); // the CEL value is never changed
    expect(fromCel(toCel([1, 'a', 2]))).toEqual([1, 'a', 2]);
    expect(fromCel(new Map([[1n, 2n]]))).toEqual({ 1: 2 });
  });
});

describe('toCel of values CEL reads as they are', () => {
  it('returns text-only lists and maps themselves, and copies from the first field that converts', () => {
    const via = { type: 'managed-policy', id: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess', nested: { a: ['x', true, null, 0.5] } };
    expect(toCel(via)).toBe(via);
    const list = ['s3:GetObject', 's3:ListBucket'];
    expect(toCel(list)).toBe(list);

    const mixed = { name: 'k', age: 3, gone: undefined, tags: { team: 'x' } };
    const converted = toCel(mixed) as Record<string, unknown>;
    expect(converted).not.toBe(mixed);
    expect(converted).toEqual({ name: 'k', age: 3n, tags: { team: 'x' } });
    expect(Object.keys(converted)).toEqual(['name', 'age', 'tags']);
    expect(converted.tags).toBe(mixed.tags);
    expect(mixed.age).toBe(3); // the inventory is never changed

    expect(toCel(['a', 2, undefined])).toEqual(['a', 2n, null]);
    const withDeferred = { name: 'a', later: new Deferred(() => 5) };
    const cel = toCel(withDeferred) as Record<string, unknown>;
    expect(cel).not.toBe(withDeferred);
    expect(cel.later).toBe(5n);
  });
});
