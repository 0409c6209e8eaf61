// IAM Conditions are CEL expressions. The one shape that matters for standing privilege is a
// time bound: `request.time < timestamp("2026-12-31T00:00:00Z")`, which is how temporary
// grants are written (and what the console's "expires" option produces).

const UPPER_BOUND = [
  /request\.time\s*<=?\s*timestamp\(\s*["']([^"']+)["']\s*\)/g,
  /timestamp\(\s*["']([^"']+)["']\s*\)\s*>=?\s*request\.time/g,
];

/**
 * The moment a condition stops granting, when it has one: the earliest upper bound on
 * request.time. An expression with `||` is not read, because a bound on one side of a
 * disjunction does not end the grant.
 */
export function conditionExpiry(expression: string): string | undefined {
  if (expression.includes('||')) return undefined;
  let earliest: number | undefined;
  for (const pattern of UPPER_BOUND) {
    for (const match of expression.matchAll(pattern)) {
      const t = Date.parse(match[1]);
      if (!Number.isNaN(t) && (earliest === undefined || t < earliest)) earliest = t;
    }
  }
  return earliest === undefined ? undefined : new Date(earliest).toISOString().replace('.000Z', 'Z');
}
