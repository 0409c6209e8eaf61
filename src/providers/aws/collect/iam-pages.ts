import type { z } from 'zod';
import type { AccountRun } from './account-run.js';
import { checkedBody } from './checked.js';
import { describeFailure } from './failure.js';

// Every page of an IAM list call that pages with IsTruncated/Marker, each stored as the SDK
// returned it. A page without the paging flag, truncated without a Marker, or repeating a Marker
// would end (or loop) the listing silently: it is a failed call instead.

/** The largest page IAM serves; it may still return fewer items, so IsTruncated decides. */
export const MAX_ITEMS = 1000;

interface PagedOutput {
  IsTruncated?: boolean;
  Marker?: string;
  $metadata?: unknown;
}

export interface IamPaging<T extends PagedOutput> {
  call: string;
  file: (page: number) => string;
  schema: z.ZodType;
  request: (marker: string | undefined) => Promise<T>;
  /** Sees each page once it is checked and written. */
  onPage?: (output: T) => void;
}

/** true when every page was collected; a failure is recorded on the call's coverage entry. */
export async function collectIamPages<T extends PagedOutput>(run: AccountRun, paging: IamPaging<T>): Promise<boolean> {
  const { call } = paging;
  const seenMarkers = new Set<string>();
  let marker: string | undefined;
  for (let page = 1; ; page++) {
    let output: T;
    let body;
    try {
      output = await run.calls.send(call, () => paging.request(marker));
      if (typeof output.IsTruncated !== 'boolean' || (output.IsTruncated && !output.Marker)) {
        run.calls.failed(call, `malformed response: ${call} page ${page} has ${output.IsTruncated ? 'IsTruncated but no Marker' : 'no IsTruncated'}`);
        return false;
      }
      body = checkedBody(call, output, paging.schema);
    } catch (err) {
      run.calls.failed(call, `${describeFailure(err, call)} on page ${page}`);
      return false;
    }
    run.out.json(paging.file(page), body);
    paging.onPage?.(output);
    if (!output.IsTruncated) break;
    if (seenMarkers.has(output.Marker!)) {
      run.calls.failed(call, `malformed response: ${call} repeated a Marker on page ${page}`);
      return false;
    }
    seenMarkers.add(output.Marker!);
    marker = output.Marker;
  }
  run.calls.ok(call);
  return true;
}
