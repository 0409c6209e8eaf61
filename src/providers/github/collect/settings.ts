import { intFromEnv } from '../../../collect/timeouts.js';

// Tunables of live GitHub collection that users rarely change, from the environment so CI and
// tests can set them without new flags. Rate-limit waits follow what GitHub asks for
// (retry-after, x-ratelimit-reset), up to a ceiling past which the call is given up.

export interface GithubCollectSettings {
  /** per_page for REST lists and first: for GraphQL connections (AGENTSCAN_GITHUB_PAGE_SIZE, GitHub's maximum is 100). */
  pageSize: number;
  /** Retries of a call that failed with 5xx or a network error (AGENTSCAN_GITHUB_RETRIES). */
  retries: number;
  /** Base of the retry backoff, (n+1)² × base ms (AGENTSCAN_GITHUB_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** Retries of a call that hit a primary or secondary rate limit (AGENTSCAN_GITHUB_RATE_LIMIT_RETRIES). */
  rateLimitRetries: number;
  /** Longest rate-limit wait accepted; a longer one gives the call up (AGENTSCAN_GITHUB_MAX_RATE_LIMIT_WAIT_MS). */
  maxRateLimitWaitMs: number;
  /** Milliseconds waited per second GitHub asks for (AGENTSCAN_GITHUB_RETRY_AFTER_UNIT_MS; 1000, tests lower it). */
  retryAfterUnitMs: number;
  /** Concurrent per-repository and per-grant calls within one organization. */
  repoConcurrency: number;
  /** Ask every active repository for its own OIDC subject template (AGENTSCAN_GITHUB_REPO_OIDC_TEMPLATES=1):
   * one call a repository, so off unless asked for. */
  repoOidcTemplates: boolean;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): GithubCollectSettings {
  return {
    pageSize: intFromEnv(env, 'AGENTSCAN_GITHUB_PAGE_SIZE', 100, 1, 100),
    retries: intFromEnv(env, 'AGENTSCAN_GITHUB_RETRIES', 3, 0, 10),
    retryBaseMs: intFromEnv(env, 'AGENTSCAN_GITHUB_RETRY_BASE_MS', 1000, 0, 60_000),
    rateLimitRetries: intFromEnv(env, 'AGENTSCAN_GITHUB_RATE_LIMIT_RETRIES', 3, 0, 10),
    maxRateLimitWaitMs: intFromEnv(env, 'AGENTSCAN_GITHUB_MAX_RATE_LIMIT_WAIT_MS', 15 * 60_000, 0, 6 * 3_600_000),
    retryAfterUnitMs: intFromEnv(env, 'AGENTSCAN_GITHUB_RETRY_AFTER_UNIT_MS', 1000, 0, 1000),
    repoConcurrency: intFromEnv(env, 'AGENTSCAN_GITHUB_REPO_CONCURRENCY', 8, 1, 64),
    repoOidcTemplates: intFromEnv(env, 'AGENTSCAN_GITHUB_REPO_OIDC_TEMPLATES', 0, 0, 1) === 1,
  };
}
