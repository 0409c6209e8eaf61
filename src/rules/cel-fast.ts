import { COMPREHENSION_MEMO_MIN, freeVariables, isNode, type AstNode } from './cel-ast.js';

// cel-js interprets an expression node by node and picks each operator's overload from the
// runtime types of its operands. A scan evaluates hundreds of thousands of expressions (every
// rule's condition on every identity and item, then each finding's message, evidence and root
// cause), so that dispatch was a third of the rules' time. Here the parsed expression is turned
// once into nested JavaScript closures, for the part of CEL the rules use.
//
// The closures are a fast path, never the authority. Wherever a value is not one whose meaning
// is plain and certain (a comparison of mixed types, a map where a list is expected, a missing
// field, an error anywhere, a budget getting near its end), they stop and the caller asks cel-js,
// which gives its own value or its own error. So a closure only has to be right when it answers,
// and it answers only where cel-js's overloads are plain JavaScript on the values CEL sees here:
// strings, booleans, ints (BigInt), doubles, null, lists (arrays) and maps (plain objects).

type Context = Record<string, unknown>;
/** The values of the comprehension variables in scope, one slot per nesting level. */
type Frame = unknown[];
type Closure = (ctx: Context, frame: Frame) => unknown;

/** Thrown to stop the fast path; not an Error, so no stack is captured. */
const STOP: unique symbol = Symbol('hand over to cel-js');
/** What a fast expression returns when cel-js must answer instead. */
export const HANDED_OVER: unique symbol = Symbol('handed over');

export interface FastBudget {
  maxSteps: number;
  maxMs: number;
}

export type FastExpression = (ctx: Context) => unknown;

/** How often the fast path answered and how often it handed over, for benchmarks and tests. */
export const fastCelStats = { answered: 0, handedOver: 0 };

const MAX_INT = 2n ** 63n - 1n;
const MIN_INT = -(2n ** 63n);

// The budget of the evaluation under way. cel-js counts one step per sub-expression evaluated;
// the count here is an over-estimate of it (every node of a comprehension's body, plus the nodes
// its expansion adds, on every round), stopped at half the budget, so an expression answered here
// is one cel-js would have finished within its budget too. Near the limit, cel-js decides.
const meter = { steps: 0, limit: 0, rounds: 0, deadline: 0 };

function round(cost: number): void {
  if ((meter.steps += cost) > meter.limit) throw STOP;
  if ((++meter.rounds & 1023) === 0 && Date.now() > meter.deadline) throw STOP;
}

const hasOwn = Object.hasOwn;

function isMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A value read from the context: one of the kinds above, or stop. */
function known(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
    case 'number':
      return value;
    case 'object':
      if (value === null || Array.isArray(value) || isMap(value)) return value;
  }
  throw STOP;
}

function field(target: unknown, key: string): unknown {
  if (!isMap(target) || !hasOwn(target, key)) throw STOP;
  return known(target[key]);
}

function int(value: bigint): bigint {
  if (value > MAX_INT || value < MIN_INT) throw STOP;
  return value;
}

function bool(value: unknown): boolean {
  if (typeof value !== 'boolean') throw STOP;
  return value;
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw STOP;
  return value;
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw STOP;
  return value;
}

function size(value: unknown): bigint {
  if (typeof value === 'string') {
    let n = 0;
    for (const _ of value) n++;
    return BigInt(n);
  }
  if (Array.isArray(value)) return BigInt(value.length);
  if (isMap(value)) return BigInt(Object.keys(value).length);
  throw STOP;
}

const primitive = (t: string) => t === 'string' || t === 'boolean' || t === 'bigint' || t === 'number';

function equal(a: unknown, b: unknown): boolean {
  const t = typeof a;
  if (t !== typeof b || !primitive(t)) throw STOP;
  return a === b;
}

function compare(a: unknown, b: unknown): void {
  const t = typeof a;
  if (t !== typeof b || (t !== 'bigint' && t !== 'number')) throw STOP;
}

function plus(a: unknown, b: unknown): unknown {
  const t = typeof a;
  if (t === 'string' && typeof b === 'string') return a + b;
  if (t === 'bigint' && typeof b === 'bigint') return int((a as bigint) + b);
  if (t === 'number' && typeof b === 'number') return (a as number) + b;
  // cel-js types a list by its first element; lists of one primitive type concatenate.
  if (Array.isArray(a) && Array.isArray(b) && a.length && b.length && typeof a[0] === typeof b[0] && primitive(typeof a[0])) return [...a, ...b];
  throw STOP;
}

