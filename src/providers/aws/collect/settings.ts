import { intFromEnv } from '../../../collect/timeouts.js';

// Tunables of live AWS collection that users rarely change, read from the environment so CI
// and tests can set them without new flags. AWS_MAX_ATTEMPTS and AWS_RETRY_MODE are the AWS
// SDKs' own names for the retry settings.

export interface AwsCollectSettings {
  /** HTTP attempts per API call, first try included (AWS_MAX_ATTEMPTS). IAM throttles early, so more than the SDK's 3. */
  maxAttempts: number;
  /** The SDK retry strategy (AWS_RETRY_MODE): standard, or adaptive (client-side rate limiting after throttling). */
  retryMode: 'standard' | 'adaptive';
  /** Upper bound of one backoff wait, retries and credential-report polls alike (AGENTSCAN_AWS_MAX_BACKOFF_MS). */
  maxBackoffMs: number;
  /** How long to wait for IAM to finish a credential report (AGENTSCAN_AWS_REPORT_TIMEOUT_MS). */
  reportTimeoutMs: number;
  /** Concurrent ListAccessKeys / GetAccessKeyLastUsed calls within one account. */
  keyConcurrency: number;
}

const DEFAULTS: AwsCollectSettings = {
  maxAttempts: 8,
  retryMode: 'standard',
  maxBackoffMs: 20_000,
  reportTimeoutMs: 300_000,
  keyConcurrency: 4,
};

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsCollectSettings {
  const mode = env.AWS_RETRY_MODE || DEFAULTS.retryMode;
  if (mode !== 'standard' && mode !== 'adaptive') {
    throw new Error(`AWS_RETRY_MODE=${mode}: expected standard or adaptive`);
  }
  return {
    maxAttempts: intFromEnv(env, 'AWS_MAX_ATTEMPTS', DEFAULTS.maxAttempts, 1, 20),
    retryMode: mode,
    maxBackoffMs: intFromEnv(env, 'AGENTSCAN_AWS_MAX_BACKOFF_MS', DEFAULTS.maxBackoffMs, 0, 300_000),
    reportTimeoutMs: intFromEnv(env, 'AGENTSCAN_AWS_REPORT_TIMEOUT_MS', DEFAULTS.reportTimeoutMs, 0, 3_600_000),
    keyConcurrency: DEFAULTS.keyConcurrency,
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
