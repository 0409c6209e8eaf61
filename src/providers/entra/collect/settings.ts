import { maxResponseBytesFromEnv } from '../../../collect/limits.js';
import { intFromEnv, timeoutsFromEnv, type HttpTimeouts } from '../../../collect/timeouts.js';
import { InputError } from '../../../util/errors.js';

// Tunables of live Entra collection, from the environment so CI and tests can set them without
// new flags: retry budget and backoff ceilings (tests run throttled tenants in milliseconds),
// page and batch sizes (tests page a small estate), and where Graph and the authority live.

export const PUBLIC_GRAPH = 'https://graph.microsoft.com';
export const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

/** Graph hosts of the public and national clouds, whose authorities MSAL knows. */
const CLOUD_AUTHORITIES: Record<string, string> = {
  'graph.microsoft.com': 'https://login.microsoftonline.com',
  'graph.microsoft.us': 'https://login.microsoftonline.us',
  'dod-graph.microsoft.us': 'https://login.microsoftonline.us',
  'microsoftgraph.chinacloudapi.cn': 'https://login.chinacloudapi.cn',
};

export interface EntraCollectSettings {
  /** Graph root without a version, e.g. https://graph.microsoft.com. */
  graphUrl: string;
  /** The authority host tokens come from (AZURE_AUTHORITY_HOST, else the Graph cloud's). */
  authorityHost: string;
  /** MSAL may ask login.microsoftonline.com about the authority only for the public cloud's own. */
  disableInstanceDiscovery: boolean;
  /** Retries of one throttled or unavailable request, whole or inside a $batch (AGENTSCAN_GRAPH_MAX_RETRIES). */
  maxRetries: number;
  /** Ceiling of one wait when Graph sends no Retry-After (AGENTSCAN_GRAPH_MAX_BACKOFF_MS). */
  maxBackoffMs: number;
  /** Ceiling of one wait Graph asks for with Retry-After (AGENTSCAN_GRAPH_MAX_RETRY_AFTER_MS). */
  maxRetryAfterMs: number;
  /** $top of collection reads; Graph's maximum is 999 (AGENTSCAN_GRAPH_PAGE_SIZE). */
  pageSize: number;
  /** Requests per JSON $batch; Graph allows 20 (AGENTSCAN_GRAPH_BATCH_SIZE). */
  batchSize: number;
  /** Ids per directoryObjects/getByIds call; Graph allows 1000 (AGENTSCAN_GRAPH_IDS_PER_CALL). */
  idsPerCall: number;
  /** $batch requests in flight within one tenant. */
  batchConcurrency: number;
  timeouts: HttpTimeouts;
  /** Largest answer read (AGENTSCAN_MAX_RESPONSE_BYTES). */
  maxResponseBytes: number;
}

function urlFrom(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${name}=${raw}: expected an https URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError(`${name}=${raw}: expected an https URL`);
  return url;
}

export function settingsFromEnv(graphUrlFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): EntraCollectSettings {
  const graphRaw = graphUrlFlag ?? env.AGENTSCAN_GRAPH_URL ?? PUBLIC_GRAPH;
  const graph = urlFrom(graphUrlFlag ? '--graph-url' : 'AGENTSCAN_GRAPH_URL', graphRaw);
  const graphUrl = `${graph.origin}${graph.pathname.replace(/\/+$/, '').replace(/\/(v1\.0|beta)$/, '')}`;
  const authorityRaw = env.AZURE_AUTHORITY_HOST || CLOUD_AUTHORITIES[graph.hostname] || PUBLIC_AUTHORITY;
  const authority = urlFrom('AZURE_AUTHORITY_HOST', authorityRaw);
  const authorityHost = authority.origin;
  return {
    graphUrl,
    authorityHost,
    // Instance discovery asks login.microsoftonline.com whatever the authority; an overridden or
    // national authority must not leak requests there.
    disableInstanceDiscovery: authorityHost !== PUBLIC_AUTHORITY,
    maxRetries: intFromEnv(env, 'AGENTSCAN_GRAPH_MAX_RETRIES', 6, 0, 10),
    maxBackoffMs: intFromEnv(env, 'AGENTSCAN_GRAPH_MAX_BACKOFF_MS', 30_000, 0, 600_000),
    maxRetryAfterMs: intFromEnv(env, 'AGENTSCAN_GRAPH_MAX_RETRY_AFTER_MS', 120_000, 0, 600_000),
    pageSize: intFromEnv(env, 'AGENTSCAN_GRAPH_PAGE_SIZE', 999, 1, 999),
    batchSize: intFromEnv(env, 'AGENTSCAN_GRAPH_BATCH_SIZE', 20, 1, 20),
    idsPerCall: intFromEnv(env, 'AGENTSCAN_GRAPH_IDS_PER_CALL', 1000, 1, 1000),
    batchConcurrency: 4,
    timeouts: timeoutsFromEnv(env),
    maxResponseBytes: maxResponseBytesFromEnv(env),
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How long to wait before retry `attempt` (1-based): Retry-After when Graph sent one, else
 * exponential backoff with jitter, each under its own ceiling. */
export function retryDelayMs(retryAfter: string | null | undefined, attempt: number, s: EntraCollectSettings): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (Number.isFinite(ms)) return Math.max(0, Math.min(ms, s.maxRetryAfterMs));
  }
  return Math.floor(Math.random() * Math.min(1000 * 2 ** (attempt - 1), s.maxBackoffMs));
}
