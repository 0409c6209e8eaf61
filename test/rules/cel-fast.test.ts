import { describe, expect, it } from 'vitest';
import { CelBudgetError, compileExpression, toCel, toCelMap, type CompileOptions } from '../../src/rules/cel.js';
import { fastCelStats } from '../../src/rules/cel-fast.js';
import { Deferred } from '../../src/util/deferred.js';
import { loadBundle } from '../../src/bundle/load.js';
import { prepareAnalysis } from '../../src/cli/analysis-setup.js';
import { analyseBundle } from '../../src/scan/analyse.js';
// @ts-expect-error the benchmark generator is plain JavaScript without type declarations
import { Rng } from '../../scripts/bench/gen/rng.mjs';

// The closures of cel-fast.ts answer only where they are certain and hand everything else to
// cel-js. Each case here is evaluated both ways, and the two outcomes (value, or error class and
// message) must be the same: the closures may never answer what cel-js would not.

type Outcome = { value: unknown } | { error: string; message: string };

function outcome(source: string, context: Record<string, unknown>, opts: CompileOptions, budget?: { maxSteps: number; maxMs: number }): Outcome {
  let compiled;
  try {
    compiled = compileExpression(source, opts, budget);
  } catch (err) {
    return { error: 'compile', message: (err as Error).message };
  }
  try {
    return { value: compiled(context) };
  } catch (err) {
    return { error: (err as Error).constructor.name, message: (err as Error).message };
  }
}

/** Both ways, and whether the closures answered themselves. */
function both(source: string, context: Record<string, unknown> = {}, opts: CompileOptions = {}, budget?: { maxSteps: number; maxMs: number }) {
  const before = fastCelStats.answered;
  const fast = outcome(source, context, { ...opts, fast: true }, budget);
  const answered = fastCelStats.answered > before;
  const slow = outcome(source, context, { ...opts, fast: false }, budget);
  return { fast, slow, answered };
}

const owners = [{ id: 'u1', name: 'Ann', exists: true }, { id: 'u2' }];
const ctx = () =>
  ({
    identity: toCelMap([
      {
        name: 'svc-deploy',
        kind: 'service-account',
        enabled: true,
        human: false,
        lastUsedDays: 120,
        score: 0.5,
        owners,
        tags: { team: 'data', env: 'prod' },
        names: ['a', 'b', 'c'],
        mixed: ['a', 1, true],
        numbers: [3, 1, 2],
        empty: [],
        nested: { inner: { leaf: 'x' } },
        emoji: 'a😀b',
        nothing: null,
        attributes: { humanGate: new Deferred(() => undefined), summary: new Deferred(() => ({ services: 3 })) },
      },
    ]),
    entitlement: toCel({ permissions: Array.from({ length: 40 }, (_, i) => `svc${i}:Get${i}`), level: 'admin', scope: 'container' }),
    params: toCel({ maxIdleDays: 90, kinds: ['service-account', 'role'], types: ['access-key'] }),
  }) as Record<string, unknown>;

