import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { fetchWithTimeouts } from '../../../collect/http-fetch.js';
import type { HttpTimeouts } from '../../../collect/timeouts.js';
import { MalformedTokenAnswer, tokenExchangeFailed } from './failure.js';
import { TOOL } from '../../../util/version.js';
import type { GithubCollectSettings } from './settings.js';

// Octokit clients: REST and GraphQL through one client per credential, with throttling (primary
// and secondary rate limits: retry-after, x-ratelimit-reset) and retries (5xx, network errors),
// and every HTTP request bounded by the shared timeouts. Credentials are a token or a GitHub App
// (its JWT for /app calls, an installation token per organization); they go to Octokit only.

const GithubOctokit = Octokit.plugin(throttling, retry);
export type GithubClient = InstanceType<typeof GithubOctokit>;

export const DEFAULT_API_URL = 'https://api.github.com';

/** GraphQL beside REST: api.github.com/graphql, or <host>/api/graphql beside <host>/api/v3 (GHES). */
export function graphqlUrl(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(base) ? base.replace(/\/api\/v3$/, '/api/graphql') : `${base}/graphql`;
}

export type GithubCredential =
  | { kind: 'token'; token: string }
  | { kind: 'app'; appId: string; privateKey: string; installationId?: number };

export interface ClientConfig {
  apiUrl: string;
  credential: GithubCredential;
  settings: GithubCollectSettings;
  timeouts: HttpTimeouts;
}

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The throttling plugin spaces every POST (GraphQL queries included) a second apart, as GitHub
 * asks of mutations. Our only POSTs are read-only GraphQL queries and token exchanges, which
 * GitHub's secondary limits (handled below) govern, so they are not spaced.
 */
const unspacedWrites = { key: () => ({ schedule: <T>(_options: unknown, task: () => Promise<T>) => task() }) };

export function createClient(config: ClientConfig): GithubClient {
  const { credential, settings } = config;
  const auth =
    credential.kind === 'token'
      ? { auth: credential.token }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: credential.appId,
            privateKey: credential.privateKey,
            ...(credential.installationId !== undefined ? { installationId: credential.installationId } : {}),
          },
        };
  // Wait as long as GitHub asks, a few times, unless that is longer than the ceiling.
  const onLimit = (retryAfterSeconds: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < settings.rateLimitRetries && retryAfterSeconds * 1000 <= settings.maxRateLimitWaitMs;
  const octokit = new GithubOctokit({
    ...auth,
    baseUrl: config.apiUrl.replace(/\/+$/, ''),
    userAgent: `${TOOL.name}/${TOOL.version}`,
    log: silentLog,
    request: { fetch: fetchWithTimeouts(config.timeouts) },
    throttle: {
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
      retryAfterBaseValue: settings.retryAfterUnitMs,
      fallbackSecondaryRateRetryAfter: 60,
      write: unspacedWrites as never,
    },
    // 429 is a rate limit: the throttling plugin waits for it as GitHub says, so retry leaves it alone.
    retry: { retries: settings.retries, retryAfterBaseValue: settings.retryBaseMs, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
  });
  // The App auth would send a token exchange answer without a token (HTML, cut off) on as
  // "token undefined", and read GitHub's 401 as a refused credential after seconds of retries.
  octokit.hook.after('request', (response, options) => {
    if (!tokenExchangeFailed({ request: options })) return;
    const token = (response.data as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') throw new MalformedTokenAnswer(typeof response.data === 'string' ? 'a body that is not JSON' : 'JSON without a token', options.url);
  });
  return octokit;
}
