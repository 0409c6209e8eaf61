import { describeTooLarge, tooLargeCause } from '../../../collect/limits.js';

// What a failed AWS call means, in the words a coverage entry and a person need: the error
// code AWS sent, the IAM action (permission) that was refused or failed, and AWS's message.
// SDK errors carry the AWS error code as `name`; network errors carry a Node `code`.

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: string;
  $metadata?: { attempts?: number; httpStatusCode?: number };
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);

export function errorCode(err: unknown): string {
  const e = err as SdkErrorLike;
  if (e?.code && /^E[A-Z]+$/.test(e.code)) return e.code;
  return e?.name && e.name !== 'Error' ? e.name : 'Error';
}

export function isAccessDenied(err: unknown): boolean {
  return ACCESS_DENIED.has(errorCode(err));
}

export function hasCode(err: unknown, ...codes: string[]): boolean {
  const e = err as SdkErrorLike;
  return codes.includes(errorCode(err)) || codes.includes((e as { Code?: string })?.Code ?? '');
}

/** One line, never holding credentials: AWS error messages name principals and actions only. */
function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 500);
}

/**
 * "AccessDenied: iam:GenerateCredentialReport (User: arn:… is not authorized to perform: …)".
 * `action` is the IAM action the call needs, so the message says which permission to grant.
 */
export function describeFailure(err: unknown, action: string): string {
  const e = err as SdkErrorLike;
  if (e?.name === 'MalformedResponse') return oneLine(e.message);
  const tooLarge = tooLargeCause(err);
  if (tooLarge) return describeTooLarge(action, tooLarge);
  const code = errorCode(err);
  const attempts = e?.$metadata?.attempts;
  const retried = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  const detail = oneLine(e?.message);
  // Checked first: the SDK appends its deserialization hint to any error raised while reading a body.
  if (e?.name === 'TimeoutError' || (e?.name === 'AbortError' && (e as { cause?: { name?: string } }).cause?.name === 'TimeoutError')) {
    const why = detail.replace(/\s*Deserialization error: to see the raw response.*$/i, '');
    return `Timeout: ${action}${retried} (${why || 'no answer in time'})`;
  }
  // The SDK reports a body it cannot parse (cut off, not XML/JSON) as a plain deserialization Error.
  if (code === 'SyntaxError' || /deserializ|parse error/i.test(detail)) {
    // Drop the SDK's hint about a hidden $response field: it means nothing to a reader of the coverage.
    const why = detail.replace(/\s*Deserialization error: to see the raw response.*$/i, '');
    return `malformed response: ${action} returned a body that could not be read${retried}${why ? ` (${why})` : ''}`;
  }
  return `${code}: ${action}${retried}${detail && detail !== code ? ` (${detail})` : ''}`;
}
