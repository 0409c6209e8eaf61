import { z } from 'zod';

/** A date (YYYY-MM-DD) or an ISO-8601 time, as people write expiries in YAML. */
export const dateOrTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'must be a date (YYYY-MM-DD) or an ISO-8601 time');

/** When an expiry ends: a bare date lasts the whole day (UTC). */
export function expiryInstant(value: string): number {
  return Date.parse(value.length === 10 ? `${value}T23:59:59Z` : value);
}

export const DAY_MS = 86_400_000;
