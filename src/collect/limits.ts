import { intFromEnv } from './timeouts.js';

// How large one API answer may be. A provider page is at most a few megabytes; an endpoint
// that streams hundreds of them would otherwise exhaust memory (or Node's string limit) and
// abort the process. Over the limit, the call fails and becomes a coverage entry.

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** AGENTSCAN_MAX_RESPONSE_BYTES, default 64 MiB. */
export function maxResponseBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return intFromEnv(env, 'AGENTSCAN_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1024, 400 * 1024 * 1024);
}

export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes (AGENTSCAN_MAX_RESPONSE_BYTES)`);
    this.name = 'ResponseTooLarge';
  }
}
