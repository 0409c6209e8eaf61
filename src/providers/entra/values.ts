// Small value helpers shared by the Entra normalizer modules.

/** A Graph date-time as canonical ISO-8601 UTC, so dates compare as strings across providers. */
export function iso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The later of two ISO timestamps, ignoring absent ones. */
export function latest(...values: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const v of values) if (v && (!best || v > best)) best = v;
  return best;
}

/** Drops keys whose value is undefined or null so attributes stay readable in JSON output. */
export function compact(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

/** Object ids, app ids and key ids compare case-insensitively in Graph. */
export function idKey(id: string): string {
  return id.toLowerCase();
}
