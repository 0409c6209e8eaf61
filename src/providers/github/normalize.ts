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

/** Every repository the org listed (GraphQL pages or the REST listing), by name. */
function orgRepositories(source: SourceReader): string[] | undefined {
  const graphql = readPages(source, FILES.repositoriesGraphql, graphqlRepositoriesPageSchema, { optional: true });
  const names = graphql.length > 0
    ? graphql.flatMap((p) => p.data.organization.repositories.nodes).map((r) => r.name)
    : readPages(source, FILES.repos, repositoriesPageSchema, { optional: true }).flat().map((r) => r.name);
  return names.length > 0 ? names.sort() : undefined;
}

function actions(source: SourceReader, ctx: OrgContext): Identity | undefined {
  const optional = { optional: true } as const;
  const secretsFailed = source.callFailed(FILES.orgSecrets.call);
  const secretPages = readPages(source, FILES.orgSecrets, orgSecretsPageSchema, optional);
  return actionsIdentity(ctx, {
    workflow: source.json(`${FILES.workflowPermissions.base}.json`, workflowPermissionsSchema, optional),
    oidc: source.json(`${FILES.oidcSubjectTemplate.base}.json`, oidcSubjectTemplateSchema, optional),
    secrets: secretPages.length > 0 || secretsFailed ? secretPages.flatMap((p) => p.secrets) : undefined,
    secretsPartial: secretsFailed,
    repositories: orgRepositories(source),
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
