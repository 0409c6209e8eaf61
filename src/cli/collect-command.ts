import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { BundleWriter } from '../bundle/write.js';
import { LIVE_PROVIDERS } from '../collect/live.js';
import { progressOn } from '../collect/progress.js';
import { parseShard, type Shard } from '../collect/shard.js';
import type { BundleManifest } from '../model/bundle.js';
import type { Provider } from '../model/inventory.js';
import { DEFAULT_CONCURRENCY } from '../providers/aws/collect/calls.js';
import { ancestorOfScope, ROLES_SCOPE } from '../providers/gcp/files.js';
import { EXIT, InputError } from '../util/errors.js';
import { parseProviders } from './options.js';

// `agentscan collect`: live API calls → a bundle folder. The same options make `agentscan scan
// --provider …` collect live when it is given neither --from nor --demo.

/** Options of a live collection, as commander parses them (shared by collect and scan). */
export interface LiveCollectOptions {
  profile?: string;
  region?: string;
  awsAccounts?: string[];
  awsOrganization?: boolean;
  awsAssumeRole?: string;
  githubOrg?: string[];
  githubAppId?: string;
  githubAppKeyFile?: string;
  githubApiUrl?: string;
  gcpProjects?: string[];
  gcpFolder?: string;
  gcpOrganization?: string;
  gcpImpersonateServiceAccount?: string;
  gcpApiRoot?: string;
  entraTenant?: string[];
  graphUrl?: string;
  concurrency?: number;
  shard?: Shard;
  verbose?: boolean;
  quiet?: boolean;
}

interface CollectOptions extends LiveCollectOptions {
  provider: Provider[];
  out: string;
}

function parseAccounts(value: string, previous: string[] = []): string[] {
  const ids = splitList(value);
  const bad = ids.filter((id) => !/^\d{12}$/.test(id));
  if (bad.length > 0) throw new InvalidArgumentError(`not a 12-digit AWS account id: ${bad.join(', ')}`);
  return [...previous, ...ids];
}

const splitList = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

/** A comma-separated list whose items must match `pattern` (repeatable flag). */
function listOf(what: string, pattern: RegExp) {
  return (value: string, previous: string[] = []): string[] => {
    const items = splitList(value);
    const bad = items.filter((i) => !pattern.test(i));
    if (bad.length > 0) throw new InvalidArgumentError(`not ${what}: ${bad.join(', ')}`);
    if (items.length === 0) throw new InvalidArgumentError(`expected ${what}`);
    return [...new Set([...previous, ...items])];
  };
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

function parseHttpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidArgumentError('expected an http(s) URL');
  return value.replace(/\/+$/, '');
}

/** Every live-collection flag with the provider it belongs to (undefined: all providers). */
const LIVE_FLAGS: [keyof LiveCollectOptions, string, Provider | undefined][] = [
  ['profile', '--profile', 'aws'],
  ['region', '--region', 'aws'],
  ['awsAccounts', '--aws-accounts', 'aws'],
  ['awsOrganization', '--aws-organization', 'aws'],
  ['awsAssumeRole', '--aws-assume-role', 'aws'],
  ['githubOrg', '--github-org', 'github'],
  ['githubAppId', '--github-app-id', 'github'],
  ['githubAppKeyFile', '--github-app-key-file', 'github'],
  ['githubApiUrl', '--github-api-url', 'github'],
  ['gcpProjects', '--gcp-projects', 'gcp'],
  ['gcpFolder', '--gcp-folder', 'gcp'],
  ['gcpOrganization', '--gcp-organization', 'gcp'],
  ['gcpImpersonateServiceAccount', '--gcp-impersonate-service-account', 'gcp'],
  ['gcpApiRoot', '--gcp-api-root', 'gcp'],
  ['entraTenant', '--entra-tenant', 'entra'],
  ['graphUrl', '--graph-url', 'entra'],
  ['concurrency', '--concurrency', undefined],
  ['shard', '--shard', undefined],
];

/** The live-collection options given, by flag name: they mean nothing to a scan of a bundle. */
export function liveOptionsGiven(opts: LiveCollectOptions): string[] {
  return LIVE_FLAGS.filter(([key]) => opts[key] !== undefined).map(([, flag]) => flag);
}