// Expressions of every form the rules use, and the edges of each: mixed types, missing fields,
// errors that CEL's && and || absorb, overflow, unicode, lists cel-js types by their first element.
const CASES = [
  // fields and presence
  'identity.name',
  'identity.nested.inner.leaf',
  'identity.missing',
  'identity.nested.missing.leaf',
  'identity.names.size',
  'identity.name.size',
  'identity.nothing.x',
  'has(identity.name)',
  'has(identity.missing)',
  'has(identity.nested.inner.leaf)',
  'has(identity.nested.missing.leaf)',
  'has(identity.names.x)',
  'has(identity.attributes.humanGate)',
  'has(identity.attributes.summary) && identity.attributes.summary.services > 2',
  'identity.attributes.humanGate',
  // logic, with the errors CEL absorbs
  "identity.missing == 'x' && false",
  'false && identity.missing',
  'true && identity.missing',
  'identity.missing || true',
  "identity.missing == 'x' || false",
  'identity.lastUsedDays && true',
  '!identity.enabled',
  '!identity.name',
  "identity.enabled ? 'on' : 'off'",
  "identity.name ? 'on' : 'off'",
  // equality and order
  "identity.kind == 'service-account'",
  "identity.kind != 'role'",
  'identity.lastUsedDays == 120',
  'identity.lastUsedDays == 120.0',
  'identity.score == 0.5',
  'identity.name == 1',
  'identity.nothing == null',
  "identity.names == ['a', 'b', 'c']",
  'identity.tags == identity.tags',
  'identity.lastUsedDays > params.maxIdleDays',
  'identity.lastUsedDays >= 120 && identity.lastUsedDays <= 120',
  'identity.lastUsedDays < 120.5',
  'identity.score < 1',
  "identity.name < 'z'",
  // membership
  'identity.kind in params.kinds',
  "'b' in identity.names",
  "'z' in identity.names",
  "'a' in identity.mixed",
  '1 in identity.mixed',
  '2 in identity.numbers',
  "'x' in identity.empty",
  "'team' in identity.tags",
  "'owner' in identity.tags",
  'true in [true, false]',
  // arithmetic
  "identity.name + '/' + identity.kind",
  'identity.lastUsedDays + 1',
  'identity.lastUsedDays - 200',
  '-identity.lastUsedDays',
  '9223372036854775807 + 1',
  '-9223372036854775807 - 2',
  'identity.score + 1.25',
  '3.0 - 1.0',
  "identity.names + ['d']",
  'identity.names + identity.numbers',
  'identity.empty + identity.names',
  "identity.name + 1",
  // functions
  'size(identity.owners)',
  'size(identity.tags)',
  'size(identity.emoji)',
  'identity.emoji.size()',
  'size(identity.lastUsedDays)',
  'string(identity.lastUsedDays)',
  'string(identity.enabled)',
  'string(identity.score)',
  'string(identity.name)',
  "identity.names.join(', ')",
  'identity.names.join()',
  "identity.empty.join(', ')",
  'identity.empty.join()',
  "identity.mixed.join(', ')",
  "identity.name.startsWith('svc')",
  "identity.name.endsWith('deploy')",
  "identity.name.contains('-')",
  "identity.name.matches('^svc-[a-z]+$')",
  "identity.name.matches('(')",
  "int('5') == 5",
  // indexes
  'identity.names[1]',
  'identity.names[3]',
  'identity.names[-1]',
  "identity.tags['team']",
  "identity.tags['owner']",
  'identity.names[1.0]',
  // lists and comprehensions
  "[identity.name, 'x'].size()",
  "['a', 1].size()",
  'identity.owners.exists(o, o.id == "u2")',
  'identity.owners.exists(o, o.name == "Ann")',
  'identity.owners.exists(o, o.name == "Bob")',
  'identity.owners.all(o, has(o.name))',
  'identity.owners.all(o, o.name == "Bob")',
  'identity.owners.all(o, o.name == "Ann")',
  'identity.owners.filter(o, has(o.exists)).map(o, o.id)',
  'identity.owners.filter(o, o.id)',
  'identity.owners.map(o, o.id + "!").join(" ")',
  'identity.tags.exists(k, k == "team")',
  'identity.names.exists(x, identity.numbers.exists(x, x == 3))',
  'identity.names.exists(identity, identity == "c")',
  "identity.names.exists(x, identity.owners.exists(x, identity.numbers.exists(y, x.id == 'u1' && y == 3)))",
  "identity.names.exists(x, identity.owners.exists(x, identity.numbers.exists(y, x == 'a' && y == 3)))",
  "identity.names.exists(x, identity.names.exists(x, identity.names.exists(y, x == 'a' && y == 'c')))",
  'params.types.exists(t, identity.owners.filter(o, o.id.startsWith("u") && t == "access-key").size() > 1)',
  "entitlement.permissions.exists(p, p == '*' || p.endsWith(':*'))",
  "entitlement.permissions.filter(p, p.startsWith('svc1')).size()",
  "entitlement.scope in ['container', 'organization'] && entitlement.level in ['admin', 'write']",
];

