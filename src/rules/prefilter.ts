import { celEnvironment } from './cel.js';

// A rule's condition usually opens with what it is about: `identity.provider == 'github' &&`,
// `identity.isAgent &&`, `credential.type == 'access-key' &&`. Those conjuncts are read once,
// when the rule loads, and checked on plain fields before any CEL value is built or evaluated:
// where one is false the whole condition is (CEL's `false && x` is false whatever x is), so the
// rule is skipped for that identity or item with the same answer, for a fraction of the cost.

/** The fields a gate may read, per variable: each always present, a string or a boolean. */
const GATED_FIELDS: Record<string, ReadonlySet<string>> = {
  identity: new Set(['provider', 'kind', 'isAgent', 'enabled', 'human']),
  credential: new Set(['type', 'status']),
  entitlement: new Set(['scope', 'level', 'standing']),
  trust: new Set(['kind']),
};

/** Variables whose gate reads the item's own CEL value, where `has()` can be answered exactly
 * (an identity's gate reads the inventory record, which lacks the facts and declarations CEL sees). */
const HAS_GATED = new Set(['credential', 'entitlement', 'trust']);

type Read = (variable: string, field: string) => unknown;
type Check = (read: Read) => boolean;

export interface RuleGates {
  /** Checks on `identity` fields alone, when the condition has any. */
  identity?: Check;
  /** Checks on the rule's own item (a credential), when the condition has any. */
  item?: Check;
}

interface Node {
  op?: string;
  args?: unknown;
}

const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && 'op' in x;

function conjuncts(node: Node, out: Node[] = []): Node[] {
  if (node.op !== '&&' || !Array.isArray(node.args)) {
    out.push(node);
    return out;
  }
  for (const a of node.args) if (isNode(a)) conjuncts(a, out);
  return out;
}

/** `identity.kind` → ['identity', 'kind'], when it is a gated field. */
function field(node: unknown): [string, string] | undefined {
  if (!isNode(node) || node.op !== '.' || !Array.isArray(node.args)) return undefined;
  const [root, name] = node.args as [unknown, unknown];
  if (!isNode(root) || root.op !== 'id' || typeof root.args !== 'string' || typeof name !== 'string') return undefined;
  return GATED_FIELDS[root.args]?.has(name) ? [root.args, name] : undefined;
}

function literal(node: unknown): string | boolean | undefined {
  if (!isNode(node) || node.op !== 'value') return undefined;
  return typeof node.args === 'string' || typeof node.args === 'boolean' ? node.args : undefined;
}

/** A check for one conjunct, and the variable it reads; undefined when it is not a plain one. */
function checkOf(node: Node): { variable: string; check: Check } | undefined {
  const args = Array.isArray(node.args) ? (node.args as unknown[]) : [];
  // A value of an unexpected type is not judged here: the check passes and CEL decides.
  const plain = (v: unknown) => typeof v === 'string' || typeof v === 'boolean';
  if (node.op === '==' || node.op === '!=') {
    const f = field(args[0]) ?? field(args[1]);
    const value = literal(args[1]) ?? literal(args[0]);
    if (!f || value === undefined) return undefined;
    const equal = node.op === '==';
    return { variable: f[0], check: (read) => { const v = read(f[0], f[1]); return !plain(v) || (v === value) === equal; } };
  }
  if (node.op === 'in') {
    const f = field(args[0]);
    const list = args[1];
    if (!f || !isNode(list) || list.op !== 'list' || !Array.isArray(list.args)) return undefined;
    const values = list.args.map(literal);
    if (values.some((v) => v === undefined)) return undefined;
    const set = new Set(values);
    return { variable: f[0], check: (read) => { const v = read(f[0], f[1]); return !plain(v) || set.has(v as string | boolean); } };
  }
  if (node.op === 'call' && args[0] === 'has' && Array.isArray(args[1]) && args[1].length === 1) {
    const [target] = args[1] as unknown[];
    if (isNode(target) && target.op === '.' && Array.isArray(target.args)) {
      const [root, name] = target.args as [unknown, unknown];
      if (isNode(root) && root.op === 'id' && typeof root.args === 'string' && HAS_GATED.has(root.args) && typeof name === 'string') {
        const variable = root.args;
        return { variable, check: (read) => read(variable, name) !== undefined };
      }
    }
  }
  const bare = field(node);
  if (bare) return { variable: bare[0], check: (read) => { const v = read(bare[0], bare[1]); return typeof v !== 'boolean' || v; } };
  if (node.op === '!_') {
    const negated = field(node.args);
    if (negated) return { variable: negated[0], check: (read) => { const v = read(negated[0], negated[1]); return typeof v !== 'boolean' || !v; } };
  }
  return undefined;
}

/** The gates a condition's leading plain conjuncts give; none when it has none. */
export function ruleGates(condition: string, target: string): RuleGates {
  const ast = (celEnvironment.parse(condition) as unknown as { ast: unknown }).ast;
  if (!isNode(ast)) return {};
  const identity: Check[] = [];
  const item: Check[] = [];
  for (const c of conjuncts(ast)) {
    const found = checkOf(c);
    if (!found) continue;
    if (found.variable === 'identity') identity.push(found.check);
    else if (found.variable === target) item.push(found.check);
  }
  const all = (checks: Check[]): Check | undefined => (checks.length === 0 ? undefined : (read) => checks.every((check) => check(read)));
  return { identity: all(identity), item: all(item) };
}
