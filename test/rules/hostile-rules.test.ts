import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CelBudgetError, compileExpression } from '../../src/rules/cel.js';
import { evaluateRules } from '../../src/rules/evaluate.js';
import { loadRules } from '../../src/rules/load.js';
import { InputError } from '../../src/util/errors.js';
import { runCli } from '../helpers/cli.js';
import { makeIdentity } from '../helpers/identity.js';

// A rule file is input like a bundle: its conditions must not run for ever (nested
// comprehensions, backtracking regular expressions), and one that can never fire because it
// does not yield a boolean is a mistake to report at load time, not a silent no-op.

const rule = (condition: string, id = 'hostile-rule') => `id: ${id}
title: Hostile rule
family: over-scoped
severity: low
owasp: [NHI5]
target: identity
description: A rule that tries to run for ever.
remediation:
  text: Fix it.
condition: ${JSON.stringify(condition)}
message: "{{ identity.name }}"
`;

function ruleDir(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentscan-hostile-rules-'));
  writeFileSync(join(dir, 'rule.yaml'), text);
  return dir;
}

const hundred = `[${Array.from({ length: 100 }, (_, i) => i).join(', ')}]`;
const NESTED = `${hundred}.all(a, ${hundred}.all(b, ${hundred}.all(c, ${hundred}.all(d, a + b + c + d >= 0))))`;
const BACKTRACKING = `identity.name.matches('^(a+)+$')`;

describe('CEL evaluation budget', () => {
  it('matches is RE2: a pattern that backtracks for ever in JavaScript answers at once', () => {
    const started = Date.now();
    const test = compileExpression(BACKTRACKING, { boolean: true });
    expect(test({ identity: { name: `${'a'.repeat(5000)}!` } })).toBe(false);
    expect(test({ identity: { name: 'aaaa' } })).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    // RE2 syntax, as CEL specifies: no backreferences.
    expect(() => compileExpression(`'aa'.matches('(a)\\\\1')`)({})).toThrow(/invalid regular expression/);
  });

  it('nested comprehensions stop at the step budget with CelBudgetError', () => {
    const test = compileExpression(NESTED, { boolean: true }, { maxSteps: 100_000, maxMs: 10_000 });
    const started = Date.now();
    expect(() => test({})).toThrow(CelBudgetError);
    expect(() => test({})).toThrow(/more than 100000 steps \(AGENTSCAN_CEL_MAX_STEPS\)/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  // The budget counts in a cel-js internal (its evaluator's run(), reached through `matches`);
  // the environment refuses to load when it cannot find it. Should an upgrade keep a run() that
  // no longer sees every sub-expression, these small expressions would stop tripping the budget.
  it('meters every sub-expression, not only comprehensions, so a cel-js upgrade cannot silently switch the budget off', () => {
    const sum = compileExpression('1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 == 36', { boolean: true }, { maxSteps: 5, maxMs: 10_000 });
    expect(() => sum({})).toThrow(CelBudgetError);
    expect(compileExpression('1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 == 36', { boolean: true }, { maxSteps: 1000, maxMs: 10_000 })({})).toBe(true);
    const lookup = compileExpression('identity.name == "a" || identity.name == "b" || identity.name == "c"', { boolean: true }, { maxSteps: 4, maxMs: 10_000 });
    expect(() => lookup({ identity: { name: 'z' } })).toThrow(/more than 4 steps/);
    // A comprehension over a list counts each round.
    const rounds = compileExpression('[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(x, x > 0)', { boolean: true }, { maxSteps: 10, maxMs: 10_000 });
    expect(() => rounds({})).toThrow(CelBudgetError);
  });

  it('and at the time budget', () => {
    const test = compileExpression(NESTED, { boolean: true }, { maxSteps: 1e9, maxMs: 50 });
    expect(() => test({})).toThrow(/longer than 50 ms \(AGENTSCAN_CEL_MAX_MS\)/);
  });

  it('a rule that spends its budget is reported failed once, and not re-run for every identity', () => {
    const [compiled] = loadRules([ruleDir(rule(NESTED))], { builtin: false });
    const identities = Array.from({ length: 50 }, (_, i) => makeIdentity({ id: `aws:1:role/r${i}`, name: `r${i}` }));
    const started = Date.now();
    const { findings, errors } = evaluateRules(identities, [compiled], '2026-01-01T00:00:00Z');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(findings).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ ruleId: 'hostile-rule', count: 50, message: expect.stringMatching(/evaluation budget exceeded/) })]);
  });

  it('the scan reports such a rule as failed and exits 3', () => {
    const r = runCli(['scan', '--demo', '--rules', ruleDir(rule(NESTED)), '--format', 'json'], { env: { AGENTSCAN_CEL_MAX_STEPS: '100000' } });
    expect(r.code).toBe(3);
    // The cause is the rule, not the coverage.
    expect(r.stderr).toMatch(/the scan is incomplete \(rule hostile-rule failed to evaluate \(evaluation budget exceeded: more than 100000 steps/);
    expect(r.stderr).not.toMatch(/coverage/);
    const report = JSON.parse(r.stdout);
    expect(report.complete).toBe(false);
    expect(report.ruleErrors).toEqual([expect.objectContaining({ ruleId: 'hostile-rule', message: expect.stringMatching(/^evaluation budget exceeded/) })]);
  });
});

describe('conditions that are not boolean', () => {
  it.each([
    ['1 + 1', 'int'],
    ["'yes'", 'string'],
    ['identity.credentials.map(c, c.id)', 'list'],
  ])('%s is rejected when the rule loads (exit 2)', (condition, type) => {
    let err: unknown;
    try {
      loadRules([ruleDir(rule(condition))], { builtin: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(new RegExp(`rule\\.yaml: condition: CEL error: the expression yields ${type}.*, not bool`));
  });

  it('a dynamic field that turns out not to be a boolean fails the rule when evaluated, instead of never firing', () => {
    const [compiled] = loadRules([ruleDir(rule('identity.name'))], { builtin: false });
    const { errors } = evaluateRules([makeIdentity({ name: 'x' })], [compiled], '2026-01-01T00:00:00Z');
    expect(errors[0]).toMatchObject({ ruleId: 'hostile-rule', message: 'the condition yielded a string, not a bool' });
  });

  it('exits 2 from the CLI naming the file', () => {
    const r = runCli(['scan', '--demo', '--rules', ruleDir(rule('1 + 1'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rule\.yaml: condition: CEL error: the expression yields int, not bool/);
  });
});