describe('CEL through closures', () => {
  it.each(CASES)('%s: the same value or error as cel-js', (source) => {
    const { fast, slow } = both(source, ctx());
    expect(fast).toEqual(slow);
  });

  it('answer the common forms themselves, and hand the uncertain ones to cel-js', () => {
    // toEqual tells 1n from 1, so an int answered as a double (or the reverse) would fail above.
    for (const source of ["identity.kind == 'service-account' && identity.lastUsedDays > params.maxIdleDays", "identity.owners.filter(o, has(o.exists)).map(o, o.id).join(', ')", 'identity.kind in params.kinds', "entitlement.permissions.exists(p, p.endsWith(':*'))", "has(identity.attributes.summary) && size(identity.tags) == 2"]) {
      expect(both(source, ctx()).answered, source).toBe(true);
    }
    for (const source of ['identity.missing || true', 'identity.lastUsedDays == 120.0', '1 in identity.mixed', '9223372036854775807 + 1', 'identity.tags.exists(k, k == "team")', "identity.name < 'z'"]) {
      expect(both(source, ctx()).answered, source).toBe(false);
    }
  });

  it('a condition that yields no bool fails as cel-js says', () => {
    const { fast, slow } = both('identity.name', ctx(), { boolean: true });
    expect(fast).toEqual(slow);
    expect(fast).toMatchObject({ error: 'Error', message: expect.stringMatching(/not a bool/) });
  });

  it('the budget: cel-js decides near it, so the same expressions fail the same way', () => {
    const hundred = `[${Array.from({ length: 100 }, (_, i) => i).join(', ')}]`;
    const nested = `${hundred}.all(a, ${hundred}.all(b, ${hundred}.all(c, a + b + c >= 0)))`;
    const { fast, slow } = both(nested, {}, { boolean: true }, { maxSteps: 100_000, maxMs: 10_000 });
    expect(fast).toEqual(slow);
    expect(fast).toMatchObject({ error: CelBudgetError.name });
    for (const maxSteps of [5, 20, 60, 200]) {
      const sum = both('[1, 2, 3, 4, 5, 6, 7, 8].all(x, x + 1 > 0) && 1 + 2 + 3 == 6', {}, { boolean: true }, { maxSteps, maxMs: 10_000 });
      expect(sum.fast, `maxSteps ${maxSteps}`).toEqual(sum.slow);
    }
  });
});

// Expressions made at random from the same forms, typed mostly right and sometimes wrong (a
// field that is not there, an int where a string goes), nested and with variables shadowing each
// other: the hand-written cases cannot think of every combination, and a closure that answers
// wrong in one of them fails here with the expression that shows it.
type Kind = 'bool' | 'int' | 'str' | 'strs' | 'owners' | 'ints' | 'owner';

class ExpressionMaker {
  constructor(private readonly rng: { next(): number; int(a: number, b: number): number; pick<T>(l: T[]): T; chance(p: number): boolean }) {}

  private vars: Array<[string, Kind]> = [];

  make(kind: Kind, depth: number): string {
    const r = this.rng;
    // Now and then anything at all, to reach the mismatches.
    if (r.chance(0.08)) kind = r.pick<Kind>(['bool', 'int', 'str', 'strs', 'owners', 'ints', 'owner']);
    const bound = this.vars.filter(([, k]) => k === kind);
    if (bound.length && r.chance(0.4)) return r.pick(bound)[0];
    const leaf = depth <= 0 || r.chance(0.25);
    switch (kind) {
      case 'bool': {
        if (leaf) return r.pick(['identity.enabled', 'identity.human', 'true', 'false', 'has(identity.name)', 'has(identity.missing)', 'has(identity.attributes.humanGate)', 'identity.missing']);
        const d = depth - 1;
        return r.pick([
          () => `${this.make('bool', d)} && ${this.make('bool', d)}`,
          () => `(${this.make('bool', d)} || ${this.make('bool', d)})`,
          () => `!${this.make('bool', d)}`,
          () => `${this.make('int', d)} ${r.pick(['<', '<=', '>', '>=', '==', '!='])} ${this.make('int', d)}`,
          () => `${this.make('str', d)} ${r.pick(['==', '!='])} ${this.make('str', d)}`,
          () => `${this.make('str', d)} in ${this.make('strs', d)}`,
          () => `${this.make('str', d)}.${r.pick(['startsWith', 'endsWith', 'contains'])}(${this.make('str', d)})`,
          () => `${this.make('str', d)}.matches('^[a-z]')`,
          () => this.comprehension(r.pick(['exists', 'all']), 'bool', d),
          () => `has(${this.make('owner', d)}.name)`,
          () => `(${this.make('bool', d)} ? ${this.make('bool', d)} : ${this.make('bool', d)})`,
        ])();
      }
      case 'int': {
        if (leaf) return r.pick(['identity.lastUsedDays', 'params.maxIdleDays', '0', '1', '3', '-2', '9223372036854775807', 'identity.score', '2.5']);
        const d = depth - 1;
        return r.pick([
          () => `size(${this.make(r.pick<Kind>(['strs', 'owners', 'str', 'ints']), d)})`,
          () => `${this.make('int', d)} ${r.pick(['+', '-'])} ${this.make('int', d)}`,
          () => `-${this.make('int', d)}`,
          () => `${this.comprehension('filter', 'bool', d, r.pick<Kind>(['strs', 'owners', 'ints']))}.size()`,
          () => `${this.make('ints', d)}[${r.int(-1, 3)}]`,
        ])();
      }
      case 'str': {
        if (leaf) return r.pick(['identity.name', 'identity.kind', "'a'", "'svc-deploy'", "''", 'identity.emoji', 'identity.tags.team', "identity.tags['env']"]);
        const d = depth - 1;
        return r.pick([
          () => `${this.make('str', d)} + ${this.make('str', d)}`,
          () => `string(${this.make(r.pick<Kind>(['int', 'bool', 'str']), d)})`,
          () => `${this.make('strs', d)}.join(${r.pick(["', '", "''", ''])})`,
          () => `${this.make('owner', d)}.${r.pick(['id', 'name'])}`,
          () => `(${this.make('bool', d)} ? ${this.make('str', d)} : ${this.make('str', d)})`,
          () => `${this.make('strs', d)}[${r.int(0, 3)}]`,
        ])();
      }
      case 'strs': {
        if (leaf) return r.pick(['identity.names', 'identity.empty', 'identity.mixed', 'params.kinds', "['a', 'c']", '[]', 'entitlement.permissions']);
        const d = depth - 1;
        return r.pick([
          () => this.comprehension('filter', 'bool', d, 'strs'),
          () => this.comprehension('map', 'str', d, r.pick<Kind>(['strs', 'owners'])),
          () => `${this.make('strs', d)} + ${this.make('strs', d)}`,
          () => `[${this.make('str', d)}, ${this.make('str', d)}]`,
        ])();
      }
      case 'owners':
        return leaf ? 'identity.owners' : this.comprehension('filter', 'bool', depth - 1, 'owners');
      case 'ints':
        return leaf ? r.pick(['identity.numbers', '[1, 2]']) : this.comprehension('map', 'int', depth - 1, r.pick<Kind>(['ints', 'strs']));
      case 'owner':
        return leaf ? 'identity.owners[0]' : `${this.make('owners', depth - 1)}[0]`;
    }
  }

