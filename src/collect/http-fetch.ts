import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { cappedStream, checkDeclaredLength, maxResponseBytesFromEnv, ResponseTooLargeError } from './limits.js';
import type { HttpTimeouts } from './timeouts.js';

// A fetch for SDKs that accept one (Octokit's `request.fetch`, Graph's), built on node:http so
// each of the three bounds is enforced where it belongs: the TCP/TLS connect, the silence
// between bytes (waiting for headers and while the body trickles), and the whole call. A bound
// that trips fails the request with a message naming it; the SDK's retry and our coverage
// entry take it from there. Bodies are capped (AGENTSCAN_MAX_RESPONSE_BYTES): over the cap the
// read stops and the body fails with ResponseTooLargeError.
//
// Octokit reads bodies leniently (a body that breaks off becomes ""), so a caller that needs to
// know passes a FetchTracker and the body is streamed; without one, the body is read whole
// before the fetch resolves, so a broken or oversized body rejects it (token exchanges and
// discovery calls fail loudly instead of reading as an empty answer).

export class HttpTimeoutError extends Error {
  constructor(
    readonly bound: 'connect' | 'response' | 'deadline',
    ms: number,
    url: string,
  ) {
    const what = { connect: 'connecting', response: 'waiting for a response (no bytes)', deadline: 'the call deadline' }[bound];
    super(`timed out after ${ms} ms ${bound === 'deadline' ? `(${what})` : what} to ${new URL(url).host}`);
    this.name = 'HttpTimeoutError';
  }
}

type FetchInit = { method?: string; headers?: Record<string, string> | Headers; body?: string | Uint8Array | null; signal?: AbortSignal | null };

function headerRecord(headers: FetchInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  return { ...headers };
}

function responseHeaders(res: IncomingMessage): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  }
  return out;
}

/** What one caller's requests went through: how many were sent, and why a body broke off. */
export interface FetchTracker {
  requests: number;
  /** The first error that cut a response body short (SDKs that read bodies leniently hide it). */
  bodyError?: Error;
}

/** A fetch(url, init) that honours `timeouts` and the size cap; only what SDK clients send is supported (no redirects followed). */
export function fetchWithTimeouts(timeouts: HttpTimeouts, tracker?: FetchTracker, maxBytes = maxResponseBytesFromEnv()): typeof fetch {
  const impl = (input: string | URL | Request, init: FetchInit = {}): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    if (tracker) tracker.requests++;
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const timers: NodeJS.Timeout[] = [];
      let untrack = () => {};
      const clear = () => {
        timers.forEach(clearTimeout);
        untrack();
      };
      const req = send(target, { method: init.method ?? 'GET', headers: headerRecord(init.headers) });
      const fail = (err: Error) => {
        clear();
        if (settled && tracker) tracker.bodyError ??= err;
        req.destroy(err);
        if (!settled) {
          settled = true;
          reject(err);
        }
      };
      timers.push(setTimeout(() => fail(new HttpTimeoutError('deadline', timeouts.callDeadlineMs, url)), timeouts.callDeadlineMs));
      const connectTimer = setTimeout(() => fail(new HttpTimeoutError('connect', timeouts.connectMs, url)), timeouts.connectMs);
      timers.push(connectTimer);
      req.on('socket', (socket) => {
        const connected = () => {
          clearTimeout(connectTimer);
          // Silence on the socket from here on: no answer yet, or a body that stopped mid-way.
          const silent = () => fail(new HttpTimeoutError('response', timeouts.responseMs, url));
          socket.setTimeout(timeouts.responseMs, silent);
          // A kept-alive socket serves later requests: leave it without this request's timer.
          untrack = () => {
            socket.setTimeout(0);
            socket.removeListener('timeout', silent);
          };
        };
        if ((socket as { connecting?: boolean }).connecting) socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
        else connected();
      });
      init.signal?.addEventListener('abort', () => fail(new Error('aborted')), { once: true });
      req.on('error', (err) => fail(err));
      req.on('response', (res) => {
        const bodyFailed = (err: Error) => {
          if (tracker && (err instanceof ResponseTooLargeError || !tracker.bodyError)) tracker.bodyError = err;
          clear();
        };
        res.on('end', clear);
        res.on('error', bodyFailed);
        res.on('aborted', () => {
          if (tracker) tracker.bodyError ??= new Error(`the connection to ${target.host} closed before the response body ended`);
        });
        const noBody = res.statusCode === 204 || res.statusCode === 304 || init.method === 'HEAD';
        let body: ReadableStream<Uint8Array> | null = null;
        if (noBody) res.resume(); // A body nobody will read is drained, so the socket is released.
        else {
          try {
            checkDeclaredLength(res.headers['content-length'], maxBytes);
            const capped = cappedStream(res, maxBytes);
            capped.once('error', bodyFailed);
            body = Readable.toWeb(capped) as ReadableStream<Uint8Array>;
          } catch (err) {
            if (!tracker) return fail(err as Error);
            res.destroy();
            bodyFailed(err as Error);
            body = new ReadableStream({ start: (controller) => controller.error(err) });
          }
        }
        const answer = (content: ReadableStream<Uint8Array> | ArrayBuffer | null) => {
          const response = new Response(content, { status: res.statusCode ?? 500, statusText: res.statusMessage, headers: responseHeaders(res) });
          Object.defineProperty(response, 'url', { value: url });
          return response;
        };
        if (tracker || !body) {
          settled = true;
          return resolve(answer(body));
        }
        new Response(body).arrayBuffer().then((whole) => {
          if (settled) return;
          settled = true;
          clear();
          resolve(answer(whole));
        }, (err: Error) => fail(err));
      });
      if (init.body !== undefined && init.body !== null) req.write(init.body);
      req.end();
    });
  };
  return impl as typeof fetch;
}
