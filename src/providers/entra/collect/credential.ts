import { DefaultAzureCredential, type AccessToken, type TokenCredential } from '@azure/identity';
import type { EntraCollectSettings } from './settings.js';
import { describeError } from './failure.js';
import type { HttpTransport } from './transport.js';

// Who agentscan is when it calls Graph: a token already in hand (AZURE_ACCESS_TOKEN), else
// @azure/identity's DefaultAzureCredential — environment (client secret or certificate),
// workload identity federation (GitHub Actions, Kubernetes), managed identity, Azure CLI and
// the other developer tools — for each tenant in turn. Token requests go through our own
// transport, so they keep the same timeouts and CA store as the Graph calls.

/** A TokenCredential for one tenant (undefined: the credential's own). */
export type CredentialFactory = ((tenantId: string | undefined) => TokenCredential) & {
  /** What went wrong with the last token request whose answer was unusable, if one was (MSAL reports it only as network_error). */
  tokenFailure?: () => string | undefined;
};

export function credentialFactory(settings: EntraCollectSettings, transport: HttpTransport, env: NodeJS.ProcessEnv = process.env): CredentialFactory {
  const given = env.AZURE_ACCESS_TOKEN?.trim();
  if (given) {
    const token = staticToken(given);
    return () => token;
  }
  const failures: TokenFailures = {};
  const httpClient = identityHttpClient(transport, failures);
  const made = new Map<string, TokenCredential>();
  const factory: CredentialFactory = (tenantId) => {
    const key = tenantId ?? '';
    let credential = made.get(key);
    if (!credential) {
      credential = sharedToken(defaultCredential(settings, httpClient, tenantId));
      made.set(key, credential);
    }
    return credential;
  };
  factory.tokenFailure = () => failures.last;
  return factory;
}

/** Refresh a token this long before it expires (a large tenant takes a while). */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** One token request at a time per scope: the first requests of a tenant start together, and
 * each would otherwise ask the authority for a token of its own. */
function sharedToken(credential: TokenCredential): TokenCredential {
  const pending = new Map<string, Promise<AccessToken>>();
  return {
    getToken: async (scopes, options) => {
      const key = `${[scopes].flat().join(' ')}|${options?.tenantId ?? ''}`;
      const cached = pending.get(key);
      if (cached) {
        const token = await cached.catch(() => undefined);
        if (token && token.expiresOnTimestamp - Date.now() > REFRESH_MARGIN_MS) return token;
        if (pending.get(key) === cached) pending.delete(key);
      }
      let current = pending.get(key);
      if (!current) {
        current = credential.getToken(scopes, options).then((t) => {
          if (!t) throw new Error('the credential returned no token');
          return t;
        });
        pending.set(key, current);
        // A failure is not kept: the next call asks again.
        current.catch(() => pending.get(key) === current && pending.delete(key));
      }
      return current;
    },
  };
}

function defaultCredential(settings: EntraCollectSettings, httpClient: ReturnType<typeof identityHttpClient>, tenantId: string | undefined): TokenCredential {
  return new DefaultAzureCredential({
      ...(tenantId ? { tenantId } : {}),
      // The chain's own tenant comes from AZURE_TENANT_ID; --entra-tenant may name others.
      additionallyAllowedTenants: ['*'],
      authorityHost: settings.authorityHost,
      disableInstanceDiscovery: settings.disableInstanceDiscovery,
      httpClient,
      retryOptions: { maxRetries: Math.min(settings.maxRetries, 3), maxRetryDelayInMs: settings.maxBackoffMs },
    } as unknown as ConstructorParameters<typeof DefaultAzureCredential>[0]);
}

function staticToken(token: string): TokenCredential {
  const claims = tokenClaims(token);
  const expiresOnTimestamp = typeof claims?.exp === 'number' ? claims.exp * 1000 : Date.now() + 3600_000;
  return { getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp }) };
}

/** The claims of a JWT access token, or undefined when it is not one (never verified: we only read tid). */
export function tokenClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The tenant a token was issued in (its `tid` claim). */
export function tokenTenant(token: string): string | undefined {
  const tid = tokenClaims(token)?.tid;
  return typeof tid === 'string' && tid ? tid : undefined;
}

// ---- @azure/core-rest-pipeline's HttpClient, over our transport ----
// Declared structurally: the pipeline package is @azure/identity's dependency, not ours.

interface PipelineHeaders extends Iterable<[string, string]> {
  get(name: string): string | undefined;
  has(name: string): boolean;
  set(name: string, value: string | number | boolean): void;
  delete(name: string): void;
  toJSON(options?: { preserveCase?: boolean }): Record<string, string>;
}

interface PipelineRequestLike {
  url: string;
  method: string;
  headers: PipelineHeaders;
  body?: unknown;
  formData?: Record<string, string | string[]>;
}

class Headers implements PipelineHeaders {
  private readonly map = new Map<string, [string, string]>();
  constructor(raw: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(raw)) this.set(k, v);
  }
  get(name: string) {
    return this.map.get(name.toLowerCase())?.[1];
  }
  has(name: string) {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string | number | boolean) {
    this.map.set(name.toLowerCase(), [name, String(value)]);
  }
  delete(name: string) {
    this.map.delete(name.toLowerCase());
  }
  toJSON(options: { preserveCase?: boolean } = {}) {
    const out: Record<string, string> = {};
    for (const [key, [name, value]] of this.map) out[options.preserveCase ? name : key] = value;
    return out;
  }
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [key, [, value]] of this.map) yield [key, value];
  }
}

function requestBody(request: PipelineRequestLike): string | undefined {
  if (typeof request.body === 'string') return request.body;
  if (request.formData) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(request.formData)) for (const item of [v].flat()) form.append(k, item);
    return form.toString();
  }
  if (request.body === undefined || request.body === null) return undefined;
  return Buffer.isBuffer(request.body) ? request.body.toString('utf8') : JSON.stringify(request.body);
}

interface TokenFailures {
  last?: string;
}

/** "POST /<tenant>/oauth2/v2.0/token". */
const requestName = (request: PipelineRequestLike) => `${request.method} ${new URL(request.url).pathname}`;

function identityHttpClient(transport: HttpTransport, failures: TokenFailures) {
  return {
    async sendRequest(request: PipelineRequestLike) {
      let res;
      try {
        res = await transport.send({
          method: request.method,
          url: request.url,
          headers: request.headers.toJSON({ preserveCase: true }),
          body: requestBody(request),
        });
      } catch (err) {
        failures.last = describeError(requestName(request), err);
        throw err;
      }
      const bodyAsText = res.body.toString('utf8');
      if (res.status >= 200 && res.status < 300 && /\/token$/.test(new URL(request.url).pathname)) {
        failures.last = hasAccessToken(bodyAsText) ? undefined : `malformed response: ${requestName(request)} answered ${res.status} without an access token`;
      }
      return { request, status: res.status, headers: new Headers(res.headers), bodyAsText };
    },
  };
}

function hasAccessToken(text: string): boolean {
  try {
    return typeof (JSON.parse(text) as { access_token?: unknown })?.access_token === 'string';
  } catch {
    return false;
  }
}
