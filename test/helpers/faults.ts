import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// Fault injection for the local provider emulators: the ways an unlucky network or a broken
// endpoint answers, as functions a Node http server's request handler calls instead of
// `res.end(body)`. Provider-neutral: each takes the answer the emulator would have sent
// (status, headers, body) and spoils its delivery or its content. Use with tiny timeouts
// (AGENTSCAN_CONNECT_TIMEOUT_MS, AGENTSCAN_RESPONSE_TIMEOUT_MS, AGENTSCAN_CALL_DEADLINE_MS).
//
//   malformedBody(kind, body)   a 200 body that is cut in half, empty, HTML, or not the wire format at all
//   hang(res)                   accept the request, never answer (the socket stays open)
//   hangAfterHeaders(res, a)    send the status and headers, then never the body
//   trickle(res, a, ms)         send the body one byte every `ms` milliseconds: never silent, never done
//   oversized(res, a, bytes)    a 200 whose body is `bytes` long: the answer followed by filler (says how much was sent)
//   deliver(res, a, spoil)      the answer spoiled by any of these (a Spoil names which), or as it is
//   releaseSockets(server)      call before server.close(): ends the connections the faults left hanging

export interface Delivery {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type BodyFault = 'truncated' | 'garbage' | 'empty' | 'html';
export type StallFault = 'hang' | 'hang-after-headers' | 'trickle';

/** How an emulator spoils one answer: its content, its delivery, or its size. */
export interface Spoil {
  body?: BodyFault;
  stall?: StallFault;
  /** Pad the answer to this many bytes. */
  bytes?: number;
  /** Milliseconds between trickled bytes (default 5). */
  trickleMs?: number;
  /** Told how many bytes of an oversized answer went out before the client stopped reading. */
  sent?: (bytes: number) => void;
}

/** The body a broken endpoint returns instead of `body`. */
export function malformedBody(kind: BodyFault, body: string): string {
  switch (kind) {
    case 'truncated':
      return body.slice(0, Math.floor(body.length / 2));
    case 'garbage':
      return 'Service Unavailable: upstream reset <html';
    case 'empty':
      return '';
    case 'html':
      return '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n';
  }
}

const stalled = new WeakMap<Server, Set<Socket>>();

function remember(res: ServerResponse): void {
  const server = (res.socket as Socket & { server?: Server } | null)?.server;
  if (!server || !res.socket) return;
  const set = stalled.get(server) ?? new Set<Socket>();
  stalled.set(server, set);
  set.add(res.socket);
  res.socket.once('close', () => set.delete(res.socket as Socket));
}

export function hang(res: ServerResponse): void {
  remember(res);
}

export function hangAfterHeaders(res: ServerResponse, answer: Delivery): void {
  remember(res);
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  res.flushHeaders();
}

/** One byte per `intervalMs`, stopping when the client goes away. */
export function trickle(res: ServerResponse, answer: Delivery, intervalMs = 5): void {
  remember(res);
  const bytes = Buffer.from(answer.body);
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(bytes.length) });
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed || i >= bytes.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(bytes.subarray(i, ++i));
  }, intervalMs);
  res.once('close', () => clearInterval(timer));
}

/**
 * `bytes` of body: the real answer, then spaces (harmless to most parsers, so only size can stop
 * it). Sent chunked, without a content-length, so only counting what arrives can stop it.
 */
export function oversized(res: ServerResponse, answer: Delivery, bytes: number, sent?: (bytes: number) => void): void {
  const head = Buffer.from(answer.body);
  const headers: Record<string, string> = { ...answer.headers };
  delete headers['content-length'];
  res.writeHead(answer.status, headers);
  res.write(head);
  let left = bytes - head.length;
  res.once('close', () => sent?.(bytes - Math.max(left, 0)));
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** Ends the connections hang/trickle left open, so server.close() can finish. */
export function releaseSockets(server: Server): void {
  for (const socket of stalled.get(server) ?? []) socket.destroy();
  server.closeAllConnections?.();
}

/** Delivers `answer` spoiled by `fault`, or normally when there is none. */
export function deliver(res: ServerResponse, answer: Delivery, fault?: Spoil): void {
  if (fault?.stall === 'hang') return hang(res);
  if (fault?.stall === 'hang-after-headers') return hangAfterHeaders(res, answer);
  const body = fault?.body ? malformedBody(fault.body, answer.body) : answer.body;
  if (fault?.stall === 'trickle') return trickle(res, { ...answer, body }, fault.trickleMs);
  if (fault?.bytes) return oversized(res, { ...answer, body }, fault.bytes, fault.sent);
  res.writeHead(answer.status, answer.headers);
  res.end(body);
}
