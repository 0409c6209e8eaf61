import type { BundleWriter } from '../../../bundle/write.js';
import type { LiveRun } from '../../../collect/live.js';
import { InputError } from '../../../util/errors.js';

export interface GcpCollectOptions extends LiveRun {
  /** Project ids (--gcp-projects). */
  projects?: string[];
  /** Every active project below this folder (--gcp-folder). */
  folder?: string;
  /** Every active project of this organization (--gcp-organization). */
  organization?: string;
  /** Call the APIs as this service account (--gcp-impersonate-service-account). */
  impersonateServiceAccount?: string;
  /** One root for every Google API and the token exchange (--gcp-api-root; else AGENTSCAN_GCP_API_ROOT). */
  apiRoot?: string;
}

export async function collectGcp(_writer: BundleWriter, _opts: GcpCollectOptions): Promise<void> {
  throw new InputError('live collection is not available for gcp in this version; scan a bundle with --from DIR');
}
