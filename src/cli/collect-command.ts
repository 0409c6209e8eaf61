import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { BundleWriter } from '../bundle/write.js';
import type { BundleManifest } from '../model/bundle.js';
import type { Provider } from '../model/inventory.js';
import { DEFAULT_CONCURRENCY } from '../providers/aws/collect/calls.js';
import { EXIT, InputError } from '../util/errors.js';
import { parseProviders } from './options.js';

// `agentscan collect`: live API calls → a bundle folder. The same options make `agentscan scan
// --provider aws` collect live when it is given neither --from nor --demo.

/** Options of a live collection, as commander parses them (shared by collect and scan). */
export interface LiveCollectOptions {
  profile?: string;
  region?: string;
  awsAccounts?: string[];
  awsOrganization?: boolean;
  awsAssumeRole?: string;
  concurrency?: number;
  verbose?: boolean;
}

interface CollectOptions extends LiveCollectOptions {
  provider: Provider[];
  out: string;
}

const LIVE_PROVIDERS: readonly Provider[] = ['aws'];

function parseAccounts(value: string, previous: string[] = []): string[] {
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.filter((id) => !/^\d{12}$/.test(id));
  if (bad.length > 0) throw new InvalidArgumentError(`not a 12-digit AWS account id: ${bad.join(', ')}`);
  return [...previous, ...ids];
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

/** The live-collection options given, by flag name: they mean nothing to a scan of a bundle. */
export function liveOptionsGiven(opts: LiveCollectOptions): string[] {
  const flags: [keyof LiveCollectOptions, string][] = [
    ['profile', '--profile'],
    ['region', '--region'],
    ['awsAccounts', '--aws-accounts'],
    ['awsOrganization', '--aws-organization'],
    ['awsAssumeRole', '--aws-assume-role'],
    ['concurrency', '--concurrency'],
  ];
  return flags.filter(([key]) => opts[key] !== undefined).map(([, flag]) => flag);
}

/** Adds the live-collection options to a command (collect, and scan's live path). */
export function addLiveCollectOptions(command: Command): Command {
  return command
    .option('--profile <name>', 'AWS shared-config profile (default: the SDK credential chain, AWS_PROFILE)')
    .option('--region <region>', 'AWS region for STS and the partition (default: AWS_REGION or the profile, else us-east-1)')
    .option('--aws-accounts <ids>', 'collect these AWS accounts (comma-separated ids), entered with --aws-assume-role', parseAccounts)
    .option('--aws-organization', "collect every active account of the AWS organization (needs --aws-assume-role)")
    .option('--aws-assume-role <name>', 'role name to assume in each account other than the signed-in one')
    .option('--concurrency <n>', `accounts collected at once (default ${DEFAULT_CONCURRENCY})`, parseConcurrency)
    .option('-v, --verbose', 'log progress and API call counts to standard error');
}

export function registerCollectCommand(program: Command, setExit: (code: number) => void): void {
  addLiveCollectOptions(
    program
      .command('collect')
      .description('Call the provider APIs and write their raw responses to a bundle folder, for `agentscan scan --from DIR`.')
      .requiredOption('-p, --provider <list>', 'providers to collect (aws)', parseProviders)
      .requiredOption('--out <dir>', 'bundle folder to write (new or empty)'),
  ).action(async (opts: CollectOptions) => setExit(await runCollect(opts)));
}

function checkLiveProviders(providers: Provider[]): void {
  const unsupported = providers.filter((p) => !LIVE_PROVIDERS.includes(p));
  if (unsupported.length > 0) {
    throw new InputError(
      `live collection is not available for ${unsupported.join(', ')} in this version (only ${LIVE_PROVIDERS.join(', ')}); scan a bundle with --from DIR`,
    );
  }
}

/** Collects every provider in `providers` into `writer`; throws InputError for one not collectable live. */
export async function collectLive(writer: BundleWriter, providers: Provider[], opts: LiveCollectOptions): Promise<void> {
  checkLiveProviders(providers);
  const log = opts.verbose ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  // Loaded here, not at start-up: the AWS SDK takes a third of a second to import, which every
  // other command would pay for nothing.
  const { collectAws } = await import('../providers/aws/collect/collect.js');
  await collectAws(writer, {
    profile: opts.profile,
    region: opts.region,
    accounts: opts.awsAccounts,
    organization: opts.awsOrganization,
    assumeRole: opts.awsAssumeRole,
    concurrency: opts.concurrency,
    log,
  });
}

async function runCollect(opts: CollectOptions): Promise<number> {
  checkLiveProviders(opts.provider); // before the output folder is created
  const writer = new BundleWriter(opts.out);
  await collectLive(writer, opts.provider, opts);
  const manifest = writer.finish();
  const failed = manifest.coverage.filter((c) => c.status === 'error');
  process.stderr.write(`${summary(opts.out, manifest, failed.length)}\n`);
  for (const c of failed) process.stderr.write(`  ${c.provider} ${c.scope} ${c.call}: ${c.message ?? 'failed'}\n`);
  return failed.length > 0 ? EXIT.incomplete : EXIT.ok;
}

/** "agentscan: wrote DIR (aws: 3 accounts); …" */
function summary(dir: string, manifest: BundleManifest, failed: number): string {
  const byProvider = new Map<string, number>();
  for (const s of manifest.sources) byProvider.set(s.provider, (byProvider.get(s.provider) ?? 0) + 1);
  const what = [...byProvider].map(([p, n]) => `${p}: ${n} ${p === 'aws' ? 'account' : 'source'}${n === 1 ? '' : 's'}`).join(', ');
  return failed === 0
    ? `agentscan: wrote ${dir} (${what}); every call succeeded`
    : `agentscan: wrote ${dir} (${what}); incomplete, ${failed} call${failed === 1 ? '' : 's'} failed (scanning this bundle exits 3):`;
}
