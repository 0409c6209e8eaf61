import type { z } from 'zod';

/** Formats a zod path as a JSON-path-like string: UserDetailList[3].AccessKeys */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The first issue of a failed parse, as {path, message}, for one clear error line. */
export function firstIssue(error: z.ZodError): { path: string; message: string } {
  const issue = error.issues[0];
  return { path: formatPath(issue.path), message: issue.message };
}
