import { ListAccountsCommand, type Account } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { CallLog } from '../../../collect/call-log.js';
import { ASSUME_ROLE, LIST_ACCOUNTS } from './calls.js';
import { MalformedResponseError } from './checked.js';
import type { AwsClients } from './clients.js';
import { describeFailure } from './failure.js';

// Which accounts to collect, and how to get into each: the organization's active accounts or a
// given list, entered by assuming the same role name in each one.

const SESSION_NAME = 'agentscan';
/** Refresh assumed-role credentials this long before they expire (a large account can take a while). */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** An account is collectable while it is ACTIVE (State is the current field, Status the older one). */
const isActive = (a: Account) => (a.State ?? a.Status) === 'ACTIVE';

export type OrganizationAccounts = { ok: true; accounts: string[] } | { ok: false; message: string };

/** Every active account of the organization (callable from the management or a delegated administrator account). */
export async function organizationAccounts(clients: AwsClients, calls: CallLog): Promise<OrganizationAccounts> {
  const accounts: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await calls.send(LIST_ACCOUNTS, () =>
        clients.organizations.send(new ListAccountsCommand({ NextToken: token })),
      );
      for (const a of page.Accounts ?? []) if (a.Id && isActive(a)) accounts.push(a.Id);
      token = page.NextToken;
    } while (token);
  } catch (err) {
    return { ok: false, message: describeFailure(err, LIST_ACCOUNTS) };
  }
  return { ok: true, accounts: [...new Set(accounts)].sort() };
}

/** arn:<partition>:iam::<account>:role/<name>, in the partition of the scanner's own identity. */
export function roleArn(callerArn: string | undefined, account: string, roleName: string): string {
  const partition = callerArn?.split(':')[1] || 'aws';
  return `arn:${partition}:iam::${account}:role/${roleName.replace(/^\/+/, '')}`;
}

/**
 * Credentials of `arn`, assumed with the scanner's own credentials and renewed before they
 * expire. The secret parts go to the SDK only: they are never logged or written to the bundle.
 */
export function assumedRoleCredentials(sts: STSClient, arn: string, calls: CallLog): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  return async () => {
    const fresh = current?.expiration && current.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS;
    if (current && fresh) return current;
    const out = await calls.send(ASSUME_ROLE, () =>
      sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: SESSION_NAME })),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new MalformedResponseError(`malformed response: ${ASSUME_ROLE} returned no credentials`);
    current = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    return current;
  };
}

/** Why a role could not be assumed, naming the role and the permission or trust it needs. */
export function assumeRoleFailure(err: unknown, arn: string): string {
  return `${describeFailure(err, ASSUME_ROLE)} into ${arn}`;
}
