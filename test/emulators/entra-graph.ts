import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deliver, releaseSockets, type Spoil } from '../helpers/faults.js';
import type { AddressInfo } from 'node:net';

// A local stand-in for Microsoft Graph and the Microsoft identity platform on 127.0.0.1, over
// HTTPS (a test CA the client trusts through NODE_EXTRA_CA_CERTS), speaking their wire formats
// so the real @microsoft/microsoft-graph-client and @azure/identity can be pointed at it:
// - the authority: /{tenant}/v2.0/.well-known/openid-configuration (what MSAL reads before its
//   first token request) and /{tenant}/oauth2/v2.0/token (client credentials → a JWT whose tid
//   claim names the tenant), errors as {error, error_description, error_codes};
// - Graph v1.0 and beta: the OData envelope {"@odata.context", value, "@odata.nextLink"}, $select,
//   $top and $skiptoken paging, JSON $batch with a status per request, directoryObjects/getByIds,
//   Graph's error envelope {error:{code,message,innerError:{date,request-id,client-request-id}}}.
// Faults (errors, 429 with Retry-After — whole or inside a $batch —, hangs, trickled and HTML
// bodies) are injected per route; every request is logged so tests can count calls.

export type Entity = Record<string, unknown> & { id: string };

/** One tenant's directory, as Graph returns its objects. */
export interface TenantEstate {
  tenantId: string;
  organization: Entity[];
  servicePrincipals: Entity[];
  applications: Entity[];
  oauth2PermissionGrants: Entity[];
  roleAssignments: Entity[];
  roleEligibilitySchedules: Entity[];
  /** By service principal id. */
  spOwners: Record<string, Entity[]>;
  appRoleAssignments: Record<string, Entity[]>;
  sponsors: Record<string, Entity[]>;
  /** By application object id. */
  appOwners: Record<string, Entity[]>;
  federatedIdentityCredentials: Record<string, Entity[]>;
  /** Users that exist (enabled or not); an owner id missing here has been deleted. */
  users: Entity[];
  servicePrincipalSignInActivities: Record<string, unknown>[];
  appCredentialSignInActivities: Record<string, unknown>[];
}

/** Routes by template, e.g. "GET /servicePrincipals", "GET /servicePrincipals/{id}/owners", "POST /$batch", "POST /token". */
export interface Fault {
  route: string;
  /** Only this tenant (default: any). */
  tenant?: string;
  /** How many matching requests get the fault (default: all). */
  times?: number;
  /** Matching requests answered normally first (1: the second page breaks). */
  after?: number;
  error?: { status: number; code: string; message?: string; retryAfter?: string };
  /** The route's real answer, spoiled on the way (test/helpers/faults.ts): hangs, trickles, malformed or oversized bodies. */
  spoil?: Spoil;
  /** For requests inside a $batch: the fault is that request's own status, the batch itself succeeds. */
  inBatch?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  route: string;
  tenant?: string;
  /** For $batch: the route of each inner request. */
  inner?: string[];
}

export interface EmulatorOptions {
  tls: { key: string; cert: string };
  tenants: TenantEstate[];
  /** Largest page served whatever $top asks (Graph's own maximum is 999). */
  pageSize?: number;
  clientId: string;
  clientSecret: string;
  faults?: Fault[];
}

