import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { BundleWriter } from '../../../bundle/write.js';
import { InputError } from '../../../util/errors.js';
import { CALLS } from '../files.js';
import { collectAccount, skipRest } from './account.js';
import type { AccountRun } from './account-run.js';
import { assumeRoleFailure, assumedRoleCredentials, organizationAccounts, roleArn } from './accounts.js';
import { ASSUME_ROLE, DEFAULT_CONCURRENCY, LIST_ACCOUNTS } from './calls.js';
import { CallLog } from '../../../collect/call-log.js';
import type { LiveRun } from '../../../collect/live.js';
import { silentProgress } from '../../../collect/progress.js';
import { inShard } from '../../../collect/shard.js';
import { createClients, resolveRegion, type AwsClients } from './clients.js';
import { checkedBody } from './checked.js';
import { describeFailure } from './failure.js';
import { callerIdentitySchema } from '../wire.js';
import { collectOrganizationPolicies } from './organization-policies.js';
import { mapPool } from '../../../collect/pool.js';
import { settingsFromEnv, type AwsCollectSettings } from './settings.js';

// Live AWS collection into a bundle: the signed-in account, a list of accounts, or a whole
// organization, several accounts at a time. A failed call or account becomes coverage entries
// in bundle.json and the collection goes on; only unusable credentials stop it.

export interface AwsCollectOptions extends LiveRun {
  /** Shared-config profile (else the default credential chain: AWS_PROFILE, environment, SSO, …). */
  profile?: string;
  region?: string;
  /** 12-digit account ids to collect (--aws-accounts). */
  accounts?: string[];
  /** Collect every active account of the organization (--aws-organization). */
  organization?: boolean;
  /** Role name assumed in every account other than the signed-in one (--aws-assume-role). */
  assumeRole?: string;
}

export interface AwsCollectResult {
  /** Accounts collected, in order; each has a source folder in the bundle. */
  accounts: string[];
  /** Per account: API call counts and coverage outcomes. */
  calls: Map<string, CallLog>;
}

export async function collectAws(writer: BundleWriter, opts: AwsCollectOptions = {}): Promise<AwsCollectResult> {
  const log = opts.log ?? (() => {});
  const progress = opts.progress ?? silentProgress;
  if (opts.organization && !opts.assumeRole) {
    throw new InputError('--aws-organization needs --aws-assume-role NAME: the role agentscan assumes in each member account');
  }
  let settings: AwsCollectSettings;
  try {
    settings = settingsFromEnv();
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  const region = await resolveRegion(opts.region, opts.profile);
  const base = createClients({ region, profile: opts.profile }, settings);
  try {
    // The progress line: accounts done, calls made, and the API in flight.
    let done = 0;
    let made = 0;
    let total = 1;
    const show = (api?: string) => progress.update('aws', `${done}/${total} accounts · ${made} calls${api ? ` · ${api}` : ''}`);
    const onCall = (api: string) => {
      made++;
      show(api);
    };
    const homeCalls = new CallLog('aws', onCall);
    const identity = await signedInIdentity(base, homeCalls);
    const home = identity.Account!;
    log(`aws: signed in to account ${home} as ${identity.Arn} (region ${region})`);

    const all = await targetAccounts(opts, base, homeCalls, home);
    const targets = inShard('aws', all, opts.shard);
    total = targets.length;
    if (opts.shard) log(`aws: shard ${opts.shard.index}/${opts.shard.count}: ${targets.length} of ${all.length} accounts`);
    const others = targets.filter((a) => a !== home);
    if (others.length > 0 && !opts.assumeRole) {
      throw new InputError(
        `--aws-accounts lists account(s) other than the signed-in one (${others.join(', ')}): give --aws-assume-role NAME, a role in each account that trusts ${identity.Arn}`,
      );
    }
    const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
    if (targets.length > 1) log(`aws: collecting ${targets.length} accounts, ${Math.min(concurrency, targets.length)} at a time`);

    const calls = new Map<string, CallLog>();
    show();
    await mapPool(targets, concurrency, async (account) => {
      const accountCalls = account === home ? homeCalls : new CallLog('aws', onCall);
      calls.set(account, accountCalls);
      const run = { account, calls: accountCalls, out: writer.source('aws', account), settings };
      if (account === home) await collectAccount({ ...run, clients: base }, identity);
      else await collectAssumed(run, roleArn(identity.Arn, account, opts.assumeRole!), base, region);
      log(`aws ${account}: ${accountCalls.summary()}`);
      done++;
      show();
    });
    // The organisation's control policies shape every account's effective permissions.
    if (opts.organization) {
      const org = await collectOrganizationPolicies(writer, base, home, concurrency, onCall);
      log(`aws organization ${org.organizationId ?? '(unknown)'}: ${org.calls.summary()}`);
    }
    progress.end('aws');
    for (const account of targets) writer.addCoverage(...calls.get(account)!.coverage(account));
    if (!targets.includes(home)) {
      log(`aws (signed-in account ${home}): ${homeCalls.summary()}`);
      // The organization listing is made from the home account even when it is not collected: a
      // failure there must still mark the collection partial.
      writer.addCoverage(...homeCalls.coverage(home).filter((c) => c.status !== 'ok'));
    }
    return { accounts: targets, calls };
  } finally {
    base.destroy();
  }
}

/** The scanner's own identity; without it nothing can be collected, so failing here stops the run. */
async function signedInIdentity(base: AwsClients, calls: CallLog): Promise<GetCallerIdentityCommandOutput> {
  try {
    const out = await calls.send(CALLS.callerIdentity, () => base.sts.send(new GetCallerIdentityCommand({})));
    checkedBody(CALLS.callerIdentity, out, callerIdentitySchema);
    return out;
  } catch (err) {
    throw new InputError(
      `AWS: could not tell which account the credentials belong to — ${describeFailure(err, CALLS.callerIdentity)}. ` +
        'Check the credentials (--profile or AWS_PROFILE, environment variables, `aws sso login`) and the endpoint settings.',
    );
  }
}

async function targetAccounts(opts: AwsCollectOptions, base: AwsClients, calls: CallLog, home: string): Promise<string[]> {
  if (opts.organization) {
    const org = await organizationAccounts(base, calls);
    if (org.ok) {
      calls.ok(LIST_ACCOUNTS);
      return org.accounts.length > 0 ? org.accounts : [home];
    }
    // Without the list, the signed-in account is still worth collecting; the error says what is missing.
    calls.failed(LIST_ACCOUNTS, org.message);
    return [home];
  }
  return opts.accounts?.length ? [...new Set(opts.accounts)] : [home];
}

/** Another account, through the role; an account that cannot be entered is recorded and skipped. */
async function collectAssumed(run: Omit<AccountRun, 'clients'>, arn: string, base: AwsClients, region: string): Promise<void> {
  const credentials = assumedRoleCredentials(base.sts, arn, run.calls);
  try {
    await credentials();
  } catch (err) {
    run.calls.failed(ASSUME_ROLE, assumeRoleFailure(err, arn));
    skipRest(run, `not collected: could not assume ${arn}`);
    return;
  }
  run.calls.ok(ASSUME_ROLE);
  const clients = createClients({ region, credentials }, run.settings);
  try {
    await collectAccount({ ...run, clients });
  } finally {
    clients.destroy();
  }
}
