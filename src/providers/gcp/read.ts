import type { z } from 'zod';
import type { SourceReader } from '../../bundle/source-reader.js';

// Google list calls return `nextPageToken` while more pages follow; the bundle stores one file
// per page. Reading follows the tokens, so a page the API said exists but the bundle lacks is a
// broken bundle, unless bundle.json records that the call failed part-way.

type Page = { nextPageToken?: string };

/**
 * Every page of a paged call, in order. undefined when the first page is missing because the
 * call failed; the pages read so far when a later page is missing for the same reason.
 */
export function readPages<S extends z.ZodType<Page>>(
  source: SourceReader,
  fileOfPage: (page: number) => string,
  schema: S,
  call: string,
): z.infer<S>[] | undefined {
  const pages: z.infer<S>[] = [];
  for (let n = 1; ; n++) {
    const page = source.json(fileOfPage(n), schema, { call });
    if (page === undefined) return n === 1 ? undefined : pages;
    pages.push(page);
    if (!page.nextPageToken) return pages;
  }
}

/**
 * A call made once per service account: its file is explained by a failure recorded for that
 * account, or for the method as a whole.
 */
export function readPerAccount<S extends z.ZodType>(
  source: SourceReader,
  file: string,
  schema: S,
  method: string,
  accountCall: string,
): z.infer<S> | undefined {
  const call = source.callFailed(accountCall) ? accountCall : method;
  return source.json(file, schema, { call });
}
