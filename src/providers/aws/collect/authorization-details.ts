import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { CALLS, FILES } from '../files.js';
import type { AccountRun } from './account-run.js';
import { checkedBody } from './checked.js';
import { authorizationDetailsPageSchema } from '../wire.js';
import { describeFailure } from './failure.js';

// iam:GetAccountAuthorizationDetails, every page: users, groups, roles (with trust policies,
// last use and tags) and managed policies in a handful of calls, however many principals.
// Each page is stored as the SDK returned it; policy documents stay URL-encoded as IAM sends them.

/** The largest page IAM serves; it may still return fewer items, so IsTruncated decides. */
const MAX_ITEMS = 1000;

export interface AuthorizationDetailsResult {
  /** User names seen on the pages collected (all of them when the call succeeded). */
  userNames: string[];
  complete: boolean;
}

export async function collectAuthorizationDetails(run: AccountRun): Promise<AuthorizationDetailsResult> {
  const userNames: string[] = [];
  const seenMarkers = new Set<string>();
  let marker: string | undefined;
  for (let page = 1; ; page++) {
    let output;
    try {
      output = await run.calls.send(CALLS.authorizationDetails, () =>
        run.clients.iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: MAX_ITEMS, Marker: marker })),
      );
    } catch (err) {
      run.calls.failed(CALLS.authorizationDetails, `${describeFailure(err, CALLS.authorizationDetails)} on page ${page}`);
      return { userNames, complete: false };
    }
    // A body that parsed but lacks the paging flag would end the listing silently; refuse it.
    if (typeof output.IsTruncated !== 'boolean' || (output.IsTruncated && !output.Marker)) {
      run.calls.failed(
        CALLS.authorizationDetails,
        `malformed response: ${CALLS.authorizationDetails} page ${page} has ${output.IsTruncated ? 'IsTruncated but no Marker' : 'no IsTruncated'}`,
      );
      return { userNames, complete: false };
    }
    let body;
    try {
      body = checkedBody(CALLS.authorizationDetails, output, authorizationDetailsPageSchema);
    } catch (err) {
      run.calls.failed(CALLS.authorizationDetails, `${describeFailure(err, CALLS.authorizationDetails)} on page ${page}`);
      return { userNames, complete: false };
    }
    run.out.json(FILES.authorizationDetailsPage(page), body);
    for (const user of output.UserDetailList ?? []) if (user.UserName) userNames.push(user.UserName);
    if (!output.IsTruncated) break;
    if (seenMarkers.has(output.Marker!)) {
      run.calls.failed(CALLS.authorizationDetails, `malformed response: ${CALLS.authorizationDetails} repeated a Marker on page ${page}`);
      return { userNames, complete: false };
    }
    seenMarkers.add(output.Marker!);
    marker = output.Marker;
  }
  run.calls.ok(CALLS.authorizationDetails);
  return { userNames, complete: true };
}
