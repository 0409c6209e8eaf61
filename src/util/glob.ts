/** A shell-style pattern (* any run of characters, ? one character) as an anchored RegExp. */
export function globToRegExp(pattern: string, { caseInsensitive = false } = {}): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}
