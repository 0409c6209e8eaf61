import { z } from 'zod';

const DATE_OR_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/** true for a date that exists on the calendar (no 2025-13-01, no 2026-02-30) and a real time of day. */
export function isRealDateOrTime(value: string): boolean {
  const m = DATE_OR_TIME.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  if (m[4] === undefined) return true;
  const inRange = (v: string | undefined, max: number) => v === undefined || Number(v) <= max;
  return inRange(m[4], 23) && inRange(m[5], 59) && inRange(m[6], 59) && inRange(m[8], 23) && inRange(m[9], 59) && !Number.isNaN(Date.parse(value));
}

/** A date (YYYY-MM-DD) or an ISO-8601 time, as people write expiries in YAML; it must exist,
 * since an expiry that cannot be parsed would never expire. */
export const dateOrTime = z
  .string()
  .regex(DATE_OR_TIME, 'must be a date (YYYY-MM-DD) or an ISO-8601 time')
  .refine(isRealDateOrTime, { message: 'is not a real date or time (month 01-12, a day the month has, hours 00-23)' });

/** When an expiry ends: a bare date lasts the whole day (UTC). */
export function expiryInstant(value: string): number {
  return Date.parse(value.length === 10 ? `${value}T23:59:59Z` : value);
}

export const DAY_MS = 86_400_000;
