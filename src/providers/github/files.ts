import type { z } from 'zod';
import type { SourceReader } from '../../bundle/source-reader.js';
import { BundleError } from '../../util/errors.js';

// Where each GitHub REST call's response sits in a source folder (github/<org>/), and the
// call name bundle.json's coverage uses for it. docs/bundle/github.md documents the same table.

export const FILES = {
  org: { base: 'orgs-get', call: 'GET /orgs/{org}' },
  installations: { base: 'orgs-list-app-installations', call: 'GET /orgs/{org}/installations' },
  patGrants: { base: 'orgs-list-pat-grants', call: 'GET /orgs/{org}/personal-access-tokens' },
  credentialAuthorizations: {
    base: 'orgs-list-saml-sso-authorizations',
    call: 'GET /orgs/{org}/credential-authorizations',
  },
  repos: { base: 'repos-list-for-org', call: 'GET /orgs/{org}/repos' },
  members: { base: 'orgs-list-members', call: 'GET /orgs/{org}/members' },
  admins: { base: 'orgs-list-members-role-admin', call: 'GET /orgs/{org}/members?role=admin' },
  /** Repositories and their deploy keys in one GraphQL query a page (replaces `repos` in bundles that have it). */
  repositoriesGraphql: { base: 'graphql-org-repositories-deploy-keys', call: 'POST /graphql (organization.repositories.deployKeys)' },
  workflowPermissions: {
    base: 'actions-get-github-actions-default-workflow-permissions-organization',
    call: 'GET /orgs/{org}/actions/permissions/workflow',
  },
  oidcSubjectTemplate: { base: 'oidc-get-oidc-custom-sub-template-for-org', call: 'GET /orgs/{org}/actions/oidc/customization/sub' },
  orgSecrets: { base: 'actions-list-org-secrets', call: 'GET /orgs/{org}/actions/secrets' },
} as const;

/** Generic names of the per-repository and per-grant calls, as coverage records them when all succeed. */
export const DEPLOY_KEYS_CALL = 'GET /repos/{owner}/{repo}/keys';
export const GRANT_REPOSITORIES_CALL = 'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories';

/** Generic name of the per-installation repository lists, as coverage records them when all succeed. */
export const INSTALLATION_REPOSITORIES_CALL = 'GET /user/installations/{installation_id}/repositories';

/** One folder of pages per `selected` installation that can write: the repositories it was given. */
export const INSTALLATION_REPOSITORIES_DIR = 'apps-list-installation-repos-for-authenticated-user';

export function installationRepositoriesFile(installationId: number): { base: string; call: string } {
  return { base: `${INSTALLATION_REPOSITORIES_DIR}/${installationId}`, call: installationRepositoriesCall(installationId) };
}

/** The concrete call for one installation, so a failure excuses only that installation's pages. */
export function installationRepositoriesCall(installationId: number): string {
  return `GET /user/installations/${installationId}/repositories`;
}

/** One folder of pages per `subset` grant: the repositories it reaches. */
export const GRANT_REPOSITORIES_DIR = 'orgs-list-pat-grant-repositories';

export function grantRepositoriesFile(grantId: number): { base: string; call: string } {
  return { base: `${GRANT_REPOSITORIES_DIR}/${grantId}`, call: grantRepositoriesCall(grantId) };
}

/** The concrete call for one grant, so a failure excuses only that grant's pages. */
export function grantRepositoriesCall(grantId: number): string {
  return `GET /orgs/{org}/personal-access-tokens/${grantId}/repositories`;
}

/** Generic name of the per-repository OIDC subject templates (opt-in), as coverage records them when all succeed. */
export const REPO_OIDC_TEMPLATE_CALL = 'GET /repos/{owner}/{repo}/actions/oidc/customization/sub';

/** One file per repository: its own OIDC subject template, when it overrides the org's. */
export const REPO_OIDC_TEMPLATES_DIR = 'actions-get-custom-oidc-sub-claim-for-repo';

export function repoOidcTemplateFile(repo: string): string {
  return `${REPO_OIDC_TEMPLATES_DIR}/${repo}.json`;
}

export function repoOidcTemplateCall(org: string, repo: string): string {
  return `GET /repos/${org}/${repo}/actions/oidc/customization/sub`;
}

/** One file per repository, because each repository's keys are a separate call. */
export const DEPLOY_KEYS_DIR = 'repos-list-deploy-keys';

export function deployKeysFile(repo: string): string {
  return `${DEPLOY_KEYS_DIR}/${repo}.json`;
}

/** The concrete call for one repository, so a failure on one repository excuses only its file. */
export function deployKeysCall(org: string, repo: string): string {
  return `GET /repos/${org}/${repo}/keys`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads every page of a paged call (`<base>.page-1.json`, `page-2.json`, …), in order.
 * Returns [] when the call failed before its first page (coverage explains it); throws when
 * the first page is missing without explanation (unless `optional`), or when a page in the middle is missing
 * (pages are fetched in sequence, so a gap means the folder was damaged after collection).
 */
export function readPages<S extends z.ZodType>(
  source: SourceReader,
  file: { base: string; call: string },
  schema: S,
  opts: { optional?: boolean } = {},
): z.infer<S>[] {
  const pattern = new RegExp(`^${escapeRegExp(file.base)}\\.page-(\\d+)\\.json$`);
  const folder = file.base.includes('/') ? file.base.slice(0, file.base.lastIndexOf('/')) : '';
  const pages = source
    .list(folder)
    .map((name) => pattern.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const name = (n: number) => `${file.base}.page-${n}.json`;

  if (pages.length === 0) {
    // Optional: a file bundles from older versions do not have; absent and unrecorded means not asked.
    if (opts.optional && !source.callFailed(file.call)) return [];
    const first = source.json(name(1), schema, { call: file.call });
    return first === undefined ? [] : [first];
  }
  pages.forEach((n, i) => {
    if (n !== i + 1 && !source.callFailed(file.call)) {
      throw new BundleError(source.display(name(i + 1)), '', `page ${i + 1} is missing while page ${n} is present`);
    }
  });
  const contiguous = pages.filter((n, i) => n === i + 1);
  return contiguous.map((n) => source.json(name(n), schema, { call: file.call }));
}
