import { Environment } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import { intFromEnv } from '../collect/timeouts.js';
import { Deferred } from '../util/deferred.js';
import { COMPREHENSION_MEMO_MIN, freeVariables, isNode, type AstNode } from './cel-ast.js';
import { compileFast, HANDED_OVER } from './cel-fast.js';

// One CEL environment for every rule. CEL is sandboxed and non-Turing-complete, so a
// user's rule file can read the inventory but never run code. It can still run for very long:
// nested comprehensions multiply, and cel-js's `matches` uses JavaScript's backtracking
// regular expressions (`'aaaa…b'.matches('^(a+)+$')` never ends). So every evaluation gets a
// budget of steps and time (CelBudgetError when spent), and `matches` is RE2 (linear time, the
// semantics CEL specifies) from re2js.

const VARIABLES = ['identity', 'credential', 'entitlement', 'trust', 'declaration', 'suppression', 'manifest', 'params'] as const;
const VARIABLE_SET: ReadonlySet<string> = new Set(VARIABLES);

/** The name `matches` is given in parsed expressions: cel-js does not let its own be replaced. */
const RE2_MATCHES = 'matchesRe2';

export class CelBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CelBudgetError';
  }
}

export interface CelBudget {
  /** Evaluation steps (sub-expressions evaluated, comprehension rounds included) per evaluation. */
  maxSteps: number;
  /** Wall-clock time per evaluation. */
  maxMs: number;
}

/** AGENTSCAN_CEL_MAX_STEPS (default 1,000,000) and AGENTSCAN_CEL_MAX_MS (default 1000). */
export function celBudgetFromEnv(env: NodeJS.ProcessEnv = process.env): CelBudget {
  return {
    maxSteps: intFromEnv(env, 'AGENTSCAN_CEL_MAX_STEPS', 1_000_000, 100, 1_000_000_000),
    maxMs: intFromEnv(env, 'AGENTSCAN_CEL_MAX_MS', 1000, 1, 600_000),
  };
}

/** Spent by the evaluation under way (evaluations are synchronous, so one at a time). Once
 * spent, every further step throws: CEL's all()/exists() catch errors of their steps and go on,
 * so one throw would not end the evaluation. */
const meter = { active: false, steps: 0, maxSteps: 0, deadline: 0, maxMs: 0, spent: '' };

function tick(): void {
  if (!meter.active) return;
  if (meter.spent) throw new CelBudgetError(meter.spent);
  if (++meter.steps > meter.maxSteps) {
    meter.spent = `evaluation budget exceeded: more than ${meter.maxSteps} steps (AGENTSCAN_CEL_MAX_STEPS)`;
  } else if ((meter.steps & 1023) === 0 && Date.now() > meter.deadline) {
    meter.spent = `evaluation budget exceeded: longer than ${meter.maxMs} ms (AGENTSCAN_CEL_MAX_MS)`;
  }
  if (meter.spent) throw new CelBudgetError(meter.spent);
}

const compiledPatterns = new Map<string, RE2JS>();
function re2(pattern: string): RE2JS {
  let re = compiledPatterns.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (err) {
      throw new Error(`invalid regular expression ${JSON.stringify(pattern)} (RE2 syntax): ${(err as Error).message}`);
    }
    if (compiledPatterns.size > 1000) compiledPatterns.clear();
    compiledPatterns.set(pattern, re);
  }
  return re;
}

let meteredEvaluator = false;

function makeEnvironment(): Environment {
  const env = new Environment({ homogeneousAggregateLiterals: false });
  for (const name of VARIABLES) env.registerVariable(name, 'dyn');
  // cel-js evaluates every sub-expression, each comprehension round too, through its
  // evaluator's run(); counting there meters any expression. The evaluator is not exported,
  // so the first call of our matches reaches it as `this`.
  function matches(this: unknown, text: string, pattern: string): boolean {
    if (!meteredEvaluator && this && typeof this === 'object') {
      const proto = Object.getPrototypeOf(this) as { run?: (ast: unknown, ctx: unknown) => unknown };
      const run = proto.run;
      if (typeof run === 'function') {
        proto.run = function (this: unknown, ast: unknown, ctx: unknown) {
          tick();
          return run.call(this, ast, ctx);
        };
        meteredEvaluator = true;
      }
    }
    return regexFind(text, pattern);
  }
  env.registerFunction(`string.${RE2_MATCHES}(string): bool`, matches);
  env.registerFunction(`${RE2_MATCHES}(string, string): bool`, matches);
  env.evaluate(`'a'.${RE2_MATCHES}('a')`, {});
  if (!meteredEvaluator) throw new Error('internal: could not meter CEL evaluation');
  return env;
}

