import type { SourceReader } from '../../bundle/source-reader.js';
import type { Identity } from '../../model/inventory.js';
import type { Normalizer } from '../normalizer.js';
import { readOrgContext, type OrgContext } from './context.js';
import { deployKeyIdentity, type RepositoryFacts } from './deploy-keys.js';
import { DEPLOY_KEYS_DIR, FILES, deployKeysCall, deployKeysFile, readPages } from './files.js';
import { installationIdentity } from './installations.js';
import { credentialAuthorizationIdentity, patGrantIdentity } from './tokens.js';
import {
  credentialAuthorizationsPageSchema,
  deployKeysSchema,
  installationsPageSchema,
  patGrantsPageSchema,
  repositoriesPageSchema,
} from './wire.js';

// One GitHub org's bundle folder → identities: App installations, fine-grained PAT grants,
// SSO-authorized classic PATs and SSH keys, and deploy keys. A call that failed during
// collection (recorded in bundle.json) leaves its identities out and the rest stands.

function deployKeyIdentities(source: SourceReader, ctx: OrgContext): Identity[] {
  const repoPages = readPages(source, FILES.repos, repositoriesPageSchema);
  let repos: RepositoryFacts[] = repoPages.flat().map((r) => ({ name: r.name, archived: r.archived }));
  if (source.callFailed(FILES.repos.call)) {
    // Without the full repository list, take the key files that were written.
    const listed = new Set(repos.map((r) => r.name));
    const fromFiles = source
      .list(DEPLOY_KEYS_DIR)
      .map((f) => f.slice(DEPLOY_KEYS_DIR.length + 1).replace(/\.json$/, ''))
      .filter((name) => !listed.has(name));
    repos = [...repos, ...fromFiles.map((name) => ({ name }))];
  }
  return repos.flatMap((repo) => {
    const keys = source.json(deployKeysFile(repo.name), deployKeysSchema, { call: deployKeysCall(ctx.org, repo.name) });
    return (keys ?? []).map((key) => deployKeyIdentity(ctx, repo, key));
  });
}

export const normalizeGithub: Normalizer = (source) => {
  const ctx = readOrgContext(source);
  const installations = readPages(source, FILES.installations, installationsPageSchema).flatMap((p) => p.installations);
  const patGrants = readPages(source, FILES.patGrants, patGrantsPageSchema).flat();
  const authorizations = readPages(source, FILES.credentialAuthorizations, credentialAuthorizationsPageSchema).flat();
  return [
    ...installations.map((i) => installationIdentity(ctx, i)),
    ...patGrants.map((g) => patGrantIdentity(ctx, g)),
    ...authorizations.map((a) => credentialAuthorizationIdentity(ctx, a)),
    ...deployKeyIdentities(source, ctx),
  ];
};
