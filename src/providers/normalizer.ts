import type { SourceReader } from '../bundle/source-reader.js';
import type { Identity } from '../model/inventory.js';

/** bundle → identities for one source (one account, project, org or tenant). Pure: no
 * network, no clock — ages are computed later against the bundle's collectedAt. */
export type Normalizer = (source: SourceReader, bundle?: readonly SourceReader[]) => Identity[];
// `bundle` is every source of the bundle, for providers whose grants cross source folders
// (a Google Cloud organisation binding reaches every project below it).
