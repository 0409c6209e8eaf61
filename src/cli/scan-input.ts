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
  // The analysis reads the bundle's files lazily, so they stay until the process ends.
  process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const writer = new BundleWriter(join(tmp, 'bundle'));
  await collectLive(writer, providers, opts);
  writer.finish();
  return loadBundle(writer.dir);
}