/** Flags for a provider that is not being collected: a typo or a forgotten --provider, so say so. */
function flagsForOtherProviders(opts: LiveCollectOptions, providers: Provider[]): string[] {
  return LIVE_FLAGS.filter(([key, , p]) => p && !providers.includes(p) && opts[key] !== undefined).map(
    ([, flag, p]) => `${flag} (${p})`,
  );
}

/** Adds the live-collection options to a command (collect, and scan's live path). */
export function addLiveCollectOptions(command: Command): Command {
  return command
    .option('--profile <name>', 'AWS shared-config profile (default: the SDK credential chain, AWS_PROFILE)')
    .option('--region <region>', 'AWS region for STS and the partition (default: AWS_REGION or the profile, else us-east-1)')
    .option('--aws-accounts <ids>', 'collect these AWS accounts (comma-separated ids), entered with --aws-assume-role', parseAccounts)
    .option('--aws-organization', "collect every active account of the AWS organization (needs --aws-assume-role)")
    .option('--aws-assume-role <name>', 'role name to assume in each account other than the signed-in one')
    .option('--github-org <orgs>', 'GitHub organizations to collect (comma-separated; default: every one the credential can see)', listOf('a GitHub organization login', /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/))
    .option('--github-app-id <id>', 'collect as this GitHub App (with --github-app-key-file or GITHUB_APP_PRIVATE_KEY); else GITHUB_TOKEN / GH_TOKEN')
    .option('--github-app-key-file <file>', "the GitHub App's private key (PEM)")
    .option('--github-api-url <url>', 'GitHub API root, e.g. https://ghe.example.com/api/v3 (default: GITHUB_API_URL, else api.github.com)', parseHttpUrl)
    .option('--gcp-projects <ids>', 'Google Cloud projects to collect (comma-separated project ids)', listOf('a Google Cloud project id', /^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[a-z][a-z0-9.:-]{2,62}$/))
    .option('--gcp-folder <id>', 'collect every active project below this folder (numeric id)')
    .option('--gcp-organization <id>', 'collect every active project of this organization (numeric id)')
    .option('--gcp-impersonate-service-account <email>', 'call Google APIs as this service account (like gcloud --impersonate-service-account)')
    .option('--gcp-api-root <url>', 'one root URL for every Google API and the token exchange (default: AGENTSCAN_GCP_API_ROOT)', parseHttpUrl)
    .option('--entra-tenant <ids>', 'Entra tenants to collect (comma-separated tenant ids or domains; default: the credential\'s tenant)', listOf('a tenant id or domain', /^[A-Za-z0-9][A-Za-z0-9.-]*$/))
    .option('--graph-url <url>', 'Microsoft Graph root, e.g. https://graph.microsoft.us (default: AGENTSCAN_GRAPH_URL, else graph.microsoft.com)', parseHttpUrl)
    .option('--concurrency <n>', `scopes (accounts, projects, organizations, tenants) collected at once (default ${DEFAULT_CONCURRENCY})`, parseConcurrency)
    .option('--shard <i/n>', 'collect only the scopes of shard I of N (stable by scope id), for a CI matrix; merge with scan --from DIR --from DIR', parseShard)
    .option('-v, --verbose', 'log progress and API call counts to standard error')
    .option('-q, --quiet', 'no progress line on standard error');
}

export function registerCollectCommand(program: Command, setExit: (code: number) => void): void {
  addLiveCollectOptions(
    program
      .command('collect')
      .description('Call the provider APIs and write their raw responses to a bundle folder, for `agentscan scan --from DIR`.')
      .requiredOption('-p, --provider <list>', `providers to collect (${LIVE_PROVIDERS.join(', ')})`, parseProviders)
      .requiredOption('--out <dir>', 'bundle folder to write (new or empty)'),
  ).action(async (opts: CollectOptions) => setExit(await runCollect(opts)));
}

/** Refuses what cannot work before anything is created or called. */
export function checkLiveRequest(providers: Provider[], opts: LiveCollectOptions): void {
  const unsupported = providers.filter((p) => !LIVE_PROVIDERS.includes(p));
  if (unsupported.length > 0) {
    throw new InputError(
      `live collection is not available for ${unsupported.join(', ')} in this version (only ${LIVE_PROVIDERS.join(', ')}); scan a bundle with --from DIR`,
    );
  }
  const stray = flagsForOtherProviders(opts, providers);
  if (stray.length > 0) {
    throw new InputError(`${stray.join(', ')} given, but that provider is not collected: add it to --provider`);
  }
}

