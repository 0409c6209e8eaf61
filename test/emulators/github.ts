import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliver, releaseSockets, type Spoil } from '../helpers/faults.js';

// A local stand-in for GitHub's REST and GraphQL APIs on 127.0.0.1, speaking their wire format so
// the real Octokit can be pointed at it (--github-api-url / GITHUB_API_URL):
// - REST: JSON bodies, `Link: <…>; rel="next"` paging by per_page/page, x-ratelimit-* headers on
//   every answer, errors as {message, documentation_url, status};
// - GraphQL: POST /graphql ({query, variables}), answering the organization-repositories query
//   with cursors, or {errors:[…]};
// - GitHub Apps: an RS256 JWT (verified against the App's public key) for /app routes and the
//   exchange POST /app/installations/{id}/access_tokens → an installation token for other calls;
// - GHES: with `ghes`, REST under /api/v3 and GraphQL at /api/graphql.
// Faults (statuses, rate limits, broken GraphQL pages, and any spoiled delivery of
// test/helpers/faults.ts: hangs, trickles, malformed or oversized bodies) are injected per route; every request is
// logged with the body it answered, so tests can count calls and check bodies against the spec.

export type Json = Record<string, any>;

/** One organization's data, in GitHub's REST shapes (as a bundle stores them). */
export interface OrgEstate {
  login: string;
  org: Json;
  installations: Json[];
  patGrants: Json[];
  /** Repositories of `subset` grants, by grant id. */
  grantRepositories: Record<string, Json[]>;
  /** Repository names given to each `selected` installation, by installation id. */
  installationRepositories?: Record<string, string[]>;
  /** undefined: the org has no SAML SSO (GitHub answers 404). */
  credentialAuthorizations?: Json[];
  repositories: { name: string; archived?: boolean }[];
  /** REST deploy keys by repository name; a repository not listed has none. */
  deployKeys: Record<string, Json[]>;
  members: Json[];
  admins: Json[];
  workflowPermissions: Json;
  oidcSubjectTemplate: Json;
  /** Repositories' own OIDC subject templates, by name; any other answers `{use_default: false}` (the org's applies). */
  repoOidcTemplates?: Record<string, Json>;
  secrets: Json[];
}

export interface Fault {
  /** Route template as the collector names calls: `GET /orgs/{org}/installations`, `POST /graphql`. */
  route: string;
  org?: string;
  /** Only for this repository (deploy keys). */
  repo?: string;
  /** How many matching requests fail (default: all); then the route works. */
  times?: number;
  /** Matching requests answered normally before the fault starts. */
  after?: number;
  status?: number;
  message?: string;
  /** A spent primary limit (403, x-ratelimit-remaining 0, reset in `resetSeconds`). */
  rateLimit?: 'primary' | 'secondary';
  resetSeconds?: number;
  /** retry-after of a secondary limit (seconds). */
  retryAfter?: number;
  /** GraphQL pages that are wrong in GitHub's own way. */
  body?: 'graphql-no-cursor' | 'graphql-error';
  /** The route's real answer, spoiled on the way (test/helpers/faults.ts). */
  spoil?: Spoil;
}

export interface GithubEmulatorOptions {
  orgs: OrgEstate[];
  /** Tokens accepted as a user's token (classic or fine-grained). */
  tokens?: string[];
  /** The agentscan App: its id, public key, and installation id per org (an org not listed has no installation). */
  app?: { id: number; publicKey: string; installations: Record<string, number> };
  ghes?: boolean;
  faults?: Fault[];
  latencyMs?: number;
}

export interface LoggedRequest {
  method: string;
  /** The route template, e.g. GET /orgs/{org}/members. */
  route: string;
  org?: string;
  status: number;
  auth: 'token' | 'jwt' | 'installation' | 'none' | 'bad';
  /** The installation whose token was used. */
  installationId?: number;
  /** What was answered (parsed JSON), for checking against the spec. */
  body?: unknown;
  query: Record<string, string>;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  params: string[];
}

