import {
  AuthenticationHandler,
  Client,
  ResponseType,
  RetryHandler,
  RetryHandlerOptions,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import type { TokenCredential } from '@azure/identity';
import type { CallLog } from '../../../collect/call-log.js';
import { mapPool } from '../../../collect/pool.js';
import { retryDelayMs, sleep, type EntraCollectSettings } from './settings.js';
import type { HttpTransport } from './transport.js';

// Microsoft Graph through its JavaScript client: the token is attached by its
// AuthenticationHandler (for Graph's own hosts and, when --graph-url points elsewhere, for that
// host registered as a custom host), 429/503/504 are retried by its RetryHandler with our
// bounded delays, and the bytes travel over our transport with its timeouts. Every answer is
// taken raw, so errors, throttling inside $batch and malformed bodies are ours to describe.

export type GraphVersion = 'v1.0' | 'beta';

/** A Graph answer: status, the parsed JSON body (undefined when it was not JSON) and the text. */
export interface GraphAnswer {
  status: number;
  body: unknown;
  text: string;
  headers: Record<string, string>;
  /** HTTP requests this answer took, retries included. */
  attempts: number;
}

export interface BatchRequest {
  id: string;
  method: 'GET';
  /** Relative to the version root, e.g. /servicePrincipals/{id}/owners?$select=id */
  url: string;
}

/** Status codes Graph asks clients to retry after a pause. */
const RETRYABLE = new Set([429, 503, 504]);

/** The last middleware: sends the request over our transport instead of global fetch. */
class TransportHandler implements Middleware {
  constructor(private readonly transport: HttpTransport) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = context.options ?? {};
    const headers: Record<string, string> = {};
    const raw = options.headers as Record<string, string> | Headers | undefined;
    if (raw instanceof Headers) raw.forEach((v, k) => (headers[k] = v));
    else if (raw) for (const [k, v] of Object.entries(raw)) headers[k] = String(v);
    const body = typeof options.body === 'string' ? options.body : undefined;
    const res = await this.transport.send({ method: options.method ?? 'GET', url, headers, body });
    const noBody = res.status === 204 || res.status === 205 || res.status === 304;
    const response = new Response(noBody ? null : new Uint8Array(res.body), { status: res.status, headers: res.headers });
    // The RetryHandler numbers its retries in this header; the last response knows the total.
    const retried = Number(headers['Retry-Attempt'] ?? headers['retry-attempt'] ?? 0);
    Object.defineProperty(response, 'agentscanAttempts', { value: retried + 1 });
    context.response = response;
  }
}

function boundedRetryHandler(settings: EntraCollectSettings): RetryHandler {
  const handler = new RetryHandler(new RetryHandlerOptions(0, settings.maxRetries));
  // The client's own delays may reach 180 s plus a second of jitter; ours have ceilings from
  // the environment (milliseconds in tests) and still honour Retry-After below them.
  Object.assign(handler, {
    getDelay: (response: Response, attempt: number) => retryDelayMs(response.headers?.get('Retry-After'), attempt, settings) / 1000,
  });
  return handler;
}

export class GraphApi {
  readonly client: Client;

  constructor(
    private readonly settings: EntraCollectSettings,
    private readonly credential: TokenCredential,
    transport: HttpTransport,
    private readonly calls: CallLog,
    /** Where the token is for (a tenant other than the credential's own). */
    private readonly tenantId?: string,
  ) {
    const scope = `${new URL(settings.graphUrl).origin}/.default`;
    const authProvider: AuthenticationProvider = {
      getAccessToken: async () => {
        const token = await credential.getToken(scope, this.tenantId ? { tenantId: this.tenantId } : {});
        if (!token?.token) throw new Error(`no access token for ${scope}`);
        return token.token;
      },
    };
    const auth = new AuthenticationHandler(authProvider);
    const retry = boundedRetryHandler(settings);
    const send = new TransportHandler(transport);
    auth.setNext(retry);
    retry.setNext(send);
    this.client = Client.initWithMiddleware({
      middleware: auth,
      baseUrl: `${settings.graphUrl}/`,
      defaultVersion: 'v1.0',
      // Without this the client sends no token to a host that is not one of Graph's own.
      customHosts: new Set([new URL(settings.graphUrl).hostname]),
    });
  }

