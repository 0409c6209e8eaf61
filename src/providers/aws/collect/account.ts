import { ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { CALLS, FILES } from '../files.js';
import { accountAliasesSchema, callerIdentitySchema } from '../wire.js';
import { collectAccessKeys, keyTargets } from './access-keys.js';
import type { AccountRun } from './account-run.js';
import { checkedBody } from './checked.js';
import { collectAuthorizationDetails } from './authorization-details.js';
import { collectCredentialReport } from './credential-report.js';
import { collectRoleListing } from './list-roles.js';
import { describeFailure } from './failure.js';

// One account's call plan. The credential report is started first and built by IAM while the
// authorization details are paged; the key calls then go only to users that hold keys.

/**
 * Collects one account into `run.out`. `identity` is the GetCallerIdentity answer already
 * obtained with these credentials (the scanner's own account), saving a call.
 */
export async function collectAccount(run: AccountRun, identity?: GetCallerIdentityCommandOutput): Promise<void> {
  if (!(await callerIdentity(run, identity))) {
    skipRest(run, `not collected: the credentials are not for account ${run.account}`, [CALLS.callerIdentity]);
    return;
  }
  const [report, details] = await Promise.all([
    collectCredentialReport(run),
    collectAuthorizationDetails(run),
    accountAliases(run),
    collectRoleListing(run),
  ]);
  await collectAccessKeys(run, keyTargets(report, details.complete || details.userNames.length > 0 ? details.userNames : undefined));
}

/** Records every bundle call of an account that could not be reached, so its empty folder reads as partial. */
export function skipRest(run: Pick<AccountRun, 'calls'>, message: string, except: string[] = []): void {
  for (const call of Object.values(CALLS)) if (!except.includes(call)) run.calls.failed(call, message, 'skipped');
}

/** true when the credentials belong to the account being collected. */
async function callerIdentity(run: AccountRun, known?: GetCallerIdentityCommandOutput): Promise<boolean> {
  let out: GetCallerIdentityCommandOutput;
  let body;
  try {
    out = known ?? (await run.calls.send(CALLS.callerIdentity, () => run.clients.sts.send(new GetCallerIdentityCommand({}))));
    body = checkedBody(CALLS.callerIdentity, out, callerIdentitySchema);
  } catch (err) {
    run.calls.failed(CALLS.callerIdentity, describeFailure(err, CALLS.callerIdentity));
    return true; // the other calls may still work and say what they can
  }
  if (out.Account !== run.account) {
    run.calls.failed(CALLS.callerIdentity, `wrong account: the credentials are for account ${out.Account}, not ${run.account}`);
    return false;
  }
  run.out.json(FILES.callerIdentity, body);
  run.calls.ok(CALLS.callerIdentity);
  return true;
}

async function accountAliases(run: AccountRun): Promise<void> {
  try {
    // An account has at most one alias, so one page.
    const out = await run.calls.send(CALLS.accountAliases, () => run.clients.iam.send(new ListAccountAliasesCommand({})));
    run.out.json(FILES.accountAliases, checkedBody(CALLS.accountAliases, out, accountAliasesSchema));
    run.calls.ok(CALLS.accountAliases);
  } catch (err) {
    run.calls.failed(CALLS.accountAliases, describeFailure(err, CALLS.accountAliases));
  }
}
