import http from 'node:http';
import https from 'node:https';
import type { HttpTimeouts } from '../../../collect/timeouts.js';

// One HTTP(S) exchange with the three bounds every provider client honours: connecting,
// silence while waiting for or reading the answer, and the whole call. Both Graph and the
// token endpoint go through it, so a host that accepts the connection and never answers (or
// trickles bytes) ends as an error naming the request instead of a hang. node:https uses the
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
  private readonly agents = {
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  };

  constructor(
    private readonly timeouts: HttpTimeouts,
    /** Told of every request sent, retries included (for the call log). */
    private readonly onRequest: (req: HttpRequest) => void = () => {},
  ) {}

  send(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const lib = url.protocol === 'http:' ? http : https;
    const agent = url.protocol === 'http:' ? this.agents['http:'] : this.agents['https:'];
    const { connectMs, responseMs, callDeadlineMs } = this.timeouts;
    this.onRequest(req);
    return new Promise<HttpResponse>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      let settled = false;
      const finish = (err: Error | undefined, res?: HttpResponse) => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        if (err) {
          request.destroy(err);
          reject(err);
        } else resolve(res!);
      };
      const request = lib.request(url, { method: req.method, headers: req.headers, agent });
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
      request.on('error', (err) => finish(err));
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => finish(err));
        res.on('aborted', () => finish(new Error(`connection closed while reading the response (${url.host})`)));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          finish(undefined, { status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      });
      if (req.body !== undefined) request.write(req.body);
      request.end();
    });
  }

  destroy(): void {
    this.agents['https:'].destroy();
    this.agents['http:'].destroy();
  }
}