export const celEnvironment = makeEnvironment();

export type CompiledExpression = (context: Record<string, unknown>) => unknown;

interface AstLike {
  op?: string;
  args?: unknown;
}

/** Points every call of `matches` at the RE2 version, before the type check binds the name. */
function useRe2Matches(node: unknown, seen = new Set<unknown>()): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const ast = node as AstLike;
  if ((ast.op === 'rcall' || ast.op === 'call') && Array.isArray(ast.args) && ast.args[0] === 'matches') ast.args[0] = RE2_MATCHES;
  if (Array.isArray(node)) for (const child of node) useRe2Matches(child, seen);
  else if (Array.isArray(ast.args)) for (const child of ast.args) useRe2Matches(child, seen);
  else if (ast.args && typeof ast.args === 'object') for (const child of Object.values(ast.args)) useRe2Matches(child, seen);
}

/** The variables an expression reads (`identity`, `trust`, `params`, …). */
export function variablesRead(source: string): Set<string> {
  return freeVariables((celEnvironment.parse(source) as unknown as { ast: unknown }).ast, new Set(), new Set());
}


/** Calls `fn` on every comprehension node of a parsed expression, macro expansions included. */
function forEachComprehension(root: unknown, fn: (node: AstNode) => void): void {
  const visit = (node: unknown, seen: Set<unknown>): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (isNode(node)) {
      if (node.meta.alternate) visit(node.meta.alternate, seen);
      if (node.op === 'comprehension') fn(node);
      visit(node.args, seen);
      return;
    }
    for (const child of Array.isArray(node) ? node : Object.values(node)) visit(child, seen);
  };
  visit(root, new Set());
}

/** A comprehension whose step reads nothing but its own element (`permissions.exists(p,
 * p.endsWith(':*'))`) gives the same answer for the same list. Converted lists are shared
 * between identities (CelMemo), so thousands of holders of one managed policy ask it of one
 * list object: the answer is remembered per list instead of iterating thousands of actions
 * again for each. */
function memoizeClosedComprehensions(root: unknown): void {
  forEachComprehension(root, (node) => {
    const args = node.args as { iterVarName: string; init: unknown; step: unknown };
    const bound = new Set([args.iterVarName]);
    const free = freeVariables(args.step, bound, freeVariables(args.init, bound, new Set()));
    if (free.size === 0 && node.handle) memoizeComprehension(node);
  });
}

interface IterationContext {
  async?: boolean;
  iterValue?: unknown;
  accuValue?: unknown;
  reuse(parent: unknown): unknown;
}

/** cel-js keeps one iteration context per comprehension and reuses it on the next evaluation;
 * between evaluations it still points at the last one's variables, so every rule kept some
 * identity's CEL value alive — and through its deferred fields the scan's whole CelMemo — for as
 * long as the rules lived. Returns what lets go of them once an evaluation is over. */
function iterationReleaser(root: unknown): (() => void) | undefined {
  const contexts: IterationContext[] = [];
  forEachComprehension(root, (node) => {
    const ctx = (node.args as { iterCtx?: IterationContext }).iterCtx;
    if (ctx && typeof ctx.reuse === 'function') contexts.push(ctx);
  });
  if (contexts.length === 0) return undefined;
  return () => {
    for (const ctx of contexts) {
      // An asynchronous evaluation makes fresh contexts instead; ours are synchronous.
      if (ctx.async) continue;
      ctx.reuse(undefined);
      ctx.iterValue = undefined;
      ctx.accuValue = undefined;
    }
  };
}

