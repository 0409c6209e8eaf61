import { ZodError } from 'zod';
import type { BundleWriter } from '../../../bundle/write.js';
import { CallLog } from '../../../collect/call-log.js';
import type { LiveRun } from '../../../collect/live.js';
import { mapPool } from '../../../collect/pool.js';
import { inShard } from '../../../collect/shard.js';
import { silentProgress } from '../../../collect/progress.js';
import { timeoutsFromEnv } from '../../../collect/timeouts.js';
import { InputError } from '../../../util/errors.js';
import { firstIssue } from '../../../util/zod-issues.js';
import { APP_INSTALLATIONS_CALL, DEFAULT_ORG_CONCURRENCY, ORG_INSTALLATION_CALL, USER_ORGS_CALL } from './calls.js';
import { DEFAULT_API_URL, createClient, type ClientConfig, type GithubClient, type GithubCredential } from './client.js';
import { resolveCredential } from './credentials.js';
import { describeFailure, statusOf } from './failure.js';
import { CredentialRefused, collectOrganization, skipOrg } from './org.js';
import { nextLink, type OrgRun } from './run.js';
import { settingsFromEnv } from './settings.js';
import { appInstallationSchema, appInstallationsPageSchema, organizationSimplePageSchema } from '../wire.js';

// Live GitHub collection into a bundle: the organizations given, or every one the credential
// can see, several at a time. A failed call becomes a coverage entry and the collection goes on;
// only a credential GitHub refuses outright stops it.

export interface GithubCollectOptions extends LiveRun {
  /** Organization logins (--github-org); every organization the credential can see when absent. */
  orgs?: string[];
  /** GitHub App id (--github-app-id); with the key, the App flow is used instead of a token. */
  appId?: string;
  /** PEM file of the App's private key (--github-app-key-file; else GITHUB_APP_PRIVATE_KEY). */
  appKeyFile?: string;
  /** REST root (--github-api-url; else GITHUB_API_URL; else https://api.github.com). */
  apiUrl?: string;
}

export interface GithubCollectResult {
  orgs: string[];
  calls: Map<string, CallLog>;
}

/** An organization to collect and the installation to enter it with (App only). */
interface Target {
  org: string;
  installationId?: number;
  /** Why it cannot be collected (e.g. the App is not installed there). */
  unreachable?: string;
}

