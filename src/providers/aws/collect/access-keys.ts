import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { CALLS, FILES } from '../files.js';
import type { AccountRun } from './account-run.js';
import { checkedBody } from './checked.js';
import { accessKeyLastUsedSchema, listAccessKeysSchema } from '../wire.js';
import { describeFailure, hasCode } from './failure.js';
import { mapPool } from '../../../collect/pool.js';

// iam:ListAccessKeys and iam:GetAccessKeyLastUsed, only for users that hold keys: the calls
// grow with keys, not with users or roles. The report names the users with keys; users newer
// than the report (IAM may hand out one up to four hours old) are listed too, and when there
// is no report at all every user from the authorization details is.

export interface KeyTargets {
  /** Users to list keys for. */
  users: string[];
  /** Why some users could not be chosen, when neither the report nor the details are there. */
  unknown?: string;
}

export function keyTargets(report: { users?: string[]; usersWithKeys?: string[] }, detailsUsers: string[] | undefined): KeyTargets {
  if (report.usersWithKeys && report.users) {
    const inReport = new Set(report.users);
    const newer = (detailsUsers ?? []).filter((u) => !inReport.has(u));
    return { users: [...new Set([...report.usersWithKeys, ...newer])] };
  }
  if (detailsUsers) return { users: detailsUsers };
  return { users: [], unknown: `no user list: ${CALLS.credentialReport} and ${CALLS.authorizationDetails} both failed` };
}

export async function collectAccessKeys(run: AccountRun, targets: KeyTargets): Promise<void> {
  if (targets.unknown) {
    run.calls.failed(CALLS.accessKeys, targets.unknown, 'skipped');
    run.calls.failed(CALLS.accessKeyLastUsed, targets.unknown, 'skipped');
    return;
  }
  const keyIds = (
    await mapPool(targets.users, run.settings.keyConcurrency, (user) => listKeys(run, user))
  ).flat();
  // Each call records its own outcome; with nothing to call, the coverage still says so.
  if (targets.users.length === 0) run.calls.ok(CALLS.accessKeys);
  await mapPool(keyIds, run.settings.keyConcurrency, (id) => keyLastUsed(run, id));
  if (keyIds.length === 0) run.calls.ok(CALLS.accessKeyLastUsed);
}

/** The user's key ids. A user has at most two keys, so one page always holds them. */
async function listKeys(run: AccountRun, userName: string): Promise<string[]> {
  try {
    const out = await run.calls.send(CALLS.accessKeys, () =>
      run.clients.iam.send(new ListAccessKeysCommand({ UserName: userName })),
    );
    run.out.json(FILES.accessKeys(userName), checkedBody(CALLS.accessKeys, out, listAccessKeysSchema));
    run.calls.ok(CALLS.accessKeys);
    return (out.AccessKeyMetadata ?? []).flatMap((k) => (k.AccessKeyId ? [k.AccessKeyId] : []));
  } catch (err) {
    if (hasCode(err, 'NoSuchEntity', 'NoSuchEntityException')) {
      // The report or the authorization details list this user, so the bundle holds a user
      // whose keys are unknown: partial, whether the user was deleted meanwhile or IAM erred.
      run.calls.failed(CALLS.accessKeys, `NoSuchEntity: ${CALLS.accessKeys} for user ${userName}, whom this collection lists (deleted during collection?)`);
      return [];
    }
    run.calls.failed(CALLS.accessKeys, describeFailure(err, CALLS.accessKeys));
    return [];
  }
}

async function keyLastUsed(run: AccountRun, accessKeyId: string): Promise<void> {
  try {
    const out = await run.calls.send(CALLS.accessKeyLastUsed, () =>
      run.clients.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })),
    );
    run.out.json(FILES.accessKeyLastUsed(accessKeyId), checkedBody(CALLS.accessKeyLastUsed, out, accessKeyLastUsedSchema));
    run.calls.ok(CALLS.accessKeyLastUsed);
  } catch (err) {
    run.calls.failed(CALLS.accessKeyLastUsed, describeFailure(err, CALLS.accessKeyLastUsed));
  }
}