  /** The credential's access token for Graph, e.g. to learn its tenant. */
  async token(): Promise<string> {
    const scope = `${new URL(this.settings.graphUrl).origin}/.default`;
    const token = await this.credential.getToken(scope, this.tenantId ? { tenantId: this.tenantId } : {});
    if (!token?.token) throw new Error(`no access token for ${scope}`);
    return token.token;
  }

  /** One request (path relative to the version root, or a full @odata.nextLink URL). */
  async request(action: string, version: GraphVersion, path: string, body?: unknown): Promise<GraphAnswer> {
    return this.calls.send(action, async () => {
      const req = this.client.api(path).version(version).responseType(ResponseType.RAW);
      const response: Response = body === undefined ? await req.get() : await req.post(body);
      const answer = await readAnswer(response);
      return { ...answer, $metadata: { attempts: answer.attempts } };
    });
  }

  /**
   * GET requests in JSON $batch calls of `batchSize`: each answer by request id. A request
   * Graph throttles or finds unavailable inside the batch (its own status 429/503/504) is sent
   * again in a later batch after the longest Retry-After asked for, up to maxRetries times.
   */
  async batch(requests: BatchRequest[], version: GraphVersion, onProgress?: (done: number) => void): Promise<Map<string, GraphAnswer>> {
    const answers = new Map<string, GraphAnswer>();
    const chunks: BatchRequest[][] = [];
    for (let i = 0; i < requests.length; i += this.settings.batchSize) chunks.push(requests.slice(i, i + this.settings.batchSize));
    let done = 0;
    await mapPool(chunks, this.settings.batchConcurrency, async (chunk) => {
      let pending = chunk;
      const attempts = new Map<string, number>();
      while (pending.length > 0) {
        const outer = await this.request('POST /$batch', version, '/$batch', { requests: pending });
        const inner = batchResponses(outer);
        if (!inner.ok) {
          for (const r of pending) answers.set(r.id, inner.failure);
          break;
        }
        const retry: BatchRequest[] = [];
        let wait = 0;
        for (const r of pending) {
          const a = inner.byId.get(r.id);
          const tries = attempts.get(r.id) ?? 1;
          if (!a) {
            answers.set(r.id, malformed(`the $batch response has no answer for request ${r.id}`, outer));
          } else if (RETRYABLE.has(a.status) && tries <= this.settings.maxRetries) {
            attempts.set(r.id, tries + 1);
            retry.push(r);
            wait = Math.max(wait, retryDelayMs(a.headers['retry-after'], tries, this.settings));
          } else {
            answers.set(r.id, { ...a, attempts: tries });
          }
        }
        pending = retry;
        if (pending.length > 0) await sleep(wait);
      }
      done += chunk.length;
      onProgress?.(done);
    });
    return answers;
  }
}

function malformed(message: string, from: GraphAnswer): GraphAnswer {
  return { status: -1, body: { error: { code: 'MalformedResponse', message } }, text: from.text.slice(0, 200), headers: from.headers, attempts: from.attempts };
}

type BatchOutcome = { ok: true; byId: Map<string, GraphAnswer> } | { ok: false; failure: GraphAnswer };

/** The per-request answers of a $batch response, or why there are none. */
function batchResponses(outer: GraphAnswer): BatchOutcome {
  if (outer.status < 200 || outer.status >= 300) return { ok: false, failure: outer };
  const responses = (outer.body as { responses?: unknown } | undefined)?.responses;
  if (!Array.isArray(responses)) return { ok: false, failure: malformed('the $batch response has no responses array', outer) };
  const byId = new Map<string, GraphAnswer>();
  for (const r of responses as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown }[]) {
    if (typeof r?.id !== 'string' || typeof r.status !== 'number') continue;
    const headers: Record<string, string> = {};
    if (r.headers && typeof r.headers === 'object') {
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    }
    byId.set(r.id, { status: r.status, body: r.body, text: '', headers, attempts: 1 });
  }
  return { ok: true, byId };
}

async function readAnswer(response: Response): Promise<GraphAnswer> {
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  let body: unknown;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  const attempts = (response as Response & { agentscanAttempts?: number }).agentscanAttempts ?? 1;
  return { status: response.status, body, text, headers, attempts };
}
