import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest, HttpResponse } from '@smithy/core/protocols';
import type { HttpHandlerOptions } from '@smithy/types';
import type { Readable } from 'node:stream';
import { cappedStream, checkDeclaredLength, ResponseTooLargeError } from '../../../collect/limits.js';
import type { HttpTimeouts } from '../../../collect/timeouts.js';

// The SDK's Node handler sets no timeout at all by default: an endpoint that accepts the
// connection and never answers would hang the scan. Its connection timeout and socket idle
// timeout cover silence; a trickling endpoint never falls silent, so each HTTP attempt also
// gets a deadline that covers reading the whole body. A timeout is a TimeoutError, which the
// SDK's retry strategy treats as transient, and which describeFailure turns into a coverage
// message naming the call. The body is also capped in size (ResponseTooLarge), since the SDK
// collects it into memory whole.

export class CallDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`no complete answer within the ${deadlineMs} ms call deadline (AGENTSCAN_CALL_DEADLINE_MS)`);
    this.name = 'TimeoutError';
  }
}

export function requestHandler(timeouts: HttpTimeouts, maxBytes: number): DeadlineHandler {
  const inner = new NodeHttpHandler({ connectionTimeout: timeouts.connectMs, socketTimeout: timeouts.responseMs });
  return new DeadlineHandler(inner, timeouts.callDeadlineMs, maxBytes);
}

class DeadlineHandler {
  readonly metadata: { handlerProtocol: string };

  constructor(
    private readonly inner: NodeHttpHandler,
    private readonly deadlineMs: number,
    private readonly maxBytes: number,
  ) {
    this.metadata = inner.metadata;
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const controller = new AbortController();
    const expired = new CallDeadlineError(this.deadlineMs);
    let body: Readable | undefined;
    const timer = setTimeout(() => {
      controller.abort(expired);
      // Once the headers are in, the body is read by the SDK; ending the stream ends that read.
      body?.destroy(expired);
    }, this.deadlineMs);
    const given = options.abortSignal as AbortSignal | undefined;
    const signal = given ? AbortSignal.any([given, controller.signal]) : controller.signal;
    try {
      const out = await this.inner.handle(request, { ...options, abortSignal: signal });
      const raw = out.response.body as Readable | undefined;
      if (!raw || typeof raw.pipe !== 'function') {
        clearTimeout(timer);
        return out as { response: HttpResponse };
      }
      try {
        checkDeclaredLength(out.response.headers['content-length'], this.maxBytes);
      } catch (err) {
        clearTimeout(timer);
        raw.destroy();
        throw err;
      }
      body = cappedStream(raw, this.maxBytes);
      body.once('close', () => clearTimeout(timer));
      body.once('end', () => clearTimeout(timer));
      out.response.body = body;
      return out as { response: HttpResponse };
    } catch (err) {
      clearTimeout(timer);
      throw controller.signal.aborted && !(err instanceof ResponseTooLargeError) ? expired : err;
    }
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs() {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }
}