const TEMPLATES = [
  'GET /orgs/{org}',
  'GET /orgs/{org}/installations',
  'GET /orgs/{org}/installation',
  'GET /app/installations',
  'POST /app/installations/{installation_id}/access_tokens',
  'GET /orgs/{org}/personal-access-tokens',
  'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories',
  'GET /orgs/{org}/credential-authorizations',
  'GET /repos/{owner}/{repo}/keys',
  'GET /orgs/{org}/members',
  'GET /orgs/{org}/actions/permissions/workflow',
  'GET /orgs/{org}/actions/oidc/customization/sub',
  'GET /orgs/{org}/actions/secrets',
  'GET /user/orgs',
  'GET /user/installations/{installation_id}/repositories',
  'GET /repos/{owner}/{repo}/actions/oidc/customization/sub',
];

const ROUTES: Route[] = TEMPLATES.map((t) => {
  const [method, template] = t.split(' ');
  const params: string[] = [];
  const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, p: string) => (params.push(p), '([^/]+)'))}$`);
  return { method, template, pattern, params };
});

const DOCS = 'https://docs.github.com/rest';
const MAX_PER_PAGE = 100;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const b64url = (s: string) => Buffer.from(s, 'base64url');

/** A `repository` of GitHub's full shape (what installation repository lists answer). */
export function fullRepository(apiUrl: string, org: OrgEstate, name: string): Json {
  const full = `${org.login}/${name}`;
  const api = `${apiUrl}/repos/${full}`;
  const id = 700_000 + [...full].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100_000, 7);
  const urls = Object.fromEntries(
    ['archive', 'assignees', 'blobs', 'branches', 'collaborators', 'comments', 'commits', 'compare', 'contents', 'contributors', 'deployments', 'downloads', 'events', 'forks', 'git_commits', 'git_refs', 'git_tags', 'hooks', 'issue_comment', 'issue_events', 'issues', 'keys', 'labels', 'languages', 'merges', 'milestones', 'notifications', 'pulls', 'releases', 'stargazers', 'statuses', 'subscribers', 'subscription', 'tags', 'teams', 'trees'].map((k) => [`${k}_url`, `${api}/${k.replace('_', '/')}`]),
  );
  return {
    id,
    node_id: `R_kgDO${id}`,
    name,
    full_name: full,
    owner: userLike(org.login, org.org.id, 'Organization'),
    private: true,
    html_url: `https://github.com/${full}`,
    description: null,
    fork: false,
    url: api,
    ...urls,
    git_url: `git://github.com/${full}.git`,
    ssh_url: `git@github.com:${full}.git`,
    clone_url: `https://github.com/${full}.git`,
    svn_url: `https://github.com/${full}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: 'main',
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: 'private',
    license: null,
    pushed_at: '2026-11-01T08:00:00Z',
    created_at: '2024-02-01T10:00:00Z',
    updated_at: '2026-11-01T08:00:00Z',
  };
}

/** A `simple-user` of GitHub's shape for an account. */
function userLike(login: string, id: number, type: 'User' | 'Organization' | 'Bot'): Json {
  const api = `https://api.github.com/users/${login}`;
  return {
    login,
    id,
    node_id: type === 'Organization' ? 'O_kgDOB' : 'U_kgDOB',
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    site_admin: false,
  };
}

export class GithubEmulator {
  readonly requests: LoggedRequest[] = [];
  /** Installation tokens handed out; tests check none leaks into output. */
  readonly issuedSecrets: string[] = [];
  maxOrgsInFlight = 0;
  private inFlight = new Map<string, number>();
  private installationTokens = new Map<string, number>();
  private faults: (Fault & { left: number; pass: number })[] = [];
  private publicKey?: KeyObject;
  private server!: Server;
  url = '';

  private constructor(private opts: GithubEmulatorOptions) {
    this.reset({});
  }

  static async start(opts: GithubEmulatorOptions): Promise<GithubEmulator> {
    const emulator = new GithubEmulator(opts);
    emulator.server = createServer((req, res) => void emulator.handle(req, res));
    await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', resolve));
    emulator.url = `http://127.0.0.1:${(emulator.server.address() as AddressInfo).port}`;
    return emulator;
  }