const V1_COLLECTIONS: Record<string, keyof TenantEstate> = {
  '/organization': 'organization',
  '/servicePrincipals': 'servicePrincipals',
  '/applications': 'applications',
  '/oauth2PermissionGrants': 'oauth2PermissionGrants',
  '/roleManagement/directory/roleAssignments': 'roleAssignments',
  '/roleManagement/directory/roleEligibilitySchedules': 'roleEligibilitySchedules',
};
const BETA_COLLECTIONS: Record<string, keyof TenantEstate> = {
  '/reports/servicePrincipalSignInActivities': 'servicePrincipalSignInActivities',
  '/reports/appCredentialSignInActivities': 'appCredentialSignInActivities',
};
const PER_OBJECT: [RegExp, string, keyof TenantEstate][] = [
  [/^\/servicePrincipals\/([^/]+)\/owners$/, '/servicePrincipals/{id}/owners', 'spOwners'],
  [/^\/servicePrincipals\/([^/]+)\/appRoleAssignments$/, '/servicePrincipals/{id}/appRoleAssignments', 'appRoleAssignments'],
  [/^\/servicePrincipals\/([^/]+)\/microsoft\.graph\.agentIdentity\/sponsors$/, '/servicePrincipals/{id}/microsoft.graph.agentIdentity/sponsors', 'sponsors'],
  [/^\/servicePrincipals\/([^/]+)\/microsoft\.graph\.agentIdentityBlueprintPrincipal\/sponsors$/, '/servicePrincipals/{id}/microsoft.graph.agentIdentityBlueprintPrincipal/sponsors', 'sponsors'],
  [/^\/applications\/([^/]+)\/owners$/, '/applications/{id}/owners', 'appOwners'],
  [/^\/applications\/([^/]+)\/federatedIdentityCredentials$/, '/applications/{id}/federatedIdentityCredentials', 'federatedIdentityCredentials'],
];

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class EntraGraphEmulator {
  readonly requests: LoggedRequest[] = [];
  private faults: (Fault & { seen: number; used: number })[] = [];
  private readonly server: Server;
  url = '';

  private constructor(private readonly opts: EmulatorOptions) {
    this.server = createServer({ key: opts.tls.key, cert: opts.tls.cert }, (req, res) => void this.handle(req, res));
    this.reset(opts.faults ?? []);
  }

  static async start(opts: EmulatorOptions): Promise<EntraGraphEmulator> {
    const emulator = new EntraGraphEmulator(opts);
    await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', resolve));
    emulator.url = `https://127.0.0.1:${(emulator.server.address() as AddressInfo).port}`;
    return emulator;
  }

  /** Clears the request log and sets new faults. */
  reset(faults: Fault[] = []): void {
    this.requests.length = 0;
    this.faults = faults.map((f) => ({ ...f, seen: 0, used: 0 }));
    releaseSockets(this.server);
  }

  close(): Promise<void> {
    releaseSockets(this.server);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Environment for a CLI child: client-secret credentials through DefaultAzureCredential's environment path. */
  env(tenant = this.opts.tenants[0].tenantId): Record<string, string> {
    return {
      AZURE_TENANT_ID: tenant,
      AZURE_CLIENT_ID: this.opts.clientId,
      AZURE_CLIENT_SECRET: this.opts.clientSecret,
      AZURE_AUTHORITY_HOST: this.url,
      AGENTSCAN_GRAPH_URL: this.url,
      AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
    };
  }

  /** An access token as the token endpoint issues it (for AZURE_ACCESS_TOKEN). */
  mintToken(tenant: string): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = { aud: this.url, iss: `${this.url}/${tenant}/v2.0`, tid: tenant, appid: this.opts.clientId, roles: ['Application.Read.All'], iat: now, nbf: now, exp: now + 3600 };
    return `${b64url({ typ: 'JWT', alg: 'RS256' })}.${b64url(claims)}.${Buffer.from('emulator-signature').toString('base64url')}`;
  }

  /** Which tenant a bearer token was issued for, or undefined when it is not one of ours. */
  private tokenTenant(header: string | undefined): string | undefined {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    try {
      const claims = JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString()) as { tid?: string; aud?: string; exp?: number };
      if (claims.aud !== this.url || !claims.exp || claims.exp * 1000 < Date.now()) return undefined;
      return claims.tid;
    } catch {
      return undefined;
    }
  }

  private fault(route: string, tenant: string | undefined, inBatch: boolean) {
    for (const f of this.faults) {
      if (f.route !== route || (f.tenant && f.tenant !== tenant) || !!f.inBatch !== inBatch) continue;
      f.seen++;
      if (f.seen <= (f.after ?? 0)) continue;
      if (f.times !== undefined && f.used >= f.times) continue;
      f.used++;
      return f;
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';

    // ---- the authority ----
    const openid = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (openid) {
      this.requests.push({ method, path: url.pathname, route: 'GET /openid-configuration', tenant: openid[1] });
      return send(res, { status: 200, body: this.openidConfiguration(openid[1]) });
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (token && method === 'POST') {
      this.requests.push({ method, path: url.pathname, route: 'POST /token', tenant: token[1] });
      const f = this.fault('POST /token', token[1], false);
      if (f && !f.spoil) return send(res, oauthError(f.error?.status ?? 400, f.error?.code ?? 'temporarily_unavailable', f.error?.message ?? 'AADSTS50000: There was an error issuing a token.'));
      return send(res, this.tokenAnswer(token[1], new URLSearchParams(body)), f?.spoil);
    }

    // ---- Graph ----
    const m = /^\/(v1\.0|beta)(\/.*)$/.exec(url.pathname);
    if (!m) {
      this.requests.push({ method, path: url.pathname, route: `${method} ${url.pathname}` });
      return send(res, graphError(404, 'UnknownPath', `No route for ${url.pathname}`));
    }
    const [, version, path] = m;
    const tenant = this.tokenTenant(req.headers.authorization);
    if (path === '/$batch' && method === 'POST') return this.batch(res, version, tenant, body, url.pathname);
    const route = routeOf(method, version, path);
    this.requests.push({ method, path: `${url.pathname}${url.search}`, route, tenant });
    if (!tenant) return send(res, graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.'));
    const f = this.fault(route, tenant, false);
    if (f?.error) return send(res, graphError(f.error.status, f.error.code, f.error.message, f.error.retryAfter));
    return send(res, this.answer(method, version, path, url.searchParams, body, tenant), f?.spoil);
  }

  private openidConfiguration(tenant: string) {
    const base = `${this.url}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${this.url}/${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.url}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'tid'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: new URL(this.url).host,
      rbac_url: 'https://pas.windows.net',
    };
  }

  private tokenAnswer(tenant: string, form: URLSearchParams): Answer {
    if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    if (!this.opts.tenants.some((t) => t.tenantId === tenant)) {
      return oauthError(400, 'invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found.`);
    }
    if (form.get('client_id') !== this.opts.clientId || form.get('client_secret') !== this.opts.clientSecret) {
      return oauthError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    if (form.get('scope') !== `${this.url}/.default`) return oauthError(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${form.get('scope')} is not valid.`);
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.mintToken(tenant) } };
  }

  private estate(tenant: string): TenantEstate | undefined {
    return this.opts.tenants.find((t) => t.tenantId === tenant);
  }

  private answer(method: string, version: string, path: string, query: URLSearchParams, body: string, tenant: string): Answer {
    const estate = this.estate(tenant);
    if (!estate) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const collections = version === 'beta' ? BETA_COLLECTIONS : V1_COLLECTIONS;
    const select = query.get('$select')?.split(',').filter(Boolean);
    if (method === 'GET' && version === 'v1.0' && path === '/servicePrincipals/microsoft.graph.agentIdentity') {
      const agents = estate.servicePrincipals.filter((sp) => sp['@odata.type'] === '#microsoft.graph.agentIdentity');
      return { status: 200, body: this.page(version, path, agents, query, select) };
    }
    if (method === 'GET' && collections[path]) {
      const items = estate[collections[path]] as Entity[];
      return { status: 200, body: this.page(version, path, items, query, select) };
    }
    if (method === 'POST' && path === '/directoryObjects/getByIds' && version === 'v1.0') {
      let request: { ids?: unknown; types?: unknown };
      try {
        request = JSON.parse(body) as typeof request;
      } catch {
        return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
      }
      if (!Array.isArray(request.ids) || request.ids.length === 0 || request.ids.length > 1000) {
        return graphError(400, 'Request_BadRequest', 'Invalid value specified for property \'ids\' of resource \'directoryObject\'.');
      }
      const ids = new Set(request.ids as string[]);
      const found = estate.users.filter((u) => ids.has(u.id)).map((u) => ({ '@odata.type': '#microsoft.graph.user', ...pick(u, select) }));
      return { status: 200, body: { '@odata.context': `${this.url}/v1.0/$metadata#directoryObjects`, value: found } };
    }
    for (const [pattern, , key] of PER_OBJECT) {
      const hit = pattern.exec(path);
      // Flexible federated credentials (claimsMatchingExpression) are beta; everything else v1.0.
      const wanted = key === 'federatedIdentityCredentials' ? 'beta' : 'v1.0';
      if (!hit || method !== 'GET' || version !== wanted) continue;
      const byId = estate[key] as Record<string, Entity[]>;
      const parent = key === 'appOwners' || key === 'federatedIdentityCredentials' ? estate.applications : estate.servicePrincipals;
      if (!parent.some((o) => o.id === hit[1])) {
        return graphError(404, 'Request_ResourceNotFound', `Resource '${hit[1]}' does not exist or one of its queried reference-property objects are not present.`);
      }
      return { status: 200, body: this.page(version, path, byId[hit[1]] ?? [], query, select) };
    }
    return graphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`);
  }

  /** One page of a collection: $top (at most pageSize) from $skiptoken, with a nextLink when more remain. */
  private page(version: string, path: string, items: Entity[], query: URLSearchParams, select: string[] | undefined) {
    const top = Math.min(Number(query.get('$top') ?? 100) || 100, this.opts.pageSize ?? 999, 999);
    const skip = query.get('$skiptoken') ? Number(Buffer.from(query.get('$skiptoken')!, 'base64url').toString()) : 0;
    const value = items.slice(skip, skip + top).map((item) => pick(item, select));
    const entitySet = path.split('/').filter(Boolean).join('/');
    const out: Record<string, unknown> = {
      '@odata.context': `${this.url}/${version}/$metadata#${entitySet}${select ? `(${select.join(',')})` : ''}`,
      value,
    };
    if (skip + top < items.length) {
      const next = new URLSearchParams(query);
      next.set('$skiptoken', Buffer.from(String(skip + top)).toString('base64url'));
      out['@odata.nextLink'] = `${this.url}/${version}${path}?${decodeURIComponent(next.toString())}`;
    }
    return out;
  }

  private batch(res: ServerResponse, version: string, tenant: string | undefined, body: string, fullPath: string): void {
    let requests: { id?: unknown; method?: unknown; url?: unknown }[];
    try {
      requests = (JSON.parse(body) as { requests: typeof requests }).requests;
    } catch {
      this.requests.push({ method: 'POST', path: fullPath, route: `POST /${version}/$batch` });
      return send(res, graphError(400, 'BadRequest', 'Unable to read JSON request payload.'));
    }
    const inner = requests.map((r) => routeOf(String(r.method), version, new URL(String(r.url).replace(/^\/?/, '/'), 'https://x').pathname));
    this.requests.push({ method: 'POST', path: fullPath, route: `POST /${version}/$batch`, tenant, inner });
    if (!tenant) return send(res, graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.'));
    const f = this.fault(`POST /${version}/$batch`, tenant, false);
    if (f?.error) return send(res, graphError(f.error.status, f.error.code, f.error.message, f.error.retryAfter));
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > 20) {
      return send(res, graphError(400, 'Request_BadRequest', 'The number of requests in a batch must be between 1 and 20.'));
    }
    const responses = requests.map((r, i) => {
      const rel = new URL(String(r.url).replace(/^\/?/, '/'), this.url);
      const innerFault = this.fault(inner[i], tenant, true);
      const a = innerFault
        ? graphError(innerFault.error!.status, innerFault.error!.code, innerFault.error!.message, innerFault.error!.retryAfter)
        : this.answer(String(r.method), version, rel.pathname, rel.searchParams, '', tenant);
      return { id: r.id, status: a.status, headers: { 'Content-Type': 'application/json', ...a.headers }, body: a.body };
    });
    send(res, { status: 200, body: { responses } }, f?.spoil);
  }
}

function routeOf(method: string, version: string, path: string): string {
  const beta = version === 'beta' ? 'beta ' : '';
  for (const [pattern, template] of PER_OBJECT) if (pattern.test(path)) return `${method} ${beta}${template}`;
  return `${method} ${beta}${path}`;
}

function pick(item: Entity, select: string[] | undefined): Record<string, unknown> {
  if (!select) return { ...item };
  const out: Record<string, unknown> = {};
  if (item['@odata.type']) out['@odata.type'] = item['@odata.type'];
  for (const k of select) if (k in item) out[k] = item[k];
  return out;
}

function send(res: ServerResponse, a: Answer, spoil?: Spoil): void {
  const text = a.body === undefined ? '' : JSON.stringify(a.body);
  const headers = {
    'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    'request-id': randomUUID(),
    ...a.headers,
  };
  deliver(res, { status: a.status, headers, body: text }, spoil);
}

export function graphError(status: number, code: string, message = code, retryAfter?: string): Answer {
  return {
    status,
    headers: retryAfter !== undefined ? { 'Retry-After': retryAfter } : undefined,
    body: { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } },
  };
}

function oauthError(status: number, error: string, description: string): Answer {
  const code = Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0);
  return {
    status,
    body: {
      error,
      error_description: `${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}
