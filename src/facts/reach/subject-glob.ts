// Whether two subject patterns can name the same token: a trust's pattern (AWS StringLike `*` and
// `?`, an Entra claims expression, an exact subject) against the subjects a repository's workflows
// can be issued, where the parts GitHub fills in per run (branch, environment, event) are open.
// Both sides are globs, so the question is whether their languages intersect; a walk over pairs of
// positions answers it in time proportional to the product of their lengths.

export const ANY: unique symbol = Symbol('any');
const ONE: unique symbol = Symbol('one');
export type Token = string | typeof ANY | typeof ONE;

/** A glob as tokens: `*` any run, `?` one character, everything else literal (lower-cased: GitHub
 * names are case-insensitive, and a trust that differs only in case is still meant for the repository). */
export function globTokens(pattern: string): Token[] {
  return [...pattern.toLowerCase()].map((c) => (c === '*' ? ANY : c === '?' ? ONE : c));
}

/** Literal text as tokens. */
export function literal(text: string): Token[] {
  return [...text.toLowerCase()];
}

export function intersects(a: readonly Token[], b: readonly Token[]): boolean {
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const stack: number[] = [0, 0];
  while (stack.length) {
    const j = stack.pop()!;
    const i = stack.pop()!;
    const k = i * width + j;
    if (seen[k]) continue;
    seen[k] = 1;
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    if (x === ANY) stack.push(i + 1, j);
    if (y === ANY) stack.push(i, j + 1);
    if (i < a.length && j < b.length && !(x === ANY && y === ANY)) {
      const compatible = x === ANY || y === ANY || x === ONE || y === ONE || x === y;
      if (compatible) stack.push(x === ANY ? i : i + 1, y === ANY ? j : j + 1);
    }
  }
  return false;
}
