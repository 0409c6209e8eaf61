import type { SourceReader } from '../../bundle/source-reader.js';
import type { Identity } from '../../model/inventory.js';
import type { Normalizer } from '../normalizer.js';
import { actionsIdentity } from './actions.js';
import { readOrgContext, type OrgContext } from './context.js';
import { deployKeyIdentity, type RepositoryFacts } from './deploy-keys.js';
import {
  DEPLOY_KEYS_DIR,
  FILES,
  deployKeysCall,
  deployKeysFile,
  grantRepositoriesFile,
  installationRepositoriesFile,
  readPages,
  REPO_OIDC_TEMPLATES_DIR,
  repoOidcTemplateCall,
  repoOidcTemplateFile,
} from './files.js';
import { installationIdentity, needsRepositoryList, type InstallationRepositories } from './installations.js';
import { machineUserIdentity, machineUsers, type HeldCredential } from './machine-users.js';
import {
  credentialAuthorizationIdentity,
  credentialAuthorizationIdentityId,
  credentialAuthorizationLabel,
  patGrantIdentity,
  patGrantIdentityId,
} from './tokens.js';
import {
  credentialAuthorizationsPageSchema,
  deployKeysSchema,
  grantRepositoriesPageSchema,
  graphqlRepositoriesPageSchema,
  installationRepositoriesPageSchema,
  installationsPageSchema,
  oidcSubjectTemplateSchema,
  orgSecretsPageSchema,
  patGrantsPageSchema,
  repositoriesPageSchema,
  repoOidcSubjectTemplateSchema,
  workflowPermissionsSchema,
  type WireInstallation,
  type WirePatGrant,
} from './wire.js';

// One GitHub org's bundle folder → identities: App installations, fine-grained PAT grants,
// SSO-authorized classic PATs and SSH keys, deploy keys, machine users and the org's Actions
// workflows. A call that failed during collection (recorded in bundle.json) leaves its
// identities out and the rest stands.

/** Repositories whose key files to read. GraphQL pages name only those that hold keys; the older REST listing names all. */
function keyRepositories(source: SourceReader): RepositoryFacts[] {
  const graphql = readPages(source, FILES.repositoriesGraphql, graphqlRepositoriesPageSchema, { optional: true });
  const graphqlUsed = graphql.length > 0 || source.callFailed(FILES.repositoriesGraphql.call);
  let repos: RepositoryFacts[] = graphqlUsed
    ? graphql
        .flatMap((p) => p.data.organization.repositories.nodes)
        .filter((r) => r.deployKeys.totalCount > 0)
        .map((r) => ({ name: r.name, archived: r.isArchived }))
    : readPages(source, FILES.repos, repositoriesPageSchema)
        .flat()
        .map((r) => ({ name: r.name, archived: r.archived }));
  const listCall = graphqlUsed ? FILES.repositoriesGraphql.call : FILES.repos.call;
  if (source.callFailed(listCall)) {
    // Without the full repository list, take the key files that were written.
    const listed = new Set(repos.map((r) => r.name));
    const fromFiles = source
      .list(DEPLOY_KEYS_DIR)
      .map((f) => f.slice(DEPLOY_KEYS_DIR.length + 1).replace(/\.json$/, ''))
      .filter((name) => !listed.has(name));
    repos = [...repos, ...fromFiles.map((name) => ({ name }))];
  }
  return repos;
}

function deployKeyIdentities(source: SourceReader, ctx: OrgContext): Identity[] {
  return keyRepositories(source).flatMap((repo) => {
    const keys = source.json(deployKeysFile(repo.name), deployKeysSchema, { call: deployKeysCall(ctx.org, repo.name) });
    return (keys ?? []).map((key) => deployKeyIdentity(ctx, repo, key));
  });
}

/** The repositories a `subset` grant reaches; undefined when not collected. */
function grantRepositories(source: SourceReader, grant: WirePatGrant): string[] | undefined {
  if (grant.repository_selection !== 'subset') return undefined;
  const file = grantRepositoriesFile(grant.id);
  const pages = readPages(source, file, grantRepositoriesPageSchema, { optional: true });
  if (pages.length === 0 && (source.callFailed(file.call) || !source.exists(`${file.base}.page-1.json`))) return undefined;
  return pages.flat().map((r) => r.name).sort();
}

/** The repositories a `selected` installation that can write was given; undefined when not collected. */
function installationRepositories(source: SourceReader, inst: WireInstallation): InstallationRepositories | undefined {
  if (!needsRepositoryList(inst)) return undefined;
  const file = installationRepositoriesFile(inst.id);
  const failed = source.callFailed(file.call);
  const pages = readPages(source, file, installationRepositoriesPageSchema, { optional: true });
  if (pages.length === 0 && (failed || !source.exists(`${file.base}.page-1.json`))) return undefined;
  return { names: pages.flatMap((p) => p.repositories.map((r) => r.name)).sort(), partial: failed };
}

