import { ListRolesCommand } from '@aws-sdk/client-iam';
import { CALLS, FILES } from '../files.js';
import type { AccountRun } from './account-run.js';
import { listRolesPageSchema } from '../wire.js';
import { collectIamPages, MAX_ITEMS } from './iam-pages.js';

// iam:ListRoles, every page, for what GetAccountAuthorizationDetails leaves out: each role's
// Description, where teams write what the role is for and who owns it.

export async function collectRoleListing(run: AccountRun): Promise<boolean> {
  return collectIamPages(run, {
    call: CALLS.listRoles,
    file: FILES.listRolesPage,
    schema: listRolesPageSchema,
    request: (marker) => run.clients.iam.send(new ListRolesCommand({ MaxItems: MAX_ITEMS, Marker: marker })),
  });
}
