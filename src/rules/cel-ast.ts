// The shape of cel-js's parsed expressions, as far as our own passes over them read it.

/** Comprehensions over lists shorter than this are cheaper to iterate again than to look up an
 * answer remembered per list (both evaluators remember closed ones). */
export const COMPREHENSION_MEMO_MIN = 16;

export interface AstNode {
  op: string;
  args: unknown;
  meta: { alternate?: AstNode; evaluate?: unknown };
  handle?: (iterable: unknown, args: unknown, ev: unknown, ctx: unknown) => unknown;
  evaluate: (ev: { run(ast: unknown, ctx: unknown): unknown }, ast: AstNode, ctx: unknown) => unknown;
}

export const isNode = (x: unknown): x is AstNode => !!x && typeof x === 'object' && typeof (x as AstNode).op === 'string' && 'meta' in (x as object);

/** Variables a sub-expression reads that it does not bind itself (comprehension variables are bound within). */
export function freeVariables(node: unknown, bound: ReadonlySet<string>, out: Set<string>, seen = new Set<unknown>()): Set<string> {
  if (!node || typeof node !== 'object' || seen.has(node)) return out;
  seen.add(node);
  if (isNode(node)) {
    if (node.meta.alternate) return freeVariables(node.meta.alternate, bound, out, seen);
    if (node.op === 'id') {
      if (typeof node.args === 'string' && !bound.has(node.args)) out.add(node.args);
      return out;
    }
    if (node.op === 'comprehension') {
      const args = node.args as { iterable: unknown; iterVarName: string; init: unknown; step: unknown };
      freeVariables(args.iterable, bound, out, seen);
      const inner = new Set([...bound, args.iterVarName]);
      freeVariables(args.init, inner, out, seen);
      freeVariables(args.step, inner, out, seen);
      return out;
    }
    return freeVariables(node.args, bound, out, seen);
  }
  for (const child of Array.isArray(node) ? node : Object.values(node)) freeVariables(child, bound, out, seen);
  return out;
}