/** Every repository the org listed (GraphQL pages or the REST listing), by name, and whether the listing is whole. */
function orgRepositories(source: SourceReader): { names?: string[]; complete: boolean } {
  const graphql = readPages(source, FILES.repositoriesGraphql, graphqlRepositoriesPageSchema, { optional: true });
  const viaGraphql = graphql.length > 0 || source.callFailed(FILES.repositoriesGraphql.call);
  const names = viaGraphql
    ? graphql.flatMap((p) => p.data.organization.repositories.nodes).map((r) => r.name)
    : readPages(source, FILES.repos, repositoriesPageSchema, { optional: true }).flat().map((r) => r.name);
  const call = viaGraphql ? FILES.repositoriesGraphql.call : FILES.repos.call;
  const total = graphql.at(-1)?.data.organization.repositories.totalCount;
  // A listing is whole when its call is recorded as done and, for GraphQL, it holds what it counted.
  const complete = source.callRecorded(call) && !source.callFailed(call) && (total === undefined || names.length >= total);
  return { ...(names.length > 0 ? { names: names.sort() } : {}), complete };
}

/** GitHub's own template: what a repository that says use_default gets, whatever the org's. */
const GITHUB_DEFAULT_CLAIMS = ['repo', 'context'];

/** The claims each repository that overrides the org's subject template builds `sub` from (files
 * only where the opt-in per-repository call was made): use_default → GitHub's default; its own
 * keys → those; neither → the org's template, so not listed. */
function repositorySubjectClaims(source: SourceReader, org: string): Record<string, string[]> | undefined {
  const files = source.list(REPO_OIDC_TEMPLATES_DIR);
  if (files.length === 0) return undefined;
  const out: Record<string, string[]> = {};
  for (const f of files.sort()) {
    const repo = f.slice(REPO_OIDC_TEMPLATES_DIR.length + 1).replace(/\.json$/, '');
    const t = source.json(repoOidcTemplateFile(repo), repoOidcSubjectTemplateSchema, { call: repoOidcTemplateCall(org, repo) });
    if (!t) continue;
    if (t.use_default) out[repo] = GITHUB_DEFAULT_CLAIMS;
    else if (t.include_claim_keys?.length) out[repo] = t.include_claim_keys;
  }
  return out;
}

function actions(source: SourceReader, ctx: OrgContext): Identity | undefined {
  const optional = { optional: true } as const;
  const secretsFailed = source.callFailed(FILES.orgSecrets.call);
  const secretPages = readPages(source, FILES.orgSecrets, orgSecretsPageSchema, optional);
  const listing = orgRepositories(source);
  return actionsIdentity(ctx, {
    workflow: source.json(`${FILES.workflowPermissions.base}.json`, workflowPermissionsSchema, optional),
    oidc: source.json(`${FILES.oidcSubjectTemplate.base}.json`, oidcSubjectTemplateSchema, optional),
    secrets: secretPages.length > 0 || secretsFailed ? secretPages.flatMap((p) => p.secrets) : undefined,
    secretsPartial: secretsFailed,
    repositories: listing.names,
    repositoriesComplete: listing.complete,
    repositorySubjectClaims: repositorySubjectClaims(source, ctx.org),
  });
}

export const normalizeGithub: Normalizer = (source) => {
  const ctx = readOrgContext(source);
  const installations = readPages(source, FILES.installations, installationsPageSchema).flatMap((p) => p.installations);
  const patGrants = readPages(source, FILES.patGrants, patGrantsPageSchema).flat();
  const authorizations = readPages(source, FILES.credentialAuthorizations, credentialAuthorizationsPageSchema).flat();

  // Who holds which credential decides which members are machines, and so whose credentials are a person's.
  const held: HeldCredential[] = [
    ...patGrants.map((g) => ({ login: g.owner.login, identityId: patGrantIdentityId(ctx, g), label: g.token_name })),
    ...authorizations.map((a) => ({
      login: a.login,
      identityId: credentialAuthorizationIdentityId(ctx, a),
      label: credentialAuthorizationLabel(a),
    })),
  ];
  const machines = machineUsers(ctx.memberUsers, held);
  ctx.machineUsers = machines;

  const actionsWorkflows = actions(source, ctx);
  return [
    ...installations.map((i) => installationIdentity(ctx, i, installationRepositories(source, i))),
    ...patGrants.map((g) => patGrantIdentity(ctx, g, grantRepositories(source, g))),
    ...authorizations.map((a) => credentialAuthorizationIdentity(ctx, a)),
    ...deployKeyIdentities(source, ctx),
    ...[...machines.values()].map((m) => machineUserIdentity(ctx, m)),
    ...(actionsWorkflows ? [actionsWorkflows] : []),
  ];
};
