import type { BundleWriter } from '../../../bundle/write.js';
import type { LiveRun } from '../../../collect/live.js';
import { InputError } from '../../../util/errors.js';

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

export async function collectGithub(_writer: BundleWriter, _opts: GithubCollectOptions): Promise<void> {
  throw new InputError('live collection is not available for github in this version; scan a bundle with --from DIR');
}