/** Collects every provider in `providers` into `writer`, concurrently; throws InputError for a request that cannot work. */
export async function collectLive(writer: BundleWriter, providers: Provider[], opts: LiveCollectOptions): Promise<void> {
  checkLiveRequest(providers, opts);
  const log = opts.verbose ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const progress = progressOn(process.stderr, { verbose: opts.verbose, quiet: opts.quiet });
  const run = { concurrency: opts.concurrency, log, progress, shard: opts.shard };
  // Each collector is loaded only when asked for: the SDKs take a noticeable time to import,
  // which every other command would pay for nothing.
  const collectors: Record<Provider, () => Promise<unknown>> = {
    aws: async () => {
      const { collectAws } = await import('../providers/aws/collect/collect.js');
      return collectAws(writer, {
        ...run,
        profile: opts.profile,
        region: opts.region,
        accounts: opts.awsAccounts,
        organization: opts.awsOrganization,
        assumeRole: opts.awsAssumeRole,
      });
    },
    github: async () => {
      const { collectGithub } = await import('../providers/github/collect/collect.js');
      return collectGithub(writer, {
        ...run,
        orgs: opts.githubOrg,
        appId: opts.githubAppId,
        appKeyFile: opts.githubAppKeyFile,
        apiUrl: opts.githubApiUrl,
      });
    },
    gcp: async () => {
      const { collectGcp } = await import('../providers/gcp/collect/collect.js');
      return collectGcp(writer, {
        ...run,
        projects: opts.gcpProjects,
        folder: opts.gcpFolder,
        organization: opts.gcpOrganization,
        impersonateServiceAccount: opts.gcpImpersonateServiceAccount,
        apiRoot: opts.gcpApiRoot,
      });
    },
    entra: async () => {
      const { collectEntra } = await import('../providers/entra/collect/collect.js');
      return collectEntra(writer, { ...run, tenants: opts.entraTenant, graphUrl: opts.graphUrl });
    },
  };
  try {
    // Every provider runs to its end even when another fails, so one bad credential does not
    // throw away the others' work; the first failure is then reported.
    const results = await Promise.allSettled(LIVE_PROVIDERS.filter((p) => providers.includes(p)).map((p) => collectors[p]()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    progress.close();
  }
}

async function runCollect(opts: CollectOptions): Promise<number> {
  checkLiveRequest(opts.provider, opts); // before the output folder is created
  const writer = new BundleWriter(opts.out);
  await collectLive(writer, opts.provider, opts);
  const manifest = writer.finish();
  const failed = manifest.coverage.filter((c) => c.status === 'error');
  process.stderr.write(`${summary(opts.out, manifest, failed.length)}\n`);
  for (const c of failed) process.stderr.write(`  ${c.provider} ${c.scope} ${c.call}: ${c.message ?? 'failed'}\n`);
  return failed.length > 0 ? EXIT.incomplete : EXIT.ok;
}

const SCOPE_NOUN: Record<Provider, [string, string]> = {
  aws: ['account', 'accounts'],
  gcp: ['project', 'projects'],
  github: ['organization', 'organizations'],
  entra: ['tenant', 'tenants'],
};

/** "agentscan: wrote DIR (aws: 3 accounts); …" */
function summary(dir: string, manifest: BundleManifest, failed: number): string {
  const byProvider = new Map<Provider, number>();
  for (const s of manifest.sources) {
    // A gcp bundle also holds the folders, organisation and role definitions above its projects.
    if (s.provider === 'gcp' && (s.scope === ROLES_SCOPE || ancestorOfScope(s.scope))) continue;
    byProvider.set(s.provider, (byProvider.get(s.provider) ?? 0) + 1);
  }
  const what = [...byProvider].map(([p, n]) => `${p}: ${n} ${SCOPE_NOUN[p][n === 1 ? 0 : 1]}`).join(', ');
  return failed === 0
    ? `agentscan: wrote ${dir} (${what}); every call succeeded`
    : `agentscan: wrote ${dir} (${what}); incomplete, ${failed} call${failed === 1 ? '' : 's'} failed (scanning this bundle exits 3):`;
}
