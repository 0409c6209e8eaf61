import type { AuthClient } from 'google-auth-library';
import type { z } from 'zod';
import type { SourceWriter } from '../../../bundle/write.js';
import type { CallLog } from '../../../collect/call-log.js';
import { firstIssue } from '../../../util/zod-issues.js';
import { describeFailure, MalformedResponseError } from './failure.js';
import type { GcpCollectSettings, Service } from './settings.js';

// Every Google REST call agentscan makes, through the auth client's `request` (so the token is
// attached and refreshed) with gaxios' retry set explicitly: POST is not retried by default,
// and getIamPolicy is a POST. Bodies are read as text and checked against the wire schema the
// normalizer uses, so a 200 with an HTML page or the wrong shape is a failed call, never a file.

type Query = Record<string, string | number | readonly string[] | undefined>;

export interface Request {
  service: Service;
  /** Path after the service root, e.g. `/v1/projects/p/serviceAccounts`. */
  path: string;
  method?: 'GET' | 'POST';
  /** List values become repeated keys (`assetTypes=a&assetTypes=b`), as Google's REST APIs want. */
  query?: Query;
  body?: unknown;
}

export function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class GcpApi {
  constructor(
    private readonly client: AuthClient,
    readonly settings: GcpCollectSettings,
  ) {}

  url(req: Request): string {
    return `${this.settings.endpoints[req.service]}${req.path}${queryString(req.query)}`;
  }

  /** One call: the raw JSON body, after checking it has the shape `schema` describes. Throws on failure. */
  async call<S extends z.ZodType>(calls: CallLog, call: string, req: Request, schema: S): Promise<{ raw: unknown; body: z.infer<S> }> {
    const action = call.replace(/\(.*$/, '');
    const { maxAttempts, maxBackoffMs, baseBackoffMs } = this.settings;
    const res = await calls.send(action, () =>
      this.client.request<string>({
        url: this.url(req),
        method: req.method ?? 'GET',
        ...(req.body !== undefined ? { data: req.body, headers: { 'content-type': 'application/json' } } : {}),
        responseType: 'text',
        retryConfig: {
          retry: maxAttempts - 1,
          noResponseRetries: maxAttempts - 1,
          httpMethodsToRetry: ['GET', 'POST'],
          statusCodesToRetry: [
            [429, 429],
            [500, 599],
          ],
          onRetryAttempt: () => calls.addRequests(action),
          // Full jitter under a ceiling, or the server's Retry-After when it sends one (also capped).
          retryBackoff: async (err, _delay) => {
            const attempt = err.config.retryConfig?.currentRetryAttempt ?? 1;
            const after = Number(err.response?.headers?.get?.('retry-after'));
            const wait = Number.isFinite(after) && after >= 0 ? after * 1000 : Math.random() * baseBackoffMs * 2 ** (attempt - 1);
            await sleep(Math.min(wait, maxBackoffMs));
          },
        },
      }),
    );
    return parseBody(call, res.data, schema);
  }

  /**
   * Every page of a list or search call, each written to `file(n)` as it arrives. A failure part-way
   * leaves the pages so far on disk and is rethrown, so the coverage entry explains the rest.
   */
  async pages<S extends z.ZodType<{ nextPageToken?: string }>>(
    calls: CallLog,
    call: string,
    req: Request,
    schema: S,
    out: SourceWriter,
    file: (page: number) => string,
  ): Promise<z.infer<S>[]> {
    const pages: z.infer<S>[] = [];
    let token: string | undefined;
    do {
      const { raw, body } = await this.call(calls, call, { ...req, query: { ...req.query, pageSize: this.settings.pageSize, pageToken: token } }, schema);
      out.json(file(pages.length + 1), raw);
      pages.push(body);
      token = body.nextPageToken || undefined;
    } while (token);
    return pages;
  }
}

function parseBody<S extends z.ZodType>(call: string, text: unknown, schema: S): { raw: unknown; body: z.infer<S> } {
  if (typeof text !== 'string' || text.trim() === '') throw new MalformedResponseError(`malformed response: ${call} returned an empty body`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MalformedResponseError(`malformed response: ${call} returned a body that is not JSON (${JSON.stringify(text.slice(0, 60))}…)`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new MalformedResponseError(`malformed response: ${call} at ${path || '(top level)'}: ${message}`);
  }
  return { raw, body: parsed.data };
}

/** Runs one bundle call: ok in coverage, or its failure recorded (and undefined returned). */
export async function attempt<T>(calls: CallLog, call: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    const out = await run();
    calls.ok(call);
    return out;
  } catch (err) {
    calls.failed(call, describeFailure(err, call));
    return undefined;
  }
}