  /** New options for the next test: the request log and faults (unless given) start afresh. */
  reset(changes: Partial<GithubEmulatorOptions>): this {
    this.opts = { ...this.opts, faults: [], ...changes };
    this.faults = (this.opts.faults ?? []).map((f) => ({ ...f, left: f.times ?? Infinity, pass: f.after ?? 0 }));
    this.publicKey = this.opts.app ? createPublicKey(this.opts.app.publicKey) : undefined;
    this.requests.length = 0;
    this.maxOrgsInFlight = 0;
    return this;
  }

  close(): Promise<void> {
    releaseSockets(this.server);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The REST root the collector is given (--github-api-url). */
  get apiUrl(): string {
    return this.opts.ghes ? `${this.url}/api/v3` : this.url;
  }

  private get restPrefix(): string {
    return this.opts.ghes ? '/api/v3' : '';
  }

  private get graphqlPath(): string {
    return this.opts.ghes ? '/api/graphql' : '/graphql';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const entry: LoggedRequest = { method: req.method ?? 'GET', route: '?', status: 0, auth: 'none', query };
    this.requests.push(entry);
    let orgKey: string | undefined;
    try {
      const match = this.route(req.method ?? 'GET', url.pathname);
      entry.route = match.route;
      entry.org = match.params.org ?? match.params.owner;
      orgKey = entry.org;
      if (orgKey) this.enter(orgKey);
      if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));
      entry.auth = this.authenticate(req.headers.authorization, match.route, entry);
      const fault = this.takeFault(match.route, entry.org, match.params.repo);
      if (fault) this.answerFault(fault);
      const body = match.route === 'POST /graphql' ? this.graphql(raw, entry, fault) : this.rest(match, entry, url, res);
      entry.status = 200;
      entry.body = body;
      this.send(res, match.route.startsWith('POST /app/') ? 201 : 200, body, {}, fault?.spoil);
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, (err as Error).message);
      entry.status = e.status;
      const body = { message: e.message, documentation_url: DOCS, status: String(e.status) };
      if (entry.route !== '?') entry.body = body;
      this.send(res, e.status, body, e.headers);
    } finally {
      if (orgKey) this.inFlight.set(orgKey, (this.inFlight.get(orgKey) ?? 1) - 1);
    }
  }

  private enter(org: string): void {
    this.inFlight.set(org, (this.inFlight.get(org) ?? 0) + 1);
    const busy = [...this.inFlight.values()].filter((n) => n > 0).length;
    this.maxOrgsInFlight = Math.max(this.maxOrgsInFlight, busy);
  }

  private route(method: string, pathname: string): { route: string; params: Record<string, string> } {
    if (pathname === this.graphqlPath && method === 'POST') return { route: 'POST /graphql', params: {} };
    if (!pathname.startsWith(this.restPrefix)) throw new HttpError(404, 'Not Found');
    const path = pathname.slice(this.restPrefix.length);
    for (const r of ROUTES) {
      const m = r.method === method ? r.pattern.exec(path) : null;
      if (m) return { route: `${r.method} ${r.template}`, params: Object.fromEntries(r.params.map((p, i) => [p, decodeURIComponent(m[i + 1])])) };
    }
    throw new HttpError(404, 'Not Found');
  }

  private authenticate(header: string | undefined, route: string, entry: LoggedRequest): LoggedRequest['auth'] {
    const [scheme, credential] = (header ?? '').split(' ');
    if (!credential) throw new HttpError(401, 'Requires authentication');
    const appRoute = route.startsWith('GET /app/') || route.startsWith('POST /app/') || route === 'GET /orgs/{org}/installation';
    if (credential.split('.').length === 3 && /^bearer$/i.test(scheme)) {
      this.verifyJwt(credential);
      if (!appRoute) throw new HttpError(401, 'A JSON web token could not be decoded');
      return 'jwt';
    }
    if (appRoute) throw new HttpError(401, 'A JSON web token could not be decoded');
    if (this.installationTokens.has(credential)) {
      entry.installationId = this.installationTokens.get(credential);
      return 'installation';
    }
    if (this.opts.tokens?.includes(credential)) return 'token';
    throw new HttpError(401, 'Bad credentials');
  }

  /** RS256 over `header.payload`, signed by the App's private key; iss is the App id; not expired. */
  private verifyJwt(jwt: string): void {
    const [h, p, s] = jwt.split('.');
    if (!this.publicKey || !this.opts.app) throw new HttpError(401, 'A JSON web token could not be decoded');
    const header = JSON.parse(b64url(h).toString('utf8')) as { alg?: string };
    const ok = header.alg === 'RS256' && verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.publicKey, b64url(s));
    if (!ok) throw new HttpError(401, "A JSON web token could not be decoded");
    const payload = JSON.parse(b64url(p).toString('utf8')) as { iss?: unknown; exp?: number; iat?: number };
    const now = Math.floor(Date.now() / 1000);
    if (String(payload.iss) !== String(this.opts.app.id)) throw new HttpError(401, "'Issuer' claim ('iss') must be an Integer");
    if (!payload.exp || payload.exp < now || payload.exp - (payload.iat ?? now) > 600) {
      throw new HttpError(401, "'Expiration time' claim ('exp') is too far in the future");
    }
  }

  private takeFault(route: string, org?: string, repo?: string): Fault | undefined {
    for (const f of this.faults) {
      if (f.route !== route || (f.org && f.org !== org) || (f.repo && f.repo !== repo) || f.left <= 0) continue;
      if (f.pass > 0) {
        f.pass--;
        continue;
      }
      f.left--;
      return f;
    }
    return undefined;
  }

  /** Throws the error answer a status or rate-limit fault asks for; other faults shape the answer later. */
  private answerFault(fault: Fault): void {
    if (fault.rateLimit === 'primary') {
      const reset = Math.floor(Date.now() / 1000) + (fault.resetSeconds ?? 1);
      throw new HttpError(403, 'API rate limit exceeded for installation ID 1.', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    }
    if (fault.rateLimit === 'secondary') {
      throw new HttpError(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', {
        'retry-after': String(fault.retryAfter ?? 1),
      });
    }
    if (fault.status) throw new HttpError(fault.status, fault.message ?? 'Server Error');
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, spoil?: Spoil): void {
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    deliver(res, { status, body: text, headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': 'core',
      ...headers,
    } }, spoil);
  }

  private orgOf(login: string | undefined): OrgEstate {
    const org = this.opts.orgs.find((o) => o.login.toLowerCase() === (login ?? '').toLowerCase());
    if (!org) throw new HttpError(404, 'Not Found');
    return org;
  }

  /** A page of `items` by per_page/page, with GitHub's Link header for the next and last pages. */
  private page<T>(items: T[], url: URL, res: ServerResponse): T[] {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, MAX_PER_PAGE);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const u = new URL(url.href);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(n));
      return `<${this.url}${u.pathname}${u.search}>; rel="${rel}"`;
    };
    const links = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    if (links.length > 0) res.setHeader('link', links.join(', '));
    return items.slice((page - 1) * perPage, page * perPage);
  }

  private rest(match: { route: string; params: Record<string, string> }, entry: LoggedRequest, url: URL, res: ServerResponse): unknown {
    const { route, params } = match;
    const app = this.opts.app;
    switch (route) {
      case 'GET /app/installations':
        return this.page(
          this.opts.orgs
            .filter((o) => app?.installations[o.login] !== undefined)
            .map((o) => this.ownInstallation(o, app!.installations[o.login])),
          url,
          res,
        );
      case 'GET /orgs/{org}/installation': {
        const org = this.orgOf(params.org);
        const id = app?.installations[org.login];
        if (id === undefined) throw new HttpError(404, 'Not Found');
        return this.ownInstallation(org, id);
      }
      case 'POST /app/installations/{installation_id}/access_tokens': {
        const id = Number(params.installation_id);
        if (!Object.values(app?.installations ?? {}).includes(id)) throw new HttpError(404, 'Not Found');
        const token = `ghs_${randomBytes(18).toString('base64url')}`;
        this.installationTokens.set(token, id);
        this.issuedSecrets.push(token);
        return {
          token,
          expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
          permissions: { members: 'read', organization_administration: 'read', organization_personal_access_tokens: 'read', organization_secrets: 'read', administration: 'read', metadata: 'read' },
          repository_selection: 'all',
        };
      }
      case 'GET /user/orgs':
        return this.page(
          this.opts.orgs.map((o) => ({ login: o.login, id: o.org.id, node_id: o.org.node_id ?? 'O_kgDO', url: `${this.apiUrl}/orgs/${o.login}`, repos_url: `${this.apiUrl}/orgs/${o.login}/repos`, events_url: `${this.apiUrl}/orgs/${o.login}/events`, hooks_url: `${this.apiUrl}/orgs/${o.login}/hooks`, issues_url: `${this.apiUrl}/orgs/${o.login}/issues`, members_url: `${this.apiUrl}/orgs/${o.login}/members{/member}`, public_members_url: `${this.apiUrl}/orgs/${o.login}/public_members{/member}`, avatar_url: `https://avatars.githubusercontent.com/u/${o.org.id}?v=4`, description: o.org.description ?? null })),
          url,
          res,
        );
    }
    if (route === 'GET /user/installations/{installation_id}/repositories') return this.installationRepositories(params.installation_id, entry, url, res);
    const org = this.orgOf(params.org ?? params.owner);
    this.checkInstallationScope(entry, org);
    switch (route) {
      case 'GET /orgs/{org}':
        return org.org;
      case 'GET /orgs/{org}/installations': {
        const page = this.page(org.installations, url, res);
        return { total_count: org.installations.length, installations: page };
      }
      case 'GET /orgs/{org}/personal-access-tokens':
        if (entry.auth !== 'installation') throw new HttpError(403, 'Resource not accessible by personal access token');
        return this.page(org.patGrants, url, res);
      case 'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories': {
        if (entry.auth !== 'installation') throw new HttpError(403, 'Resource not accessible by personal access token');
        const repos = org.grantRepositories[params.pat_id];
        if (!repos) throw new HttpError(404, 'Not Found');
        return this.page(repos, url, res);
      }
      case 'GET /orgs/{org}/credential-authorizations':
        if (!org.credentialAuthorizations) throw new HttpError(404, 'Not Found');
        return this.page(org.credentialAuthorizations, url, res);
      case 'GET /repos/{owner}/{repo}/keys':
        if (!org.repositories.some((r) => r.name === params.repo)) throw new HttpError(404, 'Not Found');
        return this.page(org.deployKeys[params.repo] ?? [], url, res);
      case 'GET /orgs/{org}/members':
        return this.page(url.searchParams.get('role') === 'admin' ? org.admins : org.members, url, res);
      case 'GET /orgs/{org}/actions/permissions/workflow':
        return org.workflowPermissions;
      case 'GET /orgs/{org}/actions/oidc/customization/sub':
        return org.oidcSubjectTemplate;
      case 'GET /repos/{owner}/{repo}/actions/oidc/customization/sub':
        if (!org.repositories.some((r) => r.name === params.repo)) throw new HttpError(404, 'Not Found');
        return org.repoOidcTemplates?.[params.repo] ?? { use_default: false };
      case 'GET /orgs/{org}/actions/secrets': {
        const page = this.page(org.secrets, url, res);
        return { total_count: org.secrets.length, secrets: page };
      }
    }
    throw new HttpError(404, 'Not Found');
  }

  /** Only to a user token (an installation's token is not a user's); the user here is an org owner, who sees every repository given. */
  private installationRepositories(id: string, entry: LoggedRequest, url: URL, res: ServerResponse): unknown {
    if (entry.auth !== 'token') throw new HttpError(403, 'Resource not accessible by integration');
    const org = this.opts.orgs.find((o) => o.installations.some((i) => String(i.id) === id));
    const names = org?.installationRepositories?.[id];
    if (!org || !names) throw new HttpError(404, 'Not Found');
    entry.org = org.login;
    const repos = names.map((name) => fullRepository(this.apiUrl, org, name));
    return { total_count: repos.length, repository_selection: 'selected', repositories: this.page(repos, url, res) };
  }

  /** An installation token works only in the org it was minted for. */
  private checkInstallationScope(entry: LoggedRequest, org: OrgEstate): void {
    if (entry.auth !== 'installation') return;
    if (this.opts.app?.installations[org.login] !== entry.installationId) throw new HttpError(404, 'Not Found');
  }

  private ownInstallation(org: OrgEstate, id: number): Json {
    const app = this.opts.app!;
    return {
      id,
      account: userLike(org.login, org.org.id, 'Organization'),
      repository_selection: 'all',
      access_tokens_url: `${this.apiUrl}/app/installations/${id}/access_tokens`,
      repositories_url: `${this.apiUrl}/installation/repositories`,
      html_url: `https://github.com/organizations/${org.login}/settings/installations/${id}`,
      app_id: app.id,
      app_slug: 'agentscan-reader',
      target_id: org.org.id,
      target_type: 'Organization',
      permissions: { members: 'read', organization_administration: 'read', metadata: 'read' },
      events: [],
      created_at: '2026-01-05T10:00:00Z',
      updated_at: '2026-01-05T10:00:00Z',
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    };
  }

  /** The organization-repositories query (the only one the collector sends). */
  private graphql(raw: string, entry: LoggedRequest, fault?: Fault): unknown {
    const { query, variables } = JSON.parse(raw) as { query: string; variables: { org: string; first: number; after?: string | null } };
    if (!/organization\(login: \$org\)/.test(query) || !/repositories\(first: \$first, after: \$after/.test(query) || !/deployKeys\(first: 100\)/.test(query)) {
      throw new HttpError(400, 'Problems parsing JSON');
    }
    if (fault?.body === 'graphql-error') {
      return { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }] };
    }
    entry.org = variables.org;
    const org = this.opts.orgs.find((o) => o.login === variables.org);
    if (!org) return { data: { organization: null }, errors: [{ type: 'NOT_FOUND', path: ['organization'], message: `Could not resolve to an Organization with the login of '${variables.org}'.` }] };
    if (variables.first < 1 || variables.first > 100) {
      return { errors: [{ type: 'MAX_PAGE_SIZE_EXCEEDED', message: 'Requesting more than 100 records on the `repositories` connection is not supported.' }] };
    }
    const sorted = [...org.repositories].sort((a, b) => a.name.localeCompare(b.name));
    const start = variables.after ? Number(Buffer.from(variables.after, 'base64').toString('utf8').replace('cursor:v2:', '')) : 0;
    const nodes = sorted.slice(start, start + variables.first);
    const end = start + nodes.length;
    const hasNextPage = end < sorted.length;
    return {
      data: {
        organization: {
          repositories: {
            totalCount: sorted.length,
            pageInfo: { hasNextPage, endCursor: fault?.body === 'graphql-no-cursor' ? null : nodes.length ? Buffer.from(`cursor:v2:${end}`).toString('base64') : null },
            nodes: nodes.map((r) => {
              const keys = org.deployKeys[r.name] ?? [];
              return {
                name: r.name,
                isArchived: r.archived ?? false,
                deployKeys: {
                  totalCount: keys.length,
                  nodes: keys.slice(0, 100).map((k) => ({
                    id: `DK_kwDO${Buffer.from(String(k.id)).toString('base64url')}`,
                    key: k.key,
                    title: k.title,
                    readOnly: k.read_only,
                    createdAt: new Date(k.created_at).toISOString().replace(/\.\d+Z$/, 'Z'),
                    verified: k.verified,
                    enabled: k.enabled ?? true,
                  })),
                },
              };
            }),
          },
        },
      },
    };
  }
}
