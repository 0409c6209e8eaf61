import { mapPool } from '../../../collect/pool.js';
import { DEPLOY_KEYS_CALL, FILES, REPO_OIDC_TEMPLATE_CALL, deployKeysCall, deployKeysFile, repoOidcTemplateCall, repoOidcTemplateFile } from '../files.js';
import { deployKeysSchema, graphqlRepositoriesPageSchema, repoOidcSubjectTemplateSchema, type WireGraphqlRepositoriesPage } from '../wire.js';
import { graphqlUrl } from './client.js';
import { CallFailure, checked, failureMessage, nextLink, request, type OrgRun } from './run.js';

// Deploy keys of every repository in calls that grow with pages, not repositories: one GraphQL
// query lists 100 repositories with their keys, then REST is asked only for the repositories
// that hold keys (GraphQL has no last use or author of a key).

const GRAPHQL_CALL = FILES.repositoriesGraphql.call;

/** Field names are GraphQL's (Organization.repositories → RepositoryConnection, Repository.deployKeys → DeployKeyConnection). */
export const REPOSITORIES_QUERY = `query ($org: String!, $first: Int!, $after: String) {
  organization(login: $org) {
    repositories(first: $first, after: $after, orderBy: {field: NAME, direction: ASC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        name
        isArchived
        deployKeys(first: 100) { totalCount nodes { id key title readOnly createdAt verified enabled } }
      }
    }
  }
}`;

interface GraphqlBody {
  data?: unknown;
  errors?: { type?: string; message?: string }[];
}

interface Listed {
  /** Repositories holding keys, in order. */
  withKeys: string[];
  /** Repositories not archived (whose workflows can run), in order. */
  active: string[];
}

/** The repositories holding keys and those that are active; a failed listing yields what it had. */
async function listRepositories(run: OrgRun, apiUrl: string): Promise<Listed> {
  const withKeys: string[] = [];
  const active: string[] = [];
  const out = { withKeys, active };
  const cursors = new Set<string>();
  let after: string | null = null;
  let listed = 0;
  let total: number | undefined;
  for (let n = 1; ; n++) {
    let page: WireGraphqlRepositoriesPage;
    try {
      const res = await request(run, GRAPHQL_CALL, {
        method: 'POST',
        url: graphqlUrl(apiUrl),
        query: REPOSITORIES_QUERY,
        variables: { org: run.org, first: run.settings.pageSize, after },
      });
      const body = res.data as GraphqlBody;
      if (body && typeof body === 'object' && Array.isArray(body.errors) && body.errors.length > 0) {
        const kind = body.errors.some((e) => e.type === 'RATE_LIMITED') ? 'rate limit exhausted' : 'GraphQL error';
        throw new CallFailure(`${kind}: ${GRAPHQL_CALL} (${body.errors.map((e) => `${e.type ? `${e.type}: ` : ''}${e.message ?? ''}`).join('; ')})`);
      }
      page = checked(graphqlRepositoriesPageSchema, body, GRAPHQL_CALL, n > 1 ? ` page ${n}` : '');
    } catch (err) {
      run.calls.failed(GRAPHQL_CALL, `${failureMessage(err, GRAPHQL_CALL)}${err instanceof CallFailure ? '' : ` on page ${n}`}`);
      return out;
    }
    run.out.json(`${FILES.repositoriesGraphql.base}.page-${n}.json`, page);
    const connection = page.data.organization.repositories;
    total ??= connection.totalCount;
    listed += connection.nodes.length;
    for (const repo of connection.nodes) {
      if (repo.deployKeys.totalCount > 0) withKeys.push(repo.name);
      if (!repo.isArchived) active.push(repo.name);
    }
    run.progress.update(`github ${run.org}`, `repositories ${listed}/${total}`);
    const { hasNextPage, endCursor } = connection.pageInfo;
    if (!hasNextPage) break;
    // A page that says there is more but gives no new cursor would loop or stop short: partial.
    if (!endCursor || cursors.has(endCursor)) {
      run.calls.failed(GRAPHQL_CALL, `malformed response: ${GRAPHQL_CALL} page ${n} says hasNextPage but gives ${endCursor ? 'a cursor already used' : 'no endCursor'}; the repository list is partial`);
      return out;
    }
    cursors.add(endCursor);
    after = endCursor;
  }
  if (listed < (total ?? 0)) {
    run.calls.failed(GRAPHQL_CALL, `partial: ${GRAPHQL_CALL} reported ${total} repositories but listed ${listed}`);
    return out;
  }
  run.calls.ok(GRAPHQL_CALL);
  return out;
}

/** GET /repos/{org}/{repo}/keys for one repository: one page of 100 (a repository rarely has more). */
async function repositoryKeys(run: OrgRun, repo: string): Promise<void> {
  const call = deployKeysCall(run.org, repo);
  try {
    const res = await request(run, DEPLOY_KEYS_CALL, {
      method: 'GET',
      url: '/repos/{owner}/{repo}/keys',
      owner: run.org,
      repo,
      per_page: 100,
    });
    const keys = checked(deployKeysSchema, res.data, call);
    run.out.json(deployKeysFile(repo), keys);
    if (nextLink(res.headers.link)) {
      run.calls.failed(call, `partial: ${call} has more than 100 deploy keys; only the first page was read`);
      return;
    }
    run.calls.ok(DEPLOY_KEYS_CALL);
  } catch (err) {
    run.calls.failed(call, failureMessage(err, call));
  }
}

/** A repository's own OIDC subject template (opt-in: one call a repository). */
async function repositoryOidcTemplate(run: OrgRun, repo: string): Promise<void> {
  const call = repoOidcTemplateCall(run.org, repo);
  try {
    const res = await request(run, REPO_OIDC_TEMPLATE_CALL, { method: 'GET', url: '/repos/{owner}/{repo}/actions/oidc/customization/sub', owner: run.org, repo });
    run.out.json(repoOidcTemplateFile(repo), checked(repoOidcSubjectTemplateSchema, res.data, call));
    run.calls.ok(REPO_OIDC_TEMPLATE_CALL);
  } catch (err) {
    run.calls.failed(call, failureMessage(err, call));
  }
}

export async function collectDeployKeys(run: OrgRun, apiUrl: string): Promise<void> {
  const { withKeys: repos, active } = await listRepositories(run, apiUrl);
  let done = 0;
  await Promise.all([
    mapPool(repos, run.settings.repoConcurrency, async (repo) => {
      await repositoryKeys(run, repo);
      run.progress.update(`github ${run.org}`, `deploy keys of ${++done}/${repos.length} repositories`);
    }),
    run.settings.repoOidcTemplates ? mapPool(active, run.settings.repoConcurrency, (repo) => repositoryOidcTemplate(run, repo)) : undefined,
  ]);
  // With no repository holding keys, the coverage still says the keys were looked for.
  if (repos.length === 0) run.calls.ok(DEPLOY_KEYS_CALL);
  if (run.settings.repoOidcTemplates && active.length === 0) run.calls.ok(REPO_OIDC_TEMPLATE_CALL);
}
