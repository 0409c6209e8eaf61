import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliver, releaseSockets, type Spoil } from '../helpers/faults.js';

// A local stand-in for the Google APIs agentscan calls, on 127.0.0.1, speaking Google's JSON
// REST wire format so the real google-auth-library clients can be pointed at it
// (AGENTSCAN_GCP_API_ROOT): pageSize/pageToken paging with nextPageToken, Google's error
// envelope {error: {code, message, status, details: [ErrorInfo…]}}, 401 without a token it
// issued, and the OAuth 2.0 JWT-bearer token exchange of a service-account key (the RS256
// assertion is verified against the key's public half) plus IAM Credentials
// generateAccessToken for impersonation. Every route is one of the discovery methods in
// test/emulators/specs/gcp/, and every answer is recorded so tests can check it against them.

export interface Binding {
  role: string;
  members: string[];
  condition?: { expression: string; title?: string; description?: string };
}
export interface Policy {
  version?: number;
  etag?: string;
  bindings?: Binding[];
}
export type Json = Record<string, unknown>;

export interface EmuAccount {
  /** The ServiceAccount resource as serviceAccounts.list returns it. */
  account: Json & { email: string; uniqueId: string; projectId: string };
  /** keys.list's body (`{}` when there are none). */
  keys?: Json;
  /** getIamPolicy's body (`{etag: 'ACAB'}` when empty). */
  policy?: Json;
}

export interface EmuProject {
  /** projects.get's body: name `projects/<number>`, projectId, parent, state, displayName… */
  project: Json & { name: string; projectId: string; parent?: string; state?: string };
  policy?: Json;
  accounts: EmuAccount[];
  activities?: Partial<Record<'serviceAccountLastAuthentication' | 'serviceAccountKeyLastAuthentication', Json[]>>;
  pools?: { pool: Json & { name: string }; providers: Json[] }[];
  roles?: Json[];
}

export interface EmuEstate {
  organizations?: { organization: Json & { name: string }; policy?: Json; roles?: Json[] }[];
  folders?: { folder: Json & { name: string; parent: string }; policy?: Json }[];
  projects: EmuProject[];
  /** Predefined role definitions roles.get answers; others are NOT_FOUND. */
  roles?: Json[];
}

export type FaultKind = 'throttle' | 'unavailable' | 'denied' | 'disabled' | 'wrong-shape';

export interface Fault {
  /** Matched against "METHOD /path?query", e.g. /POST \/v3\/projects\/[^/]+:getIamPolicy/; the token exchange is "POST /token". */
  match: RegExp;
  /** An error answer, or a 200 of the wrong shape, instead of the route's answer. */
  kind?: FaultKind;
  /** The route's real answer, spoiled on the way (test/helpers/faults.ts). */
  spoil?: Spoil;
  /** How many matching requests fail; then the route works (default: all). */
  times?: number;
  /** The API named in a SERVICE_DISABLED answer. */
  service?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  principal?: string;
  status: number;
  /** The discovery method id of the route that answered. */
  methodId?: string;
  body?: unknown;
}

export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

export interface EmulatorOptions {
  estate: EmuEstate;
  /** Items per page at most, whatever pageSize asks (Google may send fewer). */
  pageSize?: number;
  /** Per discovery method id, a different most-per-page (Cloud Asset allows 500, IAM lists 100). */
  maxPage?: Record<string, number>;
  faults?: Fault[];
  /** Tokens accepted as they are (GOOGLE_OAUTH_ACCESS_TOKEN), by principal. */
  staticTokens?: Record<string, string>;
  /** Who may impersonate whom through generateAccessToken: target e-mail → caller e-mails. */
  impersonation?: Record<string, string[]>;
  latencyMs?: number;
}

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
};

function googleError(code: number, message: string, details: Json[] = []): Json {
  return { error: { code, message, status: STATUS[code] ?? 'UNKNOWN', ...(details.length ? { details } : {}) } };
}

