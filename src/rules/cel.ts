import { Environment } from '@marcbachmann/cel-js';

// One CEL environment for every rule. CEL is sandboxed and non-Turing-complete, so a
// user's rule file can read the inventory but never run code.

const VARIABLES = ['identity', 'credential', 'entitlement', 'trust', 'declaration', 'suppression', 'manifest', 'params'] as const;

function makeEnvironment(): Environment {
  const env = new Environment({ homogeneousAggregateLiterals: false });
  for (const name of VARIABLES) env.registerVariable(name, 'dyn');
  return env;
}

export const celEnvironment = makeEnvironment();

export type CompiledExpression = (context: Record<string, unknown>) => unknown;

/** Parses and type-checks an expression; throws with CEL's own message on error. */
export function compileExpression(source: string): CompiledExpression {
  const parsed = celEnvironment.parse(source);
  const check = parsed.check();
  if (!check.valid) throw check.error ?? new Error('type check failed');
  return (context) => parsed(context);
}

/** Converts a plain value for CEL: whole numbers become CEL ints (BigInt) so `x + 1` and
 * `x > 90` both work, undefined fields are dropped so `has(x.f)` means "present". */
export function toCel(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = toCel(v);
    }
    return out;
  }
  return value;
}

/** Converts a CEL result back to plain JSON values (BigInt → number). */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = fromCel(v);
    return out;
  }
  return value;
}
