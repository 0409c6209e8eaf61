import type { Provider } from '../model/inventory.js';
import type { Normalizer } from './normalizer.js';
import { normalizeAws } from './aws/normalize.js';
import { normalizeGcp } from './gcp/normalize.js';
import { normalizeGithub } from './github/normalize.js';
import { normalizeEntra } from './entra/normalize.js';

export const NORMALIZERS: Record<Provider, Normalizer> = {
  aws: normalizeAws,
  gcp: normalizeGcp,
  github: normalizeGithub,
  entra: normalizeEntra,
};
