import { Transform, type Readable } from 'node:stream';
import { intFromEnv } from './timeouts.js';

// How large one API answer may be. A provider page is at most a few megabytes; an endpoint
// that streams hundreds of them would otherwise exhaust memory (or Node's string limit) and
// abort the process. Over the limit, the body stops being read, the call fails and becomes a
// coverage entry ("response too large: <call> over 64 MiB").

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** AGENTSCAN_MAX_RESPONSE_BYTES, default 64 MiB. */
export function maxResponseBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return intFromEnv(env, 'AGENTSCAN_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1024, 400 * 1024 * 1024);
}

/** 64 MiB, 256 KiB, 1500 bytes. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`over ${formatBytes(limit)} (AGENTSCAN_MAX_RESPONSE_BYTES)`);
    this.name = 'ResponseTooLarge';
  }
}

/**
 * The ResponseTooLargeError behind `err`. SDKs wrap transport errors before callers see them:
 * as a cause (Octokit, gaxios), or copying its name into `code` and its message (Graph's client).
 */
export function tooLargeCause(err: unknown): { message: string } | undefined {
  const seen = new Set<unknown>();
  for (let e = err as { name?: string; code?: unknown; message?: string; cause?: unknown } | undefined; e && typeof e === 'object' && !seen.has(e); ) {
    seen.add(e);
    if (e instanceof ResponseTooLargeError || e.name === 'ResponseTooLarge' || e.code === 'ResponseTooLarge') return { message: String(e.message) };
    e = e.cause as typeof e;
  }
  return undefined;
}

/** "response too large: GET /orgs/{org}/installations over 64 MiB (AGENTSCAN_MAX_RESPONSE_BYTES)". */
export function describeTooLarge(call: string, err: { message: string }): string {
  return `response too large: ${call} ${err.message}`;
}

/** Throws when the declared length alone is over the limit, so not one byte of the body is read. */
export function checkDeclaredLength(contentLength: string | string[] | undefined | null, limit: number): void {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : (contentLength ?? 0));
  if (Number.isFinite(declared) && declared > limit) throw new ResponseTooLargeError(limit);
}

/** Counts a body's bytes as they arrive; `add` throws once they pass the limit. */
export class ByteBudget {
  private seen = 0;
  constructor(readonly limit: number) {}
  add(chunk: { length: number }): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) throw new ResponseTooLargeError(this.limit);
  }
}

/** Passes `body` through, failing it (and ending the read of the source) once more than `limit` bytes arrived. */
export function cappedStream(body: Readable, limit: number): Readable {
  const budget = new ByteBudget(limit);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        budget.add(chunk);
        done(null, chunk);
      } catch (err) {
        done(err as Error);
      }
    },
  });
  body.once('error', (err) => counter.destroy(err));
  counter.once('error', () => body.destroy());
  return body.pipe(counter);
}
