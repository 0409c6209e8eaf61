import type { z } from 'zod';
import type { SourceWriter } from '../../../bundle/write.js';
import type { CallLog } from '../../../collect/call-log.js';
import { fetchWithTimeouts, type FetchTracker } from '../../../collect/http-fetch.js';
import { describeTooLarge, ResponseTooLargeError } from '../../../collect/limits.js';
import type { Progress } from '../../../collect/progress.js';
import type { HttpTimeouts } from '../../../collect/timeouts.js';
import { firstIssue } from '../../../util/zod-issues.js';
import type { GithubClient } from './client.js';
import { describeFailure } from './failure.js';
import type { GithubCollectSettings } from './settings.js';

// What the per-call collectors share while collecting one organization, and the two ways a
// call is made: one request, or a list followed through its Link rel="next" pages. Each request
// is counted (retries included) in the call log; each body is checked against its wire schema
// before it is written, so a broken answer becomes a coverage entry, never a bundle file.

export interface OrgRun {
  org: string;
  client: GithubClient;
  calls: CallLog;
  out: SourceWriter;
  settings: GithubCollectSettings;
  timeouts: HttpTimeouts;
  /** Collected as a GitHub App installation (else with a token). */
  asApp: boolean;
  /** A user's token (the token collected with, or GITHUB_TOKEN beside an App), for the calls GitHub answers only to users. */
  userClient?: GithubClient;
  progress: Progress;
}

export interface Answer {
  data: unknown;
  headers: Record<string, string | undefined>;
}

/** A failure already described for its coverage entry (malformed or truncated answers). */
export class CallFailure extends Error {}

/** Sends one request under `action`, counting every HTTP request it took. */
export async function request(run: OrgRun, action: string, options: Record<string, unknown>): Promise<Answer> {
  const tracker: FetchTracker = { requests: 0 };
  const send = () =>
    run.client.request({ ...options, request: { fetch: fetchWithTimeouts(run.timeouts, tracker) } } as never) as Promise<Answer>;
  try {
    const res = await run.calls.send(action, send);
    const broken = tracker.bodyError;
    if (broken) throw new CallFailure(broken instanceof ResponseTooLargeError ? describeTooLarge(action, broken) : `malformed response: ${action} (${broken.message})`);
    return res;
  } finally {
    if (tracker.requests > 1) run.calls.addRequests(action, tracker.requests - 1);
  }
}

export function failureMessage(err: unknown, call: string): string {
  return err instanceof CallFailure ? err.message : describeFailure(err, call);
}

/** The body checked against `schema`; a body of the wrong shape (empty, HTML, cut off) throws a CallFailure naming the call. */
export function checked<S extends z.ZodType>(schema: S, data: unknown, call: string, where = ''): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const what = typeof data === 'string' ? (data.trim() === '' ? 'an empty body' : 'a body that is not JSON') : firstIssue(parsed.error).message;
  const path = typeof data === 'string' ? '' : firstIssue(parsed.error).path;
  throw new CallFailure(`malformed response: ${call}${where} returned ${what}${path ? ` at ${path}` : ''}`);
}

/** The URL of rel="next" in a Link header. */
export function nextLink(link: string | undefined): string | undefined {
  return link?.split(',').map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part)?.[1]).find((u) => u !== undefined);
}

export interface PagedFile {
  base: string;
  call: string;
}

export interface PagedResult<T> {
  pages: T[];
  complete: boolean;
  /** The error that ended the listing early, for callers that treat some statuses specially. */
  error?: unknown;
}

/**
 * Every page of a list: `<base>.page-N.json` in the order GitHub's Link header gave them.
 * Records the outcome under `file.call` unless `record` is false (the caller decides, e.g. 404 → skipped).
 */
export async function pages<S extends z.ZodType>(
  run: OrgRun,
  file: PagedFile,
  first: Record<string, unknown>,
  schema: S,
  opts: { record?: boolean; onPage?: (page: z.infer<S>, n: number) => void } = {},
): Promise<PagedResult<z.infer<S>>> {
  const out: z.infer<S>[] = [];
  const seen = new Set<string>();
  let options: Record<string, unknown> = first;
  for (let n = 1; ; n++) {
    try {
      const res = await request(run, file.call, options);
      const page = checked(schema, res.data, file.call, n > 1 ? ` page ${n}` : '');
      run.out.json(`${file.base}.page-${n}.json`, page);
      out.push(page);
      opts.onPage?.(page, n);
      const next = nextLink(res.headers.link);
      if (!next) break;
      if (seen.has(next)) throw new CallFailure(`malformed response: ${file.call} page ${n} links back to a page already read`);
      seen.add(next);
      options = { method: 'GET', url: next };
    } catch (err) {
      if (opts.record !== false) run.calls.failed(file.call, `${failureMessage(err, file.call)}${err instanceof CallFailure ? '' : ` on page ${n}`}`);
      return { pages: out, complete: false, error: err };
    }
  }
  if (opts.record !== false) run.calls.ok(file.call);
  return { pages: out, complete: true };
}

/** One object: `<base>.json`; on failure, the error (already recorded). */
export async function single<S extends z.ZodType>(
  run: OrgRun,
  file: PagedFile,
  options: Record<string, unknown>,
  schema: S,
): Promise<{ body?: z.infer<S>; error?: unknown }> {
  try {
    const res = await request(run, file.call, options);
    const body = checked(schema, res.data, file.call);
    run.out.json(`${file.base}.json`, body);
    run.calls.ok(file.call);
    return { body };
  } catch (error) {
    run.calls.failed(file.call, failureMessage(error, file.call));
    return { error };
  }
}
