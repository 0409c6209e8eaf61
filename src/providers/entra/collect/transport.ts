import http from 'node:http';
import https from 'node:https';
import { ByteBudget, checkDeclaredLength, maxResponseBytesFromEnv } from '../../../collect/limits.js';
import type { HttpTimeouts } from '../../../collect/timeouts.js';

// One HTTP(S) exchange with the three bounds every provider client honours: connecting,
// silence while waiting for or reading the answer, and the whole call. Both Graph and the
// token endpoint go through it, so a host that accepts the connection and never answers (or
// trickles bytes) ends as an error naming the request instead of a hang, and an answer over
// AGENTSCAN_MAX_RESPONSE_BYTES stops being read (ResponseTooLargeError). node:https uses the
// default CA store, which NODE_EXTRA_CA_CERTS extends (a test CA, a corporate proxy's CA).

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class HttpTimeoutError extends Error {
  constructor(
    readonly phase: 'connect' | 'response' | 'deadline',
    readonly ms: number,
    url: string,
  ) {
    const what = { connect: 'connecting', response: 'waiting for the response', deadline: 'the whole call' }[phase];
    super(`timed out after ${ms} ms ${what} (${new URL(url).host})`);
    this.name = 'TimeoutError';
  }
}

export class HttpTransport {
  // Idle kept-alive sockets are closed after 4 s, before common server idle timeouts (Node's
  // own is 5 s), so a request rarely lands on a connection the server is closing.
  private readonly agents = {
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16, timeout: 4000 }),
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16, timeout: 4000 }),
  };

  constructor(
    private readonly timeouts: HttpTimeouts,
    /** Told of every request sent, retries included (for the call log). */
    private readonly onRequest: (req: HttpRequest) => void = () => {},
    private readonly maxBytes = maxResponseBytesFromEnv(),
  ) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    try {
      return await this.once(req);
    } catch (err) {
      // A kept-alive connection the server closed while it sat idle fails at once with a reset
      // before any answer; every request we send only reads, so it is safe to send again.
      if ((err as { reusedSocket?: boolean }).reusedSocket) return this.once(req, true);
      throw err;
    }
  }

  /** One attempt; `fresh` sends it on a new connection rather than a pooled one. */
  private once(req: HttpRequest, fresh = false): Promise<HttpResponse> {
    const url = new URL(req.url);
    const lib = url.protocol === 'http:' ? http : https;
    const agent = fresh ? false : url.protocol === 'http:' ? this.agents['http:'] : this.agents['https:'];
    const { connectMs, responseMs, callDeadlineMs } = this.timeouts;
    this.onRequest(req);
    return new Promise<HttpResponse>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      let settled = false;
      let answered = false;
      const finish = (err: Error | undefined, res?: HttpResponse) => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        if (err) {
          request.destroy(err);
          reject(err);
        } else resolve(res!);
      };
      const headers = { ...req.headers };
      if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
        headers['Content-Length'] = String(Buffer.byteLength(req.body));
      }
      const request = lib.request(url, { method: req.method, headers, agent });
      request.setNoDelay(true);
      timers.push(setTimeout(() => finish(new HttpTimeoutError('deadline', callDeadlineMs, req.url)), callDeadlineMs));
      const connectTimer = setTimeout(() => finish(new HttpTimeoutError('connect', connectMs, req.url)), connectMs);
      timers.push(connectTimer);
      request.on('socket', (socket) => {
        const connected = () => clearTimeout(connectTimer);
        // A kept-alive socket is already connected.
        if (!socket.connecting) connected();
        else socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
      });
      // Socket inactivity: no byte sent or received for responseMs.
      request.setTimeout(responseMs, () => finish(new HttpTimeoutError('response', responseMs, req.url)));
      request.on('error', (err: NodeJS.ErrnoException) => {
        const reset = err.code === 'ECONNRESET' || /socket hang up/.test(err.message);
        finish(reset && request.reusedSocket && !answered ? Object.assign(err, { reusedSocket: true }) : err);
      });
      request.on('response', (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        const budget = new ByteBudget(this.maxBytes);
        try {
          checkDeclaredLength(res.headers['content-length'], budget.limit);
        } catch (err) {
          return finish(err as Error);
        }
        res.on('data', (c: Buffer) => {
          try {
            budget.add(c);
            chunks.push(c);
          } catch (err) {
            finish(err as Error);
          }
        });
        res.on('error', (err) => finish(err));
        res.on('aborted', () => finish(new Error(`connection closed while reading the response (${url.host})`)));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          finish(undefined, { status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      });
      // One write with a length, not chunks: a body split over segments waits on delayed ACKs.
      request.end(req.body);
    });
  }

  destroy(): void {
    this.agents['https:'].destroy();
    this.agents['http:'].destroy();
  }
}
