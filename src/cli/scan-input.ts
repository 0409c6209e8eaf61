import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle, type LoadedBundle } from '../bundle/load.js';
import { loadBundles } from '../bundle/merge.js';
import { BundleWriter } from '../bundle/write.js';
import type { Provider } from '../model/inventory.js';
import { InputError } from '../util/errors.js';
import { PACKAGE_ROOT } from '../util/version.js';
import { collectLive, liveOptionsGiven, type LiveCollectOptions } from './collect-command.js';

export const DEMO_BUNDLE = join(PACKAGE_ROOT, 'fixtures', 'demo');

export interface ScanInputOptions extends LiveCollectOptions {
  demo?: boolean;
  /** Bundle folders (or folders of bundles) to analyse as one. */
  from?: string[];
  provider?: Provider[];
}

/** Where a scan's data comes from: the demo bundle, a bundle folder, or the providers' APIs. */
export async function resolveScanInput(opts: ScanInputOptions): Promise<LoadedBundle> {
  const from = opts.from ?? [];
  if (opts.demo && from.length > 0) throw new InputError('use either --demo or --from DIR, not both');
  if (opts.demo || from.length > 0) {
    const live = liveOptionsGiven(opts);
    if (live.length > 0) throw new InputError(`${live.join(', ')} apply to live collection, not to ${opts.demo ? '--demo' : '--from DIR'}`);
    return opts.demo ? loadBundle(DEMO_BUNDLE) : loadBundles(from);
  }
  if (opts.provider?.length) return collectIntoTemporaryBundle(opts.provider, opts);
  throw new InputError(
    'nothing to scan: give --provider aws,gcp,github,entra to scan live, --from DIR (a bundle from `agentscan collect`), or --demo',
  );
}

/** A live scan is a collection into a throw-away bundle, then the same analysis as --from. */
async function collectIntoTemporaryBundle(providers: Provider[], opts: LiveCollectOptions): Promise<LoadedBundle> {
  const tmp = mkdtempSync(join(tmpdir(), 'agentscan-live-'));
  // The analysis reads the bundle's files lazily, so they stay until the process ends. They are
  // raw IAM data: an interrupted scan (Ctrl-C, a CI job cancelled with SIGTERM) removes them too.
  removeOnExit(tmp);
  const writer = new BundleWriter(join(tmp, 'bundle'));
  await collectLive(writer, providers, opts);
  writer.finish();
  return loadBundle(writer.dir);
}

/** Exit codes of an interrupted scan, as shells report a death by signal: 128 + the signal number. */
export const INTERRUPTED_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

function removeOnExit(dir: string): void {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  for (const [signal, code] of Object.entries(INTERRUPTED_EXIT)) {
    process.once(signal, () => {
      remove();
      process.stderr.write(`agentscan: interrupted by ${signal}; the temporary bundle was removed\n`);
      process.exit(code);
    });
  }
}
