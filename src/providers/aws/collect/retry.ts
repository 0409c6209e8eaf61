import { AdaptiveRetryStrategy, StandardRetryStrategy } from '@smithy/core/retry';
import type { StandardRetryBackoffStrategy } from '@smithy/types';
import type { AwsCollectSettings } from './settings.js';

// Throttling and transient errors (5xx, timeouts, connection resets) are retried by the SDK's
// own retry strategy; we only choose the mode, the attempt budget and a ceiling on one wait.

/** The SDK's backoff (full jitter: random × base × 2^attempt) with a configurable ceiling, so
 * tests can run a throttled estate in milliseconds and users can bound a scan's stalls. */
function cappedJitterBackoff(maxBackoffMs: number): StandardRetryBackoffStrategy {
  let base = 50;
  return {
    computeNextBackoffDelay: (attempt: number) => Math.floor(Math.random() * Math.min(base * 2 ** attempt, maxBackoffMs)),
    // The SDK sets the base per error: a longer one for throttling than for transient errors.
    setDelayBase: (delay: number) => {
      base = delay;
    },
  };
}

/** A fresh strategy per client: its retry quota and (adaptive) send rate belong to one account's calls. */
export function retryStrategy(settings: AwsCollectSettings): StandardRetryStrategy | AdaptiveRetryStrategy {
  const options = { maxAttempts: settings.maxAttempts, backoff: cappedJitterBackoff(settings.maxBackoffMs) };
  return settings.retryMode === 'adaptive'
    ? new AdaptiveRetryStrategy(settings.maxAttempts, options)
    : new StandardRetryStrategy(options);
}
