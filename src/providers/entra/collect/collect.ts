import type { BundleWriter } from '../../../bundle/write.js';
import type { LiveRun } from '../../../collect/live.js';
import { InputError } from '../../../util/errors.js';

export interface EntraCollectOptions extends LiveRun {
  /** Tenant ids or domains (--entra-tenant); the credential's own tenant when absent. */
  tenants?: string[];
  /** Graph root (--graph-url; else AGENTSCAN_GRAPH_URL; else https://graph.microsoft.com). */
  graphUrl?: string;
}

export async function collectEntra(_writer: BundleWriter, _opts: EntraCollectOptions): Promise<void> {
  throw new InputError('live collection is not available for entra in this version; scan a bundle with --from DIR');
}
