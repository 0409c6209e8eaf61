import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { CALLS, FILES } from '../files.js';
import type { AccountRun } from './account-run.js';
import { authorizationDetailsPageSchema } from '../wire.js';
import { collectIamPages, MAX_ITEMS } from './iam-pages.js';

// iam:GetAccountAuthorizationDetails, every page: users, groups, roles (with trust policies,
// last use and tags) and managed policies in a handful of calls, however many principals.
// Policy documents stay URL-encoded as IAM sends them.

export interface AuthorizationDetailsResult {
  /** User names seen on the pages collected (all of them when the call succeeded). */
  userNames: string[];
  complete: boolean;
}

export async function collectAuthorizationDetails(run: AccountRun): Promise<AuthorizationDetailsResult> {
  const userNames: string[] = [];
  const complete = await collectIamPages(run, {
    call: CALLS.authorizationDetails,
    file: FILES.authorizationDetailsPage,
    schema: authorizationDetailsPageSchema,
    request: (marker) => run.clients.iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: MAX_ITEMS, Marker: marker })),
    onPage: (output) => {
      for (const user of output.UserDetailList ?? []) if (user.UserName) userNames.push(user.UserName);
    },
  });
  return { userNames, complete };
}
