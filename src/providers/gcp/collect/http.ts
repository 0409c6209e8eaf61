import http from 'node:http';
import https from 'node:https';
import { ByteBudget, checkDeclaredLength } from '../../../collect/limits.js';
import type { HttpTimeouts } from '../../../collect/timeouts.js';
import { isGoogleHost, SERVICES, type GcpCollectSettings, type Service } from './settings.js';

// The HTTP layer under google-auth-library's transporter (gaxios): node:http with the three
// timeouts every agentscan client has (connect, response silence, whole-call deadline), and
// the endpoint redirection. The auth library addresses its own requests (the token exchange,
// impersonation) to the public hosts whatever a key file says, so redirection happens here,
// below every request it or we make: a URL on `<service>.googleapis.com` goes to the
// service's configured endpoint, and once anything is redirected a request still bound for a
// Google host is refused rather than sent. An answer over AGENTSCAN_MAX_RESPONSE_BYTES stops
// being read and fails the request (ResponseTooLargeError).

export class TimeoutError extends Error {
  constructor(
    message: string,
    readonly code: 'ETIMEDOUT' | 'ECONNECT_TIMEOUT' | 'EDEADLINE',
  ) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** `https://iam.googleapis.com/v1/…` → the configured endpoint of iam plus the path. */
export function redirect(url: string, settings: GcpCollectSettings): string {
  const u = new URL(url);
  const m = /^([a-z0-9-]+)\.googleapis\.com$/.exec(u.hostname);
  if (m && (SERVICES as readonly string[]).includes(m[1])) {
    const base = settings.endpoints[m[1] as Service];
    if (!base.startsWith(`https://${u.hostname}`)) return `${base}${u.pathname}${u.search}`;
  }
  return url;
}

type FetchInit = { method?: string; headers?: Headers | Record<string, string>; body?: unknown; signal?: AbortSignal | null };

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new Error(`unsupported request body (${typeof body})`);
}

function headerRecord(headers: FetchInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) headers.forEach((v, k) => (out[k] = v));
  else Object.assign(out, headers);
  return out;
}

/** A fetch for gaxios (`fetchImplementation`) with timeouts, redirection and the Google-host guard. */
export function createFetch(settings: GcpCollectSettings) {
  const t: HttpTimeouts = settings.timeouts;
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 32 }), https: new https.Agent({ keepAlive: true, maxSockets: 32 }) };
  const fetchImpl = (input: string | URL, init: FetchInit = {}): Promise<Response> => {
    const target = redirect(String(input), settings);
    const url = new URL(target);
    if (settings.redirected && isGoogleHost(url.hostname)) {
      return Promise.reject(new Error(`refusing to send a request to ${url.hostname}: Google endpoints are redirected (--gcp-api-root / AGENTSCAN_GCP_*)`));
    }
    const body = bodyBytes(init.body);
    const headers = headerRecord(init.headers);
    if (body) headers['content-length'] = String(body.length);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      let release = () => {};
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        clearTimeout(connectTimer);
        release();
        req.destroy(err);
        reject(err);
      };
      const req = lib.request(url, {
        method: init.method ?? 'GET',
        headers,
        agent: url.protocol === 'https:' ? agents.https : agents.http,
      });
      const deadline = setTimeout(() => fail(new TimeoutError(`no complete response within ${t.callDeadlineMs} ms (call deadline)`, 'EDEADLINE')), t.callDeadlineMs);
      let connectTimer: NodeJS.Timeout | undefined;
      req.on('socket', (socket) => {
        // Silence on the socket, before or during the response, bounds a trickling or mute server.
        const onSilence = () => fail(new TimeoutError(`no response data for ${t.responseMs} ms`, 'ETIMEDOUT'));
        socket.setTimeout(t.responseMs);
        socket.on('timeout', onSilence);
        // A kept-alive socket serves later requests: leave it without this request's timer.
        release = () => {
          socket.removeListener('timeout', onSilence);
          socket.setTimeout(0);
        };
        const connecting = (socket as { connecting?: boolean }).connecting;
        if (connecting) {
          connectTimer = setTimeout(() => fail(new TimeoutError(`could not connect to ${url.host} within ${t.connectMs} ms`, 'ECONNECT_TIMEOUT')), t.connectMs);
          socket.once('connect', () => clearTimeout(connectTimer));
        }
      });
      const signal = init.signal ?? undefined;
      signal?.addEventListener('abort', () => fail(Object.assign(new Error('request aborted'), { name: 'AbortError' })), { once: true });
      req.on('error', (err) => fail(err));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        const budget = new ByteBudget(settings.maxResponseBytes);
        try {
          checkDeclaredLength(res.headers['content-length'], budget.limit);
        } catch (err) {
          return fail(err as Error);
        }
        res.on('data', (c: Buffer) => {
          try {
            budget.add(c);
            chunks.push(c);
          } catch (err) {
            fail(err as Error);
          }
        });
        res.on('error', (err) => fail(err));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          release();
          const status = res.statusCode ?? 0;
          const outHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) outHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
          }
          const noBody = status === 204 || status === 304 || init.method === 'HEAD';
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status: status < 200 ? 500 : status, statusText: res.statusMessage ?? '', headers: outHeaders }));
        });
      });
      req.end(body);
    });
  };
  return {
    fetch: fetchImpl,
    destroy: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
