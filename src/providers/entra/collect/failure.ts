import { describeTooLarge, tooLargeCause } from '../../../collect/limits.js';
import type { GraphAnswer } from './graph.js';
import { needsOf } from './calls.js';

// What a failed Graph call means, in the words a coverage entry and a person need: the status
// and Graph's error code and message from its envelope {error:{code,message,innerError}}, the
// permission or licence the call needs when Graph refused it, and the attempts it took.
// Graph error messages name objects and permissions, never secrets.

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const oneLine = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);

function graphError(answer: GraphAnswer): { code?: string; message?: string } {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    code: typeof error?.code === 'string' ? error.code : undefined,
    message: typeof error?.message === 'string' ? error.message : undefined,
  };
}

/** True when Graph says the tenant lacks the licence the call needs (PIM without P2, reports without P1). */
function licenceMissing(code: string | undefined, message: string | undefined): boolean {
  return /premium|licen[cs]e|\bP[12]\b|AadPremiumLicenseRequired/i.test(`${code ?? ''} ${message ?? ''}`);
}

/** "403 Forbidden: GET /servicePrincipals (Authorization_RequestDenied: …) — needs Application.Read.All". */
export function describeAnswer(call: string, answer: GraphAnswer, detail = ''): string {
  const { code, message } = graphError(answer);
  if (answer.status === -1) return `malformed response: ${call}${detail} (${message ?? 'unreadable'})`;
  const retried = answer.attempts > 1 ? ` after ${answer.attempts} attempts` : '';
  const why = [code, message && message !== code ? oneLine(message) : undefined].filter(Boolean).join(': ');
  let text = `${answer.status} ${REASON[answer.status] ?? 'Error'}: ${call}${detail}${retried}${why ? ` (${why})` : ''}`;
  const needs = needsOf(call);
  if (needs?.requires && licenceMissing(code, message)) text += ` — the tenant needs ${needs.requires}`;
  else if ((answer.status === 403 || answer.status === 401) && needs) text += ` — needs the Graph application permission ${needs.permission}`;
  return text;
}

/** A transport or credential failure (timeout, refused connection, TLS): no Graph answer at all. */
export function describeError(call: string, err: unknown, detail = ''): string {
  const tooLarge = tooLargeCause(err);
  if (tooLarge) return describeTooLarge(`${call}${detail}`, tooLarge);
  const e = err as { name?: string; code?: string; message?: string };
  // The Graph client wraps transport errors in a GraphError whose code is the original's name.
  const code = typeof e?.code === 'string' && /^[A-Za-z_]+$/.test(e.code) ? e.code : e?.name && e.name !== 'Error' ? e.name : 'Error';
  return `${code}: ${call}${detail} (${oneLine(e?.message) || 'no detail'})`;
}

/** A 2xx answer whose body is not what Graph returns for the call. */
export function describeMalformed(call: string, answer: GraphAnswer, problem: string, detail = ''): string {
  const sample = oneLine(answer.text).slice(0, 80);
  return `malformed response: ${call}${detail} ${problem}${sample ? ` (body starts: ${sample})` : ''}`;
}
