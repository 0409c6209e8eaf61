import { describeTooLarge, tooLargeCause } from '../../../collect/limits.js';
import { INSTALLATION_TOKEN_CALL } from './calls.js';

// What a failed GitHub call means, in the words a coverage entry needs: the HTTP status, the
// call, and GitHub's own message (never a header or a token). Octokit's RequestError carries
// `status`, `response.headers` and the message GitHub sent (with its documentation URL).

interface RequestErrorLike {
  status?: number;
  request?: { method?: string; url?: string };
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  cause?: unknown;
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 500);
}

export function statusOf(err: unknown): number | undefined {
  const e = err as RequestErrorLike;
  return e?.response ? e.status : undefined;
}

/** GitHub's message without the documentation link Octokit appends. */
export function githubMessage(err: unknown): string {
  const e = err as RequestErrorLike;
  const data = e?.response?.data as { message?: unknown } | undefined;
  const raw = typeof data?.message === 'string' ? data.message : e?.message;
  return oneLine(raw?.replace(/ - https:\/\/docs\.github\.com\S*/, ''));
}

/** The primary limit is spent: x-ratelimit-remaining 0 (GitHub sends 403 or 429). */
export function rateLimitReset(err: unknown): string | undefined {
  const headers = (err as RequestErrorLike)?.response?.headers;
  if (headers?.['x-ratelimit-remaining'] !== '0') return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : 'an unknown time';
}

/** An installation token exchange answered 2xx without a token. */
export class MalformedTokenAnswer extends Error {
  readonly request: { url: string };
  constructor(what: string, url: string) {
    super(`malformed response: ${INSTALLATION_TOKEN_CALL} returned ${what}`);
    this.name = 'MalformedTokenAnswer';
    this.request = { url };
  }
}

/**
 * The App's auth hook exchanges its JWT for an installation token before the call itself: a
 * failed exchange surfaces as the call's error, but it is the exchange that failed.
 */
export function tokenExchangeFailed(err: unknown): boolean {
  return /\/app\/installations\/[^/]+\/access_tokens$/.test(String((err as RequestErrorLike)?.request?.url ?? ''));
}

/** "HTTP 403: GET /orgs/{org}/installations (Resource not accessible by integration)". */
export function describeFailure(err: unknown, call: string): string {
  if (call !== INSTALLATION_TOKEN_CALL && tokenExchangeFailed(err)) {
    return `${describeFailure(err, INSTALLATION_TOKEN_CALL)}, so ${call} was not sent`;
  }
  if (err instanceof MalformedTokenAnswer) return err.message;
  const tooLarge = tooLargeCause(err);
  if (tooLarge) return describeTooLarge(call, tooLarge);
  const status = statusOf(err);
  const message = githubMessage(err);
  // The throttling plugin turns a GraphQL RATE_LIMITED answer it will not wait for into a plain error.
  const graphqlErrors = ((err as RequestErrorLike)?.response?.data as { errors?: { type?: string; message?: string }[] } | undefined)?.errors;
  if (status === undefined && Array.isArray(graphqlErrors)) {
    const kind = graphqlErrors.some((e) => e.type === 'RATE_LIMITED') ? 'rate limit exhausted' : 'GraphQL error';
    return `${kind}: ${call} (${graphqlErrors.map((e) => `${e.type ? `${e.type}: ` : ''}${e.message ?? ''}`).join('; ')})`;
  }
  if (status === undefined) return `network error: ${call} (${message || 'no answer'})`;
  const reset = rateLimitReset(err);
  if (reset) return `rate limit exhausted: ${call} (HTTP ${status}: ${message}; the limit resets at ${reset})`;
  if (/secondary rate limit/i.test(message)) return `rate limit exhausted: ${call} (HTTP ${status}: ${message})`;
  return `HTTP ${status}: ${call}${message ? ` (${message})` : ''}`;
}
