import { maxResponseBytesFromEnv } from '../../../collect/limits.js';
import { intFromEnv, timeoutsFromEnv, type HttpTimeouts } from '../../../collect/timeouts.js';
import { InputError } from '../../../util/errors.js';

// Tunables of live Google Cloud collection, from the environment so CI and tests can set them
// without new flags, and where each Google API is reached.

/** The services agentscan calls, by the host prefix of their public endpoint (`<service>.googleapis.com`). */
export const SERVICES = ['iam', 'cloudresourcemanager', 'cloudasset', 'policyanalyzer', 'iamcredentials', 'oauth2', 'sts'] as const;
export type Service = (typeof SERVICES)[number];

export interface GcpCollectSettings {
  /** Base URL of each service, without a trailing slash. */
  endpoints: Record<Service, string>;
  /** true when any endpoint was redirected: then nothing may be sent to a Google host. */
  redirected: boolean;
  /** HTTP attempts per call, first try included (AGENTSCAN_GCP_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Ceiling of one backoff wait (AGENTSCAN_GCP_MAX_BACKOFF_MS). */
  maxBackoffMs: number;
  /** First backoff wait before jitter (AGENTSCAN_GCP_BASE_BACKOFF_MS). */
  baseBackoffMs: number;
  /** Page size asked of list and search calls (AGENTSCAN_GCP_PAGE_SIZE); Google may send fewer. */
  pageSize: number;
  /** Per-account calls (keys, account policies) in flight within one project. */
  accountConcurrency: number;
  timeouts: HttpTimeouts;
  /** Largest answer read (AGENTSCAN_MAX_RESPONSE_BYTES). */
  maxResponseBytes: number;
}

function baseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`${name}=${value}: expected an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`${name}=${value}: expected an http(s) URL`);
  return value.replace(/\/+$/, '');
}

/**
 * One root for every service (--gcp-api-root, else AGENTSCAN_GCP_API_ROOT): the services' paths
 * do not collide, so one private endpoint or emulator can answer them all. A single service can
 * be redirected with AGENTSCAN_GCP_ENDPOINT_<SERVICE> (e.g. _CLOUDASSET), which wins over the root.
 */
export function settingsFromEnv(apiRoot: string | undefined, env: NodeJS.ProcessEnv = process.env): GcpCollectSettings {
  const root = apiRoot ?? (env.AGENTSCAN_GCP_API_ROOT ? baseUrl('AGENTSCAN_GCP_API_ROOT', env.AGENTSCAN_GCP_API_ROOT) : undefined);
  let redirected = root !== undefined;
  const endpoints = {} as Record<Service, string>;
  for (const service of SERVICES) {
    const name = `AGENTSCAN_GCP_ENDPOINT_${service.toUpperCase()}`;
    const own = env[name];
    if (own) redirected = true;
    endpoints[service] = own ? baseUrl(name, own) : (root ?? `https://${service}.googleapis.com`);
  }
  return {
    endpoints,
    redirected,
    maxAttempts: intFromEnv(env, 'AGENTSCAN_GCP_MAX_ATTEMPTS', 6, 1, 20),
    maxBackoffMs: intFromEnv(env, 'AGENTSCAN_GCP_MAX_BACKOFF_MS', 32_000, 0, 300_000),
    baseBackoffMs: intFromEnv(env, 'AGENTSCAN_GCP_BASE_BACKOFF_MS', 500, 0, 60_000),
    pageSize: intFromEnv(env, 'AGENTSCAN_GCP_PAGE_SIZE', 500, 1, 1000),
    accountConcurrency: intFromEnv(env, 'AGENTSCAN_GCP_ACCOUNT_CONCURRENCY', 8, 1, 64),
    timeouts: timeoutsFromEnv(env),
    maxResponseBytes: maxResponseBytesFromEnv(env),
  };
}

/** Hosts that are Google's own: with a redirected endpoint, a request to one of them is refused. */
export function isGoogleHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return /(^|\.)(googleapis\.com|google\.com|google\.internal|googleusercontent\.com)$/.test(h) || h === '169.254.169.254';
}
