import { describeTooLarge, tooLargeCause } from '../../../collect/limits.js';

// What a failed Google API call means, in the words a coverage entry and a person need:
// Google's status (PERMISSION_DENIED, RESOURCE_EXHAUSTED…), the call, the API to enable when
// the service is off, and Google's message. Google's error messages name resources and
// permissions, never credentials.

export interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: { '@type'?: string; reason?: string; domain?: string; metadata?: Record<string, string> }[];
}

/** A 200 answer whose body is not the JSON the call returns. */
export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

interface GaxiosLike {
  message?: string;
  code?: string | number;
  status?: number;
  response?: { status?: number; data?: unknown };
  config?: { retryConfig?: { currentRetryAttempt?: number } };
  cause?: { code?: string; message?: string };
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 400);
}

/** Google's JSON error envelope `{error: {code, message, status, details}}`, when the body is one. */
export function googleError(err: unknown): GoogleErrorBody | undefined {
  const data = (err as GaxiosLike)?.response?.data;
  let body: unknown = data;
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  const inner = (body as { error?: unknown })?.error;
  return inner && typeof inner === 'object' ? (inner as GoogleErrorBody) : undefined;
}

export function httpStatus(err: unknown): number | undefined {
  const e = err as GaxiosLike;
  return e?.response?.status ?? (typeof e?.status === 'number' ? e.status : undefined);
}

/** ErrorInfo.reason: SERVICE_DISABLED, IAM_PERMISSION_DENIED, RATE_LIMIT_EXCEEDED… */
export function errorReason(err: unknown): string | undefined {
  return googleError(err)?.details?.find((d) => d['@type']?.endsWith('google.rpc.ErrorInfo'))?.reason;
}

/**
 * "PERMISSION_DENIED: iam.projects.serviceAccounts.list after 3 attempts (Permission 'iam.serviceAccounts.list' denied …)".
 * A disabled API names the service and the command that enables it.
 */
export function describeFailure(err: unknown, call: string): string {
  if (err instanceof MalformedResponseError) return err.message;
  const tooLarge = tooLargeCause(err);
  if (tooLarge) return describeTooLarge(call, tooLarge);
  const e = err as GaxiosLike;
  const attempts = (e?.config?.retryConfig?.currentRetryAttempt ?? 0) + 1;
  const retried = attempts > 1 ? ` after ${attempts} attempts` : '';
  const body = googleError(err);
  const status = httpStatus(err);
  if (body) {
    const info = body.details?.find((d) => d['@type']?.endsWith('google.rpc.ErrorInfo'));
    if (info?.reason === 'SERVICE_DISABLED') {
      const service = info.metadata?.service ?? 'the';
      const project = info.metadata?.consumer?.replace(/^projects\//, '');
      return (
        `SERVICE_DISABLED: ${call} — the ${service} API is not enabled${project ? ` in project ${project}` : ''}; ` +
        `enable it with \`gcloud services enable ${service}${project ? ` --project ${project}` : ''}\``
      );
    }
    const code = body.status ?? `HTTP ${status ?? body.code ?? '?'}`;
    return `${code}: ${call}${retried}${body.message ? ` (${oneLine(body.message)})` : ''}`;
  }
  if (status) return `HTTP ${status}: ${call}${retried} (the error body is not Google's JSON error)`;
  const cause = e?.cause?.code ?? (typeof e?.code === 'string' ? e.code : undefined);
  const detail = oneLine(e?.cause?.message ?? e?.message);
  if (cause === 'ETIMEDOUT' || cause === 'ECONNECT_TIMEOUT' || cause === 'EDEADLINE' || /timed? ?out|no response data|deadline/i.test(detail)) {
    return `timeout: ${call}${retried} (${detail})`;
  }
  return `${cause ?? 'network error'}: ${call}${retried}${detail ? ` (${detail})` : ''}`;
}