  /** A macro over a list of `over`, its variable named so it may shadow one in scope. */
  private comprehension(macro: string, body: Kind, depth: number, over: Kind = this.rng.pick<Kind>(['strs', 'owners', 'ints'])): string {
    const element: Kind = over === 'owners' ? 'owner' : over === 'ints' ? 'int' : 'str';
    const name = this.rng.pick(['x', 'y', 'x', 'identity']);
    const receiver = this.make(over, depth);
    this.vars.push([name, element]);
    const inner = this.make(body, depth);
    this.vars.pop();
    return `${receiver}.${macro}(${name}, ${inner})`;
  }
}

describe('CEL through closures, on generated expressions', () => {
  it('2,000 random expressions of the subset and its mistakes give what cel-js gives', () => {
    const maker = new ExpressionMaker(new Rng('cel-fast-differential'));
    const context = ctx();
    let answered = 0;
    let compared = 0;
    for (let i = 0; i < 2000; i++) {
      const source = maker.make('bool', 4);
      const result = both(source, context, { boolean: i % 2 === 0 });
      if (result.slow.hasOwnProperty('error') && (result.slow as { error: string }).error === 'compile') continue;
      compared++;
      if (result.answered) answered++;
      expect(result.fast, source).toEqual(result.slow);
    }
    // Most generated expressions type-check and most of those the closures answer themselves.
    expect(compared).toBeGreaterThan(1000);
    expect(answered).toBeGreaterThan(compared / 3);
  }, 60_000);
});

describe('every built-in rule through closures', () => {
  it('gives the demo estates the same findings and rule errors as cel-js, answering nearly every evaluation itself', () => {
    const analyse = (fast: boolean) => {
      const saved = process.env.AGENTSCAN_CEL_FAST;
      process.env.AGENTSCAN_CEL_FAST = fast ? '1' : '0';
      try {
        const { options } = prepareAnalysis({ rules: [], suppressions: [] });
        return ['fixtures/demo', 'fixtures/demo-later'].map((dir) => {
          const result = analyseBundle(loadBundle(dir), { ...options, now: '2026-12-01T00:00:00Z' });
          return { findings: JSON.stringify(result.findings), errors: result.ruleErrors ?? [] };
        });
      } finally {
        if (saved === undefined) delete process.env.AGENTSCAN_CEL_FAST;
        else process.env.AGENTSCAN_CEL_FAST = saved;
      }
    };
    const before = { ...fastCelStats };
    const fast = analyse(true);
    const answered = fastCelStats.answered - before.answered;
    const handedOver = fastCelStats.handedOver - before.handedOver;
    const slow = analyse(false);
    expect(fastCelStats.answered - before.answered).toBe(answered);
    expect(fast).toEqual(slow);
    expect(JSON.parse(fast[0].findings).length).toBeGreaterThan(100);
    expect(answered).toBeGreaterThan(1000);
    expect(handedOver).toBeLessThan(answered / 100);
  }, 60_000);
});
