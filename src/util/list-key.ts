/** One string per list of strings, the same only for the same list: each part is led by its
 * length, so no separator a part might itself contain (names come from the estate) can make two
 * lists alike. */
export function listKey(parts: readonly string[]): string {
  let key = '';
  for (const p of parts) key += `${p.length}:${p}`;
  return key;
}
