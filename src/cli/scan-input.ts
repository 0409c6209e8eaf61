import { join } from 'node:path';
import { loadBundle, type LoadedBundle } from '../bundle/load.js';
import type { Provider } from '../model/inventory.js';
import { InputError } from '../util/errors.js';
import { PACKAGE_ROOT } from '../util/version.js';

export const DEMO_BUNDLE = join(PACKAGE_ROOT, 'fixtures', 'demo');

export interface ScanInputOptions {
  demo?: boolean;
  from?: string;
  provider?: Provider[];
}

/** Where a scan's data comes from: the demo bundle, a bundle folder, or (later) live APIs. */
export async function resolveScanInput(opts: ScanInputOptions): Promise<LoadedBundle> {
  if (opts.demo && opts.from) throw new InputError('use either --demo or --from DIR, not both');
  const dir = opts.demo ? DEMO_BUNDLE : opts.from;
  if (!dir) {
    throw new InputError(
      'nothing to scan: give --from DIR (a bundle from `agentscan collect`) or --demo. Live collection is not in this version.',
    );
  }
  return loadBundle(dir);
}
