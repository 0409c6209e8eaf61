import { InputError } from '../util/errors.js';

// Every provider client gets the same three bounds, so an endpoint that accepts a connection and
// never answers (or trickles bytes) ends as a coverage entry instead of hanging the CLI. Read from
// the environment so CI and tests can tighten them without new flags.

export interface HttpTimeouts {
  /** Establishing the TCP/TLS connection (AGENTSCAN_CONNECT_TIMEOUT_MS). */
  connectMs: number;
  /** Longest silence while waiting for or reading a response (AGENTSCAN_RESPONSE_TIMEOUT_MS). */
  responseMs: number;
  /** One call from first byte sent to last byte read, retries excluded (AGENTSCAN_CALL_DEADLINE_MS). */
  callDeadlineMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, responseMs: 60_000, callDeadlineMs: 300_000 };

/** A whole number of `name` from the environment within [min, max], else `fallback`; a bad value is a usage error. */
export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(`${name}=${raw}: expected a whole number from ${min} to ${max}`);
  }
  return n;
}

export function timeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpTimeouts {
  return {
    connectMs: intFromEnv(env, 'AGENTSCAN_CONNECT_TIMEOUT_MS', DEFAULT_TIMEOUTS.connectMs, 1, 600_000),
    responseMs: intFromEnv(env, 'AGENTSCAN_RESPONSE_TIMEOUT_MS', DEFAULT_TIMEOUTS.responseMs, 1, 3_600_000),
    callDeadlineMs: intFromEnv(env, 'AGENTSCAN_CALL_DEADLINE_MS', DEFAULT_TIMEOUTS.callDeadlineMs, 1, 3_600_000),
  };
}
