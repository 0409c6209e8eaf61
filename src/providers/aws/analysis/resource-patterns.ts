// Resource patterns as IAM writes them (ARNs with * and ? wildcards, or "*"), and the little
// algebra effective-permission analysis needs: does one pattern cover another, and what do two
// lists of patterns have in common. Patterns are compared, not enumerated: "covers" treats the
// narrower pattern as a literal string matched by the wider one, which is exact for the ARN
// shapes policies use (a prefix and a trailing wildcard).

const regexes = new Map<string, RegExp>();

function resourceRegex(pattern: string): RegExp {
  let re = regexes.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((run) => run.split('?').map((s) => s.replace(/[.+^${}()|[\]\\/]/g, '\\$&')).join('.'))
      .join('.*');
    // ARNs are case-sensitive, unlike action names.
    re = new RegExp(`^${body}$`, 's');
    regexes.set(pattern, re);
  }
  return re;
}

/** Whether every resource `specific` can match is also matched by `general`. */
export function covers(general: string, specific: string): boolean {
  return general === '*' || general === specific || resourceRegex(general).test(specific);
}

export function coversAny(patterns: readonly string[], resource: string): boolean {
  return patterns.some((p) => covers(p, resource));
}

/** The resources both lists reach: each pattern of one list that the other list covers. */
export function intersect(a: readonly string[], b: readonly string[]): string[] {
  const out = new Set<string>();
  for (const x of a) if (b.some((y) => covers(y, x))) out.add(x);
  for (const y of b) if (a.some((x) => covers(x, y))) out.add(y);
  return [...out];
}

/** Policy variables in resources (arn:aws:iam::*:user/${aws:username}) resolved for one principal;
 * unknown variables stay as written, so they match nothing but themselves. */
export function substitute(pattern: string, variables: Readonly<Record<string, string>>): string {
  if (!pattern.includes('${')) return pattern;
  return pattern.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    return variables[name.toLowerCase()] ?? whole;
  });
}
