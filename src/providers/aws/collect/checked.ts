import type { z } from 'zod';
import { firstIssue } from '../../../util/zod-issues.js';
import { responseBody } from './account-run.js';

// A 200 answer is only as good as its body: an empty, HTML or wrong-shaped body parses into an
// SDK output with fields missing, which would be written to the bundle as if valid and fail
// the later scan. Each body is checked against the same wire schema the normalizer reads it
// with, so a bad one becomes a coverage entry naming the call, at collection time.

export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponse';
  }
}

/** The output as the bundle stores it, after checking it has the shape `schema` expects. */
export function checkedBody<T extends { $metadata?: unknown }>(call: string, output: T, schema: z.ZodType): Omit<T, '$metadata'> {
  const body = responseBody(output);
  // As it will be read back: SDK Dates become ISO strings, undefined fields disappear.
  const parsed = schema.safeParse(JSON.parse(JSON.stringify(body)));
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new MalformedResponseError(`malformed response: ${call} answered a body without the expected shape (at ${path || 'top level'}: ${message})`);
  }
  return body;
}