const b64url = (s: string) => Buffer.from(s, 'base64url');

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  id: string;
  handle(m: RegExpExecArray, q: URLSearchParams, body: Json, principal: string): { status: number; body: Json } | Json;
}

export class GcpEmulator {
  readonly requests: LoggedRequest[] = [];
  /** Token exchanges seen: the assertion's issuer and whether its signature verified. */
  readonly tokenRequests: { grantType: string; issuer?: string; verified: boolean; audience?: string }[] = [];
  private faults: (Fault & { left: number })[] = [];
  /** Public keys by service-account e-mail: Google checks an assertion against the issuer's keys (the library sends no kid). */
  private readonly keys = new Map<string, KeyObject[]>();
  private readonly tokens = new Map<string, string>();
  private readonly routes: Route[];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: EmulatorOptions,
  ) {
    for (const [principal, token] of Object.entries(opts.staticTokens ?? {})) this.tokens.set(token, principal);
    this.reset(opts.faults ?? []);
    this.routes = this.buildRoutes();
  }

  static async start(opts: EmulatorOptions): Promise<GcpEmulator> {
    let emulator: GcpEmulator | undefined;
    const server = createServer((req, res) => void emulator!.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    emulator = new GcpEmulator(server, `http://127.0.0.1:${port}`, opts);
    return emulator;
  }

  /** Environment for a collection against this emulator: every service at its root, fast retries. */
  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      AGENTSCAN_GCP_API_ROOT: this.url,
      AGENTSCAN_GCP_MAX_BACKOFF_MS: '5',
      AGENTSCAN_GCP_BASE_BACKOFF_MS: '1',
      AGENTSCAN_GCP_MAX_ATTEMPTS: '4',
      AGENTSCAN_GCP_PAGE_SIZE: '3',
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_OAUTH_ACCESS_TOKEN: undefined,
      GOOGLE_APPLICATION_CREDENTIALS: undefined,
      CLOUDSDK_CONFIG: '/nonexistent-gcloud-config',
      ...extra,
    };
  }

  /** A service-account key file whose token exchange this emulator accepts (an RSA key made now). */
  serviceAccountKey(email: string, projectId = email.split('@')[1]?.split('.')[0] ?? 'p'): ServiceAccountKeyFile {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const id = randomBytes(20).toString('hex');
    this.keys.set(email, [...(this.keys.get(email) ?? []), createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }))]);
    return {
      type: 'service_account',
      project_id: projectId,
      private_key_id: id,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: '100000000000000000001',
      token_uri: `${this.url}/token`,
    };
  }

  reset(faults: Fault[] = []): void {
    this.faults = faults.map((f) => ({ ...f, left: f.times ?? Number.POSITIVE_INFINITY }));
    this.requests.length = 0;
    this.tokenRequests.length = 0;
  }

  /** API requests (not the token exchanges) per discovery method id. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests) if (r.methodId) out[r.methodId] = (out[r.methodId] ?? 0) + 1;
    return out;
  }

  async close(): Promise<void> {
    releaseSockets(this.server);
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const log: LoggedRequest = { method, path: url.pathname, query: url.searchParams, status: 0 };
    this.requests.push(log);
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));
    let spoil: Spoil | undefined;
    const send = (status: number, body: Json | string, type = 'application/json; charset=UTF-8') => {
      log.status = status;
      if (typeof body !== 'string') log.body = body;
      deliver(res, { status, headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) }, spoil);
    };
    const takeFault = () => {
      const fault = this.faults.find((f) => f.left > 0 && f.match.test(`${method} ${url.pathname}${url.search}`));
      if (fault) fault.left--;
      return fault;
    };

    if (method === 'POST' && url.pathname === '/token') {
      this.requests.pop();
      spoil = takeFault()?.spoil;
      return this.tokenExchange(raw, send);
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const principal = token ? this.tokens.get(token) : undefined;
    if (!principal) return send(401, googleError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.'));
    log.principal = principal;

    const fault = takeFault();
    if (fault?.kind) return this.fail(fault.kind, fault.service, send);
    spoil = fault?.spoil;
    let body: Json = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Json;
      } catch {
        return send(400, googleError(400, 'Invalid JSON payload received.'));
      }
    }
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      log.methodId = route.id;
      this.current = route.id;
      const out = route.handle(m, url.searchParams, body, principal);
      if ('status' in out && typeof out.status === 'number' && 'body' in out) return send(out.status, out.body as Json);
      return send(200, out as Json);
    }
    return send(404, googleError(404, `Method not found: ${method} ${url.pathname}`));
  }

  private fail(kind: FaultKind, service: string | undefined, send: (s: number, b: Json | string, t?: string) => void): void {
    switch (kind) {
      case 'throttle':
        return send(429, googleError(429, "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute'.", [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com', metadata: {} },
        ]));
      case 'unavailable':
        return send(503, googleError(503, 'The service is currently unavailable.'));
      case 'denied':
        return send(403, googleError(403, 'The caller does not have permission', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain: 'iam.googleapis.com', metadata: {} },
        ]));
      case 'disabled': {
        const api = service ?? 'policyanalyzer.googleapis.com';
        return send(403, googleError(403, `${api} API has not been used in project 482910573746 before or it is disabled.`, [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'SERVICE_DISABLED',
            domain: 'googleapis.com',
            metadata: { consumer: 'projects/482910573746', service: api },
          },
        ]));
      }
      case 'wrong-shape':
        return send(200, { accounts: 'not a list', keys: 7, bindings: 'x', activities: 3, results: 'x', name: 12 });
    }
  }

  private tokenExchange(raw: string, send: (s: number, b: Json) => void): void {
    const form = new URLSearchParams(raw);
    const grantType = form.get('grant_type') ?? '';
    const entry: (typeof this.tokenRequests)[number] = { grantType, verified: false };
    this.tokenRequests.push(entry);
    if (grantType !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return send(400, { error: 'unsupported_grant_type', error_description: `grant_type ${grantType} is not supported here` });
    }
    const [h, p, s] = (form.get('assertion') ?? '').split('.');
    try {
      const header = JSON.parse(b64url(h).toString()) as { alg?: string };
      const claims = JSON.parse(b64url(p).toString()) as { iss?: string; aud?: string; scope?: string; exp?: number; iat?: number };
      entry.issuer = claims.iss;
      entry.audience = claims.aud;
      const keys = claims.iss ? (this.keys.get(claims.iss) ?? []) : [];
      const now = Date.now() / 1000;
      entry.verified =
        header.alg === 'RS256' &&
        keys.some((key) => verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, b64url(s))) &&
        (claims.exp ?? 0) > now &&
        (claims.scope ?? '').includes('https://www.googleapis.com/auth/cloud-platform');
    } catch {
      entry.verified = false;
    }
    if (!entry.verified || !entry.issuer) return send(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    const token = `ya29.emulator-${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, entry.issuer);
    send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }

  private current?: string;

  private page(items: Json[], key: string, q: URLSearchParams): Json {
    const asked = Number(q.get('pageSize') ?? 0);
    const most = (this.current ? this.opts.maxPage?.[this.current] : undefined) ?? this.opts.pageSize ?? 100;
    const size = Math.max(1, Math.min(asked > 0 ? asked : 100, most));
    const start = q.get('pageToken') ? Number(Buffer.from(q.get('pageToken')!, 'base64url').toString().replace('offset:', '')) : 0;
    const slice = items.slice(start, start + size);
    const next = start + size < items.length ? Buffer.from(`offset:${start + size}`).toString('base64url') : undefined;
    return { ...(slice.length ? { [key]: slice } : {}), ...(next ? { nextPageToken: next } : {}) };
  }

  private project(idOrNumber: string): EmuProject | undefined {
    return this.opts.estate.projects.find((p) => p.project.projectId === idOrNumber || p.project.name === `projects/${idOrNumber}`);
  }

  private buildRoutes(): Route[] {
    const estate = this.opts.estate;
    const notFound = (what: string) => ({ status: 404, body: googleError(404, `${what} not found.`) });
    const denied = (what: string) => ({ status: 403, body: googleError(403, `The caller does not have permission on ${what}`) });
    const account = (p: EmuProject | undefined, email: string) => p?.accounts.find((a) => a.account.email === decodeURIComponent(email) || a.account.uniqueId === email);
    /** Google refuses version 1 for a policy with conditions: a caller must ask for version 3. */
    const policyAnswer = (policy: Json | undefined, requested: unknown) => {
      const p = policy ?? { etag: 'ACAB' };
      const conditional = ((p.bindings as Binding[] | undefined) ?? []).some((b) => b.condition);
      if (conditional && Number(requested ?? 1) < 3) {
        return { status: 400, body: googleError(400, 'Request contains an invalid argument: the policy has conditional role bindings; requestedPolicyVersion 3 is required.') };
      }
      return p;
    };
    const rolesOf = (roles: Json[] | undefined, q: URLSearchParams) => {
      const full = q.get('view') === 'FULL';
      return this.page((roles ?? []).map((r) => (full ? r : { ...r, includedPermissions: undefined })), 'roles', q);
    };
    const ancestorsOf = (parent: string | undefined): string[] => {
      const chain: string[] = [];
      for (let at = parent; at; at = estate.folders?.find((f) => f.folder.name === at)?.folder.parent) chain.push(at);
      return chain;
    };
    const inScope = (scope: string, p: EmuProject) => scope === `projects/${p.project.projectId}` || ancestorsOf(p.project.parent).includes(scope);
    const projectNumber = (p: EmuProject) => p.project.name.slice('projects/'.length);
    const assetSearch = (scope: string, types: string[]): Json[] => {
      const out: Json[] = [];
      const common = (p: EmuProject) => ({ project: `projects/${projectNumber(p)}`, folders: ancestorsOf(p.project.parent).filter((a) => a.startsWith('folders/')), organization: ancestorsOf(p.project.parent).find((a) => a.startsWith('organizations/')) });
      for (const type of types) {
        if (type === 'cloudresourcemanager.googleapis.com/Folder') {
          for (const f of estate.folders ?? []) {
            if (!ancestorsOf(f.folder.parent).includes(scope) && f.folder.name !== scope) continue;
            out.push({ name: `//cloudresourcemanager.googleapis.com/${f.folder.name}`, assetType: type, displayName: f.folder.displayName, state: 'ACTIVE', parentFullResourceName: `//cloudresourcemanager.googleapis.com/${f.folder.parent}` });
          }
        }
        if (type === 'iam.googleapis.com/Role') {
          for (const o of estate.organizations ?? []) {
            if (o.organization.name !== scope) continue;
            for (const r of o.roles ?? []) out.push({ name: `//iam.googleapis.com/${String(r.name)}`, assetType: type, organization: o.organization.name, versionedResources: [{ version: 'v1', resource: r }] });
          }
        }
        for (const p of estate.projects.filter((x) => inScope(scope, x))) {
          if (type === 'iam.googleapis.com/Role') {
            for (const r of p.roles ?? []) out.push({ name: `//iam.googleapis.com/${String(r.name)}`, assetType: type, ...common(p), versionedResources: [{ version: 'v1', resource: r }] });
          }
          if (type === 'iam.googleapis.com/WorkloadIdentityPool' || type === 'iam.googleapis.com/WorkloadIdentityPoolProvider') {
            for (const { pool, providers } of p.pools ?? []) {
              const items = type === 'iam.googleapis.com/WorkloadIdentityPool' ? [pool] : providers;
              for (const item of items) out.push({ name: `//iam.googleapis.com/${String(item.name)}`, assetType: type, ...common(p), versionedResources: [{ version: 'v1', resource: item }] });
            }
          }
          if (type === 'cloudresourcemanager.googleapis.com/Project') {
            out.push({
              name: `//cloudresourcemanager.googleapis.com/projects/${projectNumber(p)}`,
              assetType: type,
              ...common(p),
              displayName: p.project.displayName ?? p.project.projectId,
              state: p.project.state ?? 'ACTIVE',
              additionalAttributes: { projectId: p.project.projectId },
              ...(p.project.parent ? { parentFullResourceName: `//cloudresourcemanager.googleapis.com/${p.project.parent}` } : {}),
            });
          }
          if (type === 'iam.googleapis.com/ServiceAccount') {
            for (const a of p.accounts) {
              out.push({
                name: `//iam.googleapis.com/projects/${p.project.projectId}/serviceAccounts/${a.account.uniqueId}`,
                assetType: type,
                ...common(p),
                ...(a.account.displayName ? { displayName: a.account.displayName } : {}),
                ...(a.account.description ? { description: a.account.description } : {}),
                additionalAttributes: { email: a.account.email, oauth2ClientId: a.account.oauth2ClientId ?? a.account.uniqueId },
                parentFullResourceName: `//cloudresourcemanager.googleapis.com/projects/${projectNumber(p)}`,
                versionedResources: [{ version: 'v1', resource: a.account }],
              });
            }
          }
          if (type === 'iam.googleapis.com/ServiceAccountKey') {
            for (const a of p.accounts) {
              for (const k of ((a.keys?.keys as Json[] | undefined) ?? []).filter((k) => k.keyType === 'USER_MANAGED')) {
                const id = String(k.name).slice(String(k.name).lastIndexOf('/') + 1);
                out.push({
                  name: `//iam.googleapis.com/projects/${p.project.projectId}/serviceAccounts/${a.account.uniqueId}/keys/${id}`,
                  assetType: type,
                  ...common(p),
                  parentFullResourceName: `//iam.googleapis.com/projects/${p.project.projectId}/serviceAccounts/${a.account.uniqueId}`,
                });
              }
            }
          }
        }
      }
      return out;
    };
    const policySearch = (scope: string): Json[] => {
      const out: Json[] = [];
      const push = (resource: string, policy: Json | undefined, extra: Json = {}) => {
        const bindings = (policy?.bindings as Binding[] | undefined) ?? [];
        if (bindings.length) out.push({ resource, ...extra, policy: { bindings } });
      };
      for (const o of estate.organizations ?? []) if (o.organization.name === scope) push(`//cloudresourcemanager.googleapis.com/${o.organization.name}`, o.policy, { organization: o.organization.name });
      for (const f of estate.folders ?? []) {
        if (f.folder.name === scope || ancestorsOf(f.folder.parent).includes(scope)) push(`//cloudresourcemanager.googleapis.com/${f.folder.name}`, f.policy, { folders: [f.folder.name] });
      }
      for (const p of estate.projects.filter((x) => inScope(scope, x))) {
        const project = `projects/${projectNumber(p)}`;
        push(`//cloudresourcemanager.googleapis.com/${project}`, p.policy, { project, assetType: 'cloudresourcemanager.googleapis.com/Project' });
        for (const a of p.accounts) {
          push(`//iam.googleapis.com/projects/${p.project.projectId}/serviceAccounts/${a.account.uniqueId}`, a.policy, { project, assetType: 'iam.googleapis.com/ServiceAccount' });
        }
      }
      return out;
    };
    const scopeKnown = (scope: string) =>
      (estate.organizations ?? []).some((o) => o.organization.name === scope) || (estate.folders ?? []).some((f) => f.folder.name === scope);

    return [
      {
        method: 'GET', id: 'cloudresourcemanager.projects.get', pattern: /^\/v3\/projects\/([^/:]+)$/,
        handle: (m) => this.project(m[1])?.project ?? denied(`projects/${m[1]}`),
      },
      {
        method: 'POST', id: 'cloudresourcemanager.projects.getIamPolicy', pattern: /^\/v3\/projects\/([^/:]+):getIamPolicy$/,
        handle: (m, _q, body) => {
          const p = this.project(m[1]);
          return p ? policyAnswer(p.policy, (body.options as Json | undefined)?.requestedPolicyVersion) : denied(`projects/${m[1]}`);
        },
      },
      {
        method: 'GET', id: 'cloudresourcemanager.projects.list', pattern: /^\/v3\/projects$/,
        handle: (_m, q) => this.page(estate.projects.filter((p) => p.project.parent === q.get('parent')).map((p) => p.project), 'projects', q),
      },
      {
        method: 'GET', id: 'cloudresourcemanager.folders.get', pattern: /^\/v3\/folders\/(\d+)$/,
        handle: (m) => estate.folders?.find((f) => f.folder.name === `folders/${m[1]}`)?.folder ?? denied(`folders/${m[1]}`),
      },
      {
        method: 'POST', id: 'cloudresourcemanager.folders.getIamPolicy', pattern: /^\/v3\/folders\/(\d+):getIamPolicy$/,
        handle: (m, _q, body) => {
          const f = estate.folders?.find((x) => x.folder.name === `folders/${m[1]}`);
          return f ? policyAnswer(f.policy, (body.options as Json | undefined)?.requestedPolicyVersion) : denied(`folders/${m[1]}`);
        },
      },
      {
        method: 'GET', id: 'cloudresourcemanager.folders.list', pattern: /^\/v3\/folders$/,
        handle: (_m, q) => this.page((estate.folders ?? []).filter((f) => f.folder.parent === q.get('parent')).map((f) => ({ ...f.folder, state: 'ACTIVE' })), 'folders', q),
      },
      {
        method: 'GET', id: 'cloudresourcemanager.organizations.get', pattern: /^\/v3\/organizations\/(\d+)$/,
        handle: (m) => estate.organizations?.find((o) => o.organization.name === `organizations/${m[1]}`)?.organization ?? denied(`organizations/${m[1]}`),
      },
      {
        method: 'POST', id: 'cloudresourcemanager.organizations.getIamPolicy', pattern: /^\/v3\/organizations\/(\d+):getIamPolicy$/,
        handle: (m, _q, body) => {
          const o = estate.organizations?.find((x) => x.organization.name === `organizations/${m[1]}`);
          return o ? policyAnswer(o.policy, (body.options as Json | undefined)?.requestedPolicyVersion) : denied(`organizations/${m[1]}`);
        },
      },
      {
        method: 'GET', id: 'iam.projects.serviceAccounts.list', pattern: /^\/v1\/projects\/([^/]+)\/serviceAccounts$/,
        handle: (m, q) => {
          const p = this.project(m[1]);
          return p ? this.page(p.accounts.map((a) => a.account), 'accounts', q) : denied(`projects/${m[1]}`);
        },
      },
      {
        method: 'GET', id: 'iam.projects.serviceAccounts.keys.list', pattern: /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/]+)\/keys$/,
        handle: (m) => account(this.project(m[1]), m[2])?.keys ?? notFound(`Service account ${decodeURIComponent(m[2])}`),
      },
      {
        method: 'POST', id: 'iam.projects.serviceAccounts.getIamPolicy', pattern: /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+):getIamPolicy$/,
        handle: (m, q) => {
          const a = account(this.project(m[1]), m[2]);
          return a ? policyAnswer(a.policy, q.get('options.requestedPolicyVersion')) : notFound(`Service account ${decodeURIComponent(m[2])}`);
        },
      },
      {
        method: 'GET', id: 'iam.projects.locations.workloadIdentityPools.list', pattern: /^\/v1\/projects\/([^/]+)\/locations\/global\/workloadIdentityPools$/,
        handle: (m, q) => {
          const p = this.project(m[1]);
          return p ? this.page((p.pools ?? []).map((x) => x.pool), 'workloadIdentityPools', q) : denied(`projects/${m[1]}`);
        },
      },
      {
        method: 'GET', id: 'iam.projects.locations.workloadIdentityPools.providers.list', pattern: /^\/v1\/projects\/([^/]+)\/locations\/global\/workloadIdentityPools\/([^/]+)\/providers$/,
        handle: (m, q) => {
          const pool = this.project(m[1])?.pools?.find((x) => x.pool.name.endsWith(`/workloadIdentityPools/${m[2]}`));
          return pool ? this.page(pool.providers, 'workloadIdentityPoolProviders', q) : notFound(`Pool ${m[2]}`);
        },
      },
      {
        method: 'GET', id: 'iam.projects.roles.list', pattern: /^\/v1\/projects\/([^/]+)\/roles$/,
        handle: (m, q) => {
          const p = this.project(m[1]);
          return p ? rolesOf(p.roles, q) : denied(`projects/${m[1]}`);
        },
      },
      {
        method: 'GET', id: 'iam.organizations.roles.list', pattern: /^\/v1\/organizations\/(\d+)\/roles$/,
        handle: (m, q) => {
          const o = estate.organizations?.find((x) => x.organization.name === `organizations/${m[1]}`);
          return o ? rolesOf(o.roles, q) : denied(`organizations/${m[1]}`);
        },
      },
      {
        method: 'GET', id: 'iam.roles.get', pattern: /^\/v1\/roles\/([^/]+)$/,
        handle: (m) => estate.roles?.find((r) => r.name === `roles/${m[1]}`) ?? notFound(`Role roles/${m[1]}`),
      },
      {
        method: 'GET', id: 'policyanalyzer.projects.locations.activityTypes.activities.query',
        pattern: /^\/v1\/projects\/([^/]+)\/locations\/global\/activityTypes\/([^/]+)\/activities:query$/,
        handle: (m, q) => {
          const p = this.project(m[1]);
          if (!p) return denied(`projects/${m[1]}`);
          const type = m[2] as keyof NonNullable<EmuProject['activities']>;
          return this.page(p.activities?.[type] ?? [], 'activities', q);
        },
      },
      {
        method: 'GET', id: 'cloudasset.searchAllResources', pattern: /^\/v1\/((?:organizations|folders)\/\d+):searchAllResources$/,
        handle: (m, q) => {
          const types = q.getAll('assetTypes');
          // Google reads a comma-joined value as one (unknown) asset type.
          const bad = types.find((t) => t.includes(','));
          if (bad) return { status: 400, body: googleError(400, `Invalid asset type: ${bad}`) };
          if (!scopeKnown(m[1])) return denied(m[1]);
          return this.page(assetSearch(m[1], types), 'results', q);
        },
      },
      {
        method: 'GET', id: 'cloudasset.searchAllIamPolicies', pattern: /^\/v1\/((?:organizations|folders)\/\d+):searchAllIamPolicies$/,
        handle: (m, q) => (scopeKnown(m[1]) ? this.page(policySearch(m[1]), 'results', q) : denied(m[1])),
      },
      {
        method: 'POST', id: 'iamcredentials.projects.serviceAccounts.generateAccessToken',
        pattern: /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/,
        handle: (m, _q, _body, principal) => {
          const target = decodeURIComponent(m[1]);
          if (!(this.opts.impersonation?.[target] ?? []).includes(principal)) {
            return denied(`iam.serviceAccounts.getAccessToken on ${target}`);
          }
          const token = `ya29.impersonated-${randomBytes(12).toString('hex')}`;
          this.tokens.set(token, target);
          return { accessToken: token, expireTime: new Date(Date.now() + 3600_000).toISOString() };
        },
      },
    ];
  }
}