function memoizeComprehension(node: AstNode): void {
  const answers = new WeakMap<object, unknown>();
  node.evaluate = (ev, ast, ctx) => {
    const args = ast.args as { iterable: unknown };
    const iterable = ev.run(args.iterable, ctx);
    if (!Array.isArray(iterable) || iterable.length < COMPREHENSION_MEMO_MIN) return ast.handle!(iterable, ast.args, ev, ctx);
    const known = answers.get(iterable);
    if (known !== undefined) return known;
    const answer = ast.handle!(iterable, ast.args, ev, ctx);
    // An answer reached after the budget ran out may be wrong (quantifiers swallow the error).
    if (!meter.spent && !(answer instanceof Promise)) answers.set(iterable, answer);
    return answer;
  };
}

export interface CompileOptions {
  /** The expression must yield a bool (a `dyn` result is checked when evaluated). */
  boolean?: boolean;
  /** Evaluate through closures first (cel-fast.ts), cel-js deciding wherever they hand over.
   * Default: on, unless AGENTSCAN_CEL_FAST=0 (to compare the two when a result looks wrong). */
  fast?: boolean;
}

const fastByDefault = () => process.env.AGENTSCAN_CEL_FAST !== '0';

function regexFind(text: string, pattern: string): boolean {
  return re2(pattern).matcher(text).find();
}

/** Parses and type-checks an expression; throws with CEL's own message on error. Evaluations
 * run within `budget` (default: from the environment) and throw CelBudgetError past it. */