export async function collectGithub(writer: BundleWriter, opts: GithubCollectOptions = {}): Promise<GithubCollectResult> {
  const log = opts.log ?? (() => {});
  const progress = opts.progress ?? silentProgress;
  let config: Omit<ClientConfig, 'credential'>;
  try {
    config = { apiUrl: (opts.apiUrl ?? process.env.GITHUB_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, ''), settings: settingsFromEnv(), timeouts: timeoutsFromEnv() };
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  const credential = resolveCredential(opts);
  const discovery = new CallLog('github');
  const base = createClient({ ...config, credential });
  // GitHub lists another App's selected repositories only to a user: beside an App, an org owner's token can say them.
  const userToken = credential.kind === 'app' ? (process.env.GITHUB_TOKEN || process.env.GH_TOKEN)?.trim() : undefined;
  const userClient = credential.kind === 'token' ? base : userToken ? createClient({ ...config, credential: { kind: 'token', token: userToken } }) : undefined;
  log(`github: ${credential.kind === 'app' ? `as GitHub App ${credential.appId}` : 'with a token'} at ${config.apiUrl}`);

  const found = await findTargets(base, credential, opts.orgs, discovery);
  // Logins are case-insensitive on GitHub: the shard of an organization must not depend on how it was typed.
  const targets = inShard('github', found, opts.shard, (t) => t.org.toLowerCase());
  if (opts.shard) log(`github: shard ${opts.shard.index}/${opts.shard.count}: ${targets.length} of ${found.length} organizations`);
  const concurrency = opts.concurrency ?? DEFAULT_ORG_CONCURRENCY;
  if (targets.length > 1) log(`github: collecting ${targets.length} organizations, ${Math.min(concurrency, targets.length)} at a time`);

  const calls = new Map<string, CallLog>();
  let refused: string | undefined;
  await mapPool(targets, concurrency, async (target) => {
    const orgCalls = new CallLog('github');
    calls.set(target.org, orgCalls);
    const key = `github ${target.org}`;
    const run: OrgRun = {
      org: target.org,
      client: credential.kind === 'app' ? createClient({ ...config, credential: { ...credential, installationId: target.installationId } }) : base,
      calls: orgCalls,
      out: writer.source('github', target.org),
      settings: config.settings,
      timeouts: config.timeouts,
      asApp: credential.kind === 'app',
      ...(userClient ? { userClient } : {}),
      progress,
    };
    if (target.unreachable || refused) {
      skipOrg(run, target.unreachable ?? `not collected: ${refused}`);
      return;
    }
    progress.update(key, 'starting');
    try {
      await collectOrganization(run, config.apiUrl);
    } catch (err) {
      if (!(err instanceof CredentialRefused)) throw err;
      refused = err.message;
    }
    progress.end(key);
    log(`github ${target.org}: ${orgCalls.summary()}`);
  });
  if (refused) {
    throw new InputError(`GitHub refused the credential (${refused}); check GITHUB_TOKEN / GH_TOKEN or the App id and key`);
  }
  for (const t of targets) writer.addCoverage(...calls.get(t.org)!.coverage(t.org));
  if (discovery.counted().length > 0) log(`github (finding organizations): ${discovery.summary()}`);
  return { orgs: targets.map((t) => t.org), calls };
}

/** Link-paged GET through the base client, for the discovery calls (not part of any org's bundle). */
async function listAll(client: GithubClient, calls: CallLog, call: string, url: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let options: Record<string, unknown> = { method: 'GET', url, per_page: 100 };
  for (;;) {
    const res = await calls.send(call, () => client.request(options as never));
    if (!Array.isArray(res.data)) throw new Error(`malformed response: ${call} did not return a list`);
    items.push(...res.data);
    const next = nextLink(res.headers.link);
    if (!next) return items;
    options = { method: 'GET', url: next };
  }
}

async function findTargets(client: GithubClient, credential: GithubCredential, orgs: string[] | undefined, calls: CallLog): Promise<Target[]> {
  const fail = (call: string, err: unknown, hint: string) => {
    const what = err instanceof ZodError ? `malformed response: ${call} (${firstIssue(err).path}: ${firstIssue(err).message})` : err instanceof Error && !('status' in err) ? err.message : describeFailure(err, call);
    return new InputError(`GitHub: ${what} — ${hint}`);
  };
  if (credential.kind === 'app') {
    if (orgs?.length) {
      return Promise.all(
        orgs.map(async (org): Promise<Target> => {
          try {
            const res = await calls.send(ORG_INSTALLATION_CALL, () => client.request('GET /orgs/{org}/installation', { org }));
            return { org, installationId: appInstallationSchema.parse(res.data).id };
          } catch (err) {
            if (statusOf(err) === 404) return { org, unreachable: `not collected: GitHub App ${credential.appId} is not installed on ${org} (${ORG_INSTALLATION_CALL} answered 404); install it on the organization` };
            if (statusOf(err) === 401) throw fail(ORG_INSTALLATION_CALL, err, 'check the App id and its private key');
            return { org, unreachable: `not collected: ${describeFailure(err, ORG_INSTALLATION_CALL)}` };
          }
        }),
      );
    }
    let installations;
    try {
      installations = appInstallationsPageSchema.parse(await listAll(client, calls, APP_INSTALLATIONS_CALL, '/app/installations'));
    } catch (err) {
      throw fail(APP_INSTALLATIONS_CALL, err, 'check the App id and its private key, or name the organizations with --github-org');
    }
    const targets = installations
      .filter((i) => i.target_type === undefined || i.target_type === 'Organization')
      .flatMap((i) => (i.account?.login ? [{ org: i.account.login, installationId: i.id }] : []))
      .sort((a, b) => a.org.localeCompare(b.org));
    if (targets.length === 0) throw new InputError(`GitHub App ${credential.appId} is installed on no organization: install it, or name one with --github-org`);
    return targets;
  }
  if (orgs?.length) return orgs.map((org) => ({ org }));
  let listed;
  try {
    listed = organizationSimplePageSchema.parse(await listAll(client, calls, USER_ORGS_CALL, '/user/orgs'));
  } catch (err) {
    throw fail(USER_ORGS_CALL, err, 'check the token (it needs read:org), or name the organizations with --github-org');
  }
  if (listed.length === 0) throw new InputError('GitHub: the token sees no organization; name one with --github-org (the token needs read:org)');
  return listed.map((o) => ({ org: o.login })).sort((a, b) => a.org.localeCompare(b.org));
}