function minus(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return int(a - b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  throw STOP;
}

function member(needle: unknown, haystack: unknown): boolean {
  const t = typeof needle;
  if (Array.isArray(haystack)) {
    if ((t !== 'string' && t !== 'boolean') || (haystack.length && typeof haystack[0] !== t)) throw STOP;
    return haystack.includes(needle);
  }
  if (isMap(haystack) && t === 'string') return hasOwn(haystack, needle as string) && haystack[needle as string] !== undefined;
  throw STOP;
}

function toText(value: unknown): string {
  const t = typeof value;
  if (t === 'string') return value as string;
  if (t === 'boolean' || t === 'bigint') return `${value as boolean | bigint}`;
  throw STOP;
}

function join(value: unknown, separator: unknown): string {
  const items = list(value);
  for (const item of items) if (typeof item !== 'string') throw STOP;
  return items.join(text(separator));
}

function countNodes(node: unknown, seen = new Set<unknown>()): number {
  if (!node || typeof node !== 'object' || seen.has(node)) return 0;
  seen.add(node);
  let n = isNode(node) ? 1 : 0;
  const children = isNode(node) ? [node.args] : Array.isArray(node) ? node : Object.values(node);
  for (const child of children) n += countNodes(child, seen);
  return n;
}

const MACROS = new Set(['exists', 'all', 'filter', 'map']);

type Scope = ReadonlyMap<string, number>;

class Compiler {
  slots = 0;
  comprehensions = false;

  constructor(
    private readonly variables: ReadonlySet<string>,
    private readonly find: (text: string, pattern: string) => boolean,
  ) {}

  /** The closure for a node, or undefined when the node is outside the subset. */
  node(node: unknown, scope: Scope): Closure | undefined {
    if (!isNode(node)) return undefined;
    const args = node.args as unknown[];
    switch (node.op) {
      case 'value':
        return this.literal(node.args);
      case 'id':
        return this.id(node.args, scope);
      case '.': {
        const target = this.node(args[0], scope);
        const key = args[1];
        if (!target || typeof key !== 'string') return undefined;
        return (c, f) => field(target(c, f), key);
      }
      case '[]':
        return this.binary(args, scope, (target, key) => {
          if (Array.isArray(target) && typeof key === 'bigint') {
            const i = Number(key);
            if (i < 0 || i >= target.length) throw STOP;
            return known(target[i]);
          }
          if (typeof key === 'string') return field(target, key);
          throw STOP;
        });
      case '&&': {
        const [l, r] = this.all(args, scope) ?? [];
        if (!l || !r) return undefined;
        return (c, f) => (bool(l(c, f)) ? bool(r(c, f)) : false);
      }
      case '||': {
        const [l, r] = this.all(args, scope) ?? [];
        if (!l || !r) return undefined;
        return (c, f) => (bool(l(c, f)) ? true : bool(r(c, f)));
      }
      case '!_': {
        const operand = this.node(node.args, scope);
        return operand && ((c, f) => !bool(operand(c, f)));
      }
      case '-_': {
        const operand = this.node(node.args, scope);
        return (
          operand &&
          ((c, f) => {
            const v = operand(c, f);
            if (typeof v === 'bigint') return -v;
            if (typeof v === 'number') return -v;
            throw STOP;
          })
        );
      }
      case '?:': {
        const [cond, yes, no] = this.all(args, scope) ?? [];
        if (!cond || !yes || !no) return undefined;
        return (c, f) => (bool(cond(c, f)) ? yes(c, f) : no(c, f));
      }
      case '==':
        return this.binary(args, scope, equal);
      case '!=':
        return this.binary(args, scope, (a, b) => !equal(a, b));
      case '<':
        return this.binary(args, scope, (a, b) => (compare(a, b), (a as number) < (b as number)));
      case '<=':
        return this.binary(args, scope, (a, b) => (compare(a, b), (a as number) <= (b as number)));
      case '>':
        return this.binary(args, scope, (a, b) => (compare(a, b), (a as number) > (b as number)));
      case '>=':
        return this.binary(args, scope, (a, b) => (compare(a, b), (a as number) >= (b as number)));
      case 'in':
        return this.binary(args, scope, member);
      case '+':
        return this.binary(args, scope, plus);
      case '-':
        return this.binary(args, scope, minus);
      case 'list': {
        const items = this.all(args, scope);
        return items && ((c, f) => items.map((item) => item(c, f)));
      }
      case 'call':
        return this.call(args[0], args[1] as unknown[], scope);
      case 'rcall':
        return node.meta.alternate && MACROS.has(args[0] as string)
          ? this.macro(args[0] as string, args[1], args[2] as unknown[], scope)
          : this.method(args[0], args[1], args[2] as unknown[], scope);
      default:
        return undefined;
    }
  }

  private literal(value: unknown): Closure | undefined {
    if (value !== null && !primitive(typeof value)) return undefined;
    return () => value;
  }

  private id(name: unknown, scope: Scope): Closure | undefined {
    if (typeof name !== 'string') return undefined;
    const slot = scope.get(name);
    if (slot !== undefined) return (_c, f) => f[slot];
    if (!this.variables.has(name)) return undefined;
    return (c) => known(c[name]);
  }

  private all(nodes: unknown, scope: Scope): Closure[] | undefined {
    if (!Array.isArray(nodes)) return undefined;
    const out: Closure[] = [];
    for (const n of nodes) {
      const closure = this.node(n, scope);
      if (!closure) return undefined;
      out.push(closure);
    }
    return out;
  }

  private binary(args: unknown[], scope: Scope, op: (a: unknown, b: unknown) => unknown): Closure | undefined {
    const [l, r] = this.all(args, scope) ?? [];
    if (!l || !r) return undefined;
    return (c, f) => op(l(c, f), r(c, f));
  }

  private call(name: unknown, argNodes: unknown[], scope: Scope): Closure | undefined {
    if (name === 'has') return this.has(argNodes[0], scope);
    const a = this.all(argNodes, scope);
    if (!a) return undefined;
    if (name === 'size' && a.length === 1) return (c, f) => size(a[0](c, f));
    if (name === 'string' && a.length === 1) return (c, f) => toText(a[0](c, f));
    if (name === 'matchesRe2' && a.length === 2) return (c, f) => this.find(text(a[0](c, f)), text(a[1](c, f)));
    return undefined;
  }

  /** `has(a.b.c)`: every step but the last must be present, the last is the answer. */
  private has(arg: unknown, scope: Scope): Closure | undefined {
    const keys: string[] = [];
    let node = arg;
    while (isNode(node) && node.op === '.') {
      const [target, key] = node.args as [unknown, unknown];
      if (typeof key !== 'string') return undefined;
      keys.unshift(key);
      node = target;
    }
    if (!keys.length || !isNode(node) || node.op !== 'id') return undefined;
    const root = this.id(node.args, scope);
    if (!root) return undefined;
    const last = keys.length - 1;
    return (c, f) => {
      let value = root(c, f);
      for (let i = 0; i < last; i++) value = field(value, keys[i]);
      if (!isMap(value)) throw STOP;
      return hasOwn(value, keys[last]) && value[keys[last]] !== undefined;
    };
  }

  private method(name: unknown, receiverNode: unknown, argNodes: unknown[], scope: Scope): Closure | undefined {
    const receiver = this.node(receiverNode, scope);
    const a = this.all(argNodes, scope);
    if (!receiver || !a) return undefined;
    if (name === 'size' && a.length === 0) return (c, f) => size(receiver(c, f));
    if (name === 'join' && a.length <= 1) return a.length ? (c, f) => join(receiver(c, f), a[0](c, f)) : (c, f) => join(receiver(c, f), '');
    if (a.length !== 1) return undefined;
    const arg = a[0];
    switch (name) {
      case 'startsWith':
        return (c, f) => text(receiver(c, f)).startsWith(text(arg(c, f)));
      case 'endsWith':
        return (c, f) => text(receiver(c, f)).endsWith(text(arg(c, f)));
      case 'contains':
        return (c, f) => text(receiver(c, f)).includes(text(arg(c, f)));
      case 'matchesRe2':
        return (c, f) => this.find(text(receiver(c, f)), text(arg(c, f)));
      default:
        return undefined;
    }
  }

  /** exists, all, filter and map over a list, the variable in a slot of the frame. */
  private macro(name: string, receiverNode: unknown, argNodes: unknown[], scope: Scope): Closure | undefined {
    if (argNodes.length !== 2) return undefined;
    const [variable, bodyNode] = argNodes;
    if (!isNode(variable) || variable.op !== 'id' || typeof variable.args !== 'string') return undefined;
    const receiver = this.node(receiverNode, scope);
    // One past the deepest slot in use: a variable that shadows an outer one of its name takes a
    // slot of its own, so the scope's size is not the depth.
    const slot = scope.size === 0 ? 0 : Math.max(...scope.values()) + 1;
    const body = this.node(bodyNode, new Map(scope).set(variable.args, slot));
    if (!receiver || !body) return undefined;
    this.slots = Math.max(this.slots, slot + 1);
    this.comprehensions = true;
    // The expansion cel-js evaluates adds an accumulator step and a ternary around the body.
    const cost = countNodes(bodyNode) + 4;
    const each = loop(name, body, slot, cost);
    // A body that reads only its own element answers the same for the same list, and lists are
    // shared between identities (CelMemo): remembered per list, as cel.ts does for cel-js.
    if (freeVariables(bodyNode, new Set([variable.args]), new Set()).size > 0) return (c, f) => each(list(receiver(c, f)), c, f);
    const answers = new WeakMap<unknown[], unknown>();
    return (c, f) => {
      const items = list(receiver(c, f));
      if (items.length < COMPREHENSION_MEMO_MIN) return each(items, c, f);
      let answer = answers.get(items);
      if (answer === undefined) answers.set(items, (answer = each(items, c, f)));
      return answer;
    };
  }
}

function loop(name: string, body: Closure, slot: number, cost: number): (items: unknown[], c: Context, f: Frame) => unknown {
  switch (name) {
    case 'exists':
      return (items, c, f) => {
        for (let i = 0; i < items.length; i++) {
          round(cost);
          f[slot] = known(items[i]);
          if (bool(body(c, f))) return true;
        }
        return false;
      };
    case 'all':
      return (items, c, f) => {
        for (let i = 0; i < items.length; i++) {
          round(cost);
          f[slot] = known(items[i]);
          if (!bool(body(c, f))) return false;
        }
        return true;
      };
    case 'filter':
      return (items, c, f) => {
        const out: unknown[] = [];
        for (let i = 0; i < items.length; i++) {
          round(cost);
          const item = (f[slot] = known(items[i]));
          if (bool(body(c, f))) out.push(item);
        }
        return out;
      };
    default:
      return (items, c, f) => {
        const out: unknown[] = [];
        for (let i = 0; i < items.length; i++) {
          round(cost);
          f[slot] = known(items[i]);
          out.push(body(c, f));
        }
        return out;
      };
  }
}

const NO_FRAME: Frame = [];

/** The expression as closures, or undefined when it uses anything outside the subset (then cel-js
 * evaluates it every time). The result's answer is HANDED_OVER where cel-js must decide. */
export function compileFast(
  ast: unknown,
  variables: ReadonlySet<string>,
  find: (text: string, pattern: string) => boolean,
  budget: FastBudget,
): FastExpression | undefined {
  const compiler = new Compiler(variables, find);
  const closure = compiler.node(ast as AstNode, new Map());
  if (!closure) return undefined;
  const base = countNodes(ast);
  // So large an expression might spend its budget without a single comprehension: cel-js counts it.
  if (base > budget.maxSteps / 2) return undefined;
  const { slots, comprehensions } = compiler;
  return (ctx) => {
    meter.steps = base;
    meter.limit = budget.maxSteps / 2;
    if (comprehensions) {
      meter.rounds = 0;
      meter.deadline = Date.now() + budget.maxMs / 2;
    }
    try {
      const value = closure(ctx, slots ? new Array(slots) : NO_FRAME);
      fastCelStats.answered++;
      return value;
    } catch {
      // STOP, or a JavaScript error on a value no check above foresaw: either way cel-js decides.
      fastCelStats.handedOver++;
      return HANDED_OVER;
    }
  };
}