export function compileExpression(source: string, opts: CompileOptions = {}, budget: CelBudget = celBudgetFromEnv()): CompiledExpression {
  const parsed = celEnvironment.parse(source);
  useRe2Matches((parsed as unknown as { ast: unknown }).ast);
  const check = parsed.check();
  if (!check.valid) throw check.error ?? new Error('type check failed');
  memoizeClosedComprehensions((parsed as unknown as { ast: unknown }).ast);
  const release = iterationReleaser((parsed as unknown as { ast: unknown }).ast);
  if (opts.boolean && check.type !== 'bool' && check.type !== 'dyn') {
    throw new Error(`the expression yields ${check.type}, not bool, so it could never fire`);
  }
  const fast = (opts.fast ?? fastByDefault()) ? compileFast((parsed as unknown as { ast: unknown }).ast, VARIABLE_SET, regexFind, budget) : undefined;
  return (context) => {
    if (fast) {
      const value = fast(context);
      if (value !== HANDED_OVER && (!opts.boolean || typeof value === 'boolean')) return value;
    }
    Object.assign(meter, { active: true, steps: 0, maxSteps: budget.maxSteps, maxMs: budget.maxMs, deadline: Date.now() + budget.maxMs, spent: '' });
    try {
      const value = parsed(context);
      // A quantifier may have swallowed the budget error and still answered.
      if (meter.spent) throw new CelBudgetError(meter.spent);
      if (opts.boolean && typeof value !== 'boolean') throw new Error(`the condition yielded ${describe(value)}, not a bool`);
      return value;
    } finally {
      meter.active = false;
      release?.();
    }
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return 'an int';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value === 'object' ? 'map' : typeof value}`;
}

/** Remembers converted values that are met more than once. */
export class CelMemo {
  seen = new WeakSet<object>();
  readonly converted = new WeakMap<object, unknown>();

  /** Forgets which objects were met once. Called every thousand or so identities: an object that
   * many share is met again long before, and one met once is most of an estate (its own lists),
   * whose entries held 8 MiB at 100,000 AWS identities until the rules ended. */
  forgetSeen(): void {
    this.seen = new WeakSet<object>();
  }
}

/** Converts a plain value for CEL: whole numbers become CEL ints (BigInt) so `x + 1` and
 * `x > 90` both work, undefined fields are dropped so `has(x.f)` means "present". With `memo`,
 * an object or list met before is converted once: identities share policy summaries and
 * permission lists, and CEL never changes a value, so the converted one can be shared too. */
export function toCel(value: unknown, memo?: CelMemo): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value !== 'object') return value;
  // Only sizeable values met a second time are remembered: small ones convert as fast as they
  // are looked up, and the memo must not grow into a second copy of the inventory.
  let remember = false;
  if (memo && sizeable(value)) {
    const known = memo.converted.get(value);
    if (known !== undefined) return known;
    remember = memo.seen.has(value);
    if (!remember) memo.seen.add(value);
  }
  const out = Array.isArray(value) ? listToCel(value, memo) : isPlain(value) ? plainToCel(value as Record<string, unknown>, memo) : toCelMap([value], memo);
  if (remember && out !== value) memo!.converted.set(value, out);
  return out;
}

const isPlain = (value: object) => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

// A value CEL can read as it is (strings, booleans, fractions, and lists and maps of those) is not
// copied: most of an inventory is such text, and CEL never changes a value. A copy is made from
// the first element or field that converts to something else (a whole number, an absent field).

/** `value` with each element converted, copied only from the first element that changes (or a hole). */
function mapOnWrite(value: unknown[], convert: (v: unknown) => unknown): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const c = convert(v);
    if (out) out.push(c);
    else if (c !== v || !(i in value)) (out = value.slice(0, i)).push(c);
  }
  return out ?? value;
}

function listToCel(value: unknown[], memo: CelMemo | undefined): unknown[] {
  return mapOnWrite(value, (v) => toCel(v, memo));
}

function plainToCel(value: Record<string, unknown>, memo: CelMemo | undefined): Record<string, unknown> {
  let fields: Record<string, unknown> | undefined;
  for (const k in value) {
    const v = value[k];
    if (v instanceof Deferred) {
      deferField((fields ??= fieldsBefore(value, k)), k, v, memo);
      continue;
    }
    const c = v === undefined ? undefined : toCel(v, memo);
    if (!fields && c === v && v !== undefined) continue;
    fields ??= fieldsBefore(value, k);
    if (c !== undefined) fields[k] = c;
  }
  return fields ?? value;
}

/** A copy of the fields that come before `key`, which all converted to themselves. */
function fieldsBefore(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const k in value) {
    if (k === key) break;
    fields[k] = value[k];
  }
  return fields;
}

/** One CEL map of the fields of `parts`, later parts winning as in `{ ...a, ...b }`, without
 * first building that merged copy. `ready` fields are CEL values already and go in as they are,
 * where the parts name them. */
export function toCelMap(parts: readonly object[], memo?: CelMemo, ready?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const part of parts) {
    for (const k in part) {
      const isReady = ready !== undefined && k in ready;
      const v = isReady ? ready[k] : (part as Record<string, unknown>)[k];
      if (v instanceof Deferred) deferField(fields, k, v, memo);
      else if (v === undefined) delete fields[k];
      else fields[k] = isReady ? v : toCel(v, memo);
    }
  }
  return fields;
}

const MEMO_MIN_SIZE = 8;

/** Has at least MEMO_MIN_SIZE entries, counted without listing the keys of every object met. */
function sizeable(value: object): boolean {
  if (Array.isArray(value)) return value.length >= MEMO_MIN_SIZE;
  if (value instanceof Map) return value.size >= MEMO_MIN_SIZE;
  let n = 0;
  for (const _ in value) if (++n >= MEMO_MIN_SIZE) return true;
  return false;
}

/** A field computed and converted when an expression first reads it (cel-js reads fields of a
 * plain object with hasOwn and a property read, so an accessor serves), then kept as data. A
 * deferred value of undefined is an absent field, as elsewhere, once it is read. */
function deferField(fields: Record<string, unknown>, key: string, deferred: Deferred<unknown>, memo: CelMemo | undefined): void {
  Object.defineProperty(fields, key, {
    enumerable: true,
    configurable: true,
    get() {
      const raw = deferred.get();
      if (raw === undefined) {
        delete fields[key];
        return undefined;
      }
      const value = toCel(raw, memo);
      Object.defineProperty(fields, key, { value, enumerable: true, configurable: true, writable: false });
      return value;
    },
  });
}

/** Converts a CEL result back to plain JSON values (BigInt → number, maps to objects). As with
 * `toCel`, a list or plain object that is plain JSON already comes back as itself: evidence that
 * is a grant's whole permission list, on every finding about that grant, is one list, not a copy
 * each (CEL values never change, and neither do findings). */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return mapOnWrite(value, fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  const plain = isPlain(value);
  let fields: Record<string, unknown> | undefined = plain ? undefined : {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const c = fromCel(v);
    if (!fields && c === v) continue;
    fields ??= fieldsBefore(value as Record<string, unknown>, k);
    fields[k] = c;
  }
  return fields ?? value;
}
