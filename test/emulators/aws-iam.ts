import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliver, releaseSockets, type BodyFault, type Spoil, type StallFault } from '../helpers/faults.js';

// A local stand-in for IAM, STS and Organizations on 127.0.0.1, speaking their wire protocols
// so the real AWS SDK clients can be pointed at it (AWS_ENDPOINT_URL):
// - IAM and STS: the query protocol — form-encoded POST with Action=…, XML answers
//   <ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata><RequestId>,
//   lists as <member> elements, errors as <ErrorResponse><Error><Type>Sender</Type><Code>…;
// - Organizations: JSON 1.1 — X-Amz-Target: AWSOrganizationsV20161128.ListAccounts, errors as {"__type": …}.
// The service comes from the SigV4 credential scope and the account from the access key id,
// as AWS itself decides them. Faults (throttling, denials, broken bodies) are injected per
// action and account; every request is logged so tests can count calls.

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ORGS_TARGET = 'AWSOrganizationsV20161128.';

/** One account's IAM data, in the shapes the SDK returns (policy documents URL-encoded, dates ISO). */
export interface AccountEstate {
  id: string;
  alias?: string;
  users: Record<string, unknown>[];
  groups: Record<string, unknown>[];
  /** RoleDetail objects; a `Description` on one is served by ListRoles only, as IAM does. */
  roles: Record<string, unknown>[];
  policies: Record<string, unknown>[];
  /** The credential report CSV, as IAM generates it. */
  credentialReport: string;
  accessKeys: Record<string, { UserName: string; AccessKeyId: string; Status: string; CreateDate: string }[]>;
  keyLastUsed: Record<string, { UserName?: string; AccessKeyLastUsed: { LastUsedDate?: string; ServiceName: string; Region: string } }>;
}

export interface Fault {
  /** The API action, e.g. GetAccountAuthorizationDetails, AssumeRole, ListAccounts. */
  action: string;
  /** Only requests for this account (default: any). */
  account?: string;
  /** How many matching requests fail; then the action works (default: all of them). */
  times?: number;
  /** Matching requests answered normally before the fault starts (e.g. 1: the second page breaks). */
  after?: number;
  error?: { code: string; status: number; message?: string };
  /** A 200 answer whose body is cut in half, not XML/JSON at all, empty, an HTML error page,
   * or well-formed XML without the action's result (wrong-shape). */
  body?: BodyFault | 'wrong-shape';
  /** The answer never comes, stops after the headers, or trickles in a byte at a time. */
  stall?: StallFault;
  /** The answer padded to this many bytes. */
  bytes?: number;
  /** Any spoiled delivery of test/helpers/faults.ts (instead of body, stall and bytes). */
  spoil?: Spoil;
}

export const throttle = (action: string, times: number, account?: string): Fault => ({
  action,
  account,
  times,
  error: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
});
export const deny = (action: string, account?: string): Fault => ({ action, account, error: { code: 'AccessDenied', status: 403 } });
export const malformed = (action: string, body: Fault['body'], after = 0): Fault => ({ action, body, after, times: 1 });
export const stalled = (action: string, stall: StallFault, times?: number): Fault => ({ action, stall, times });

export interface OrgAccount {
  Id: string;
  Name: string;
  State: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';
}

/** The organisation's tree and control policies (DescribeOrganization, ListRoots, … ListTargetsForPolicy). */
export interface OrgTree {
  id: string;
  /** The management account (default: the home account). */
  management?: string;
  rootId: string;
  ous: { Id: string; Name: string; parent: string }[];
  /** Each member account's parent (the root or an OU). */
  accountParents: Record<string, string>;
  policies: { Id: string; Name: string; Type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'; Content: unknown; targets: string[] }[];
}

export interface EmulatorOptions {
  accounts: AccountEstate[];
  /** The account of the base credentials (default: the first). */
  home?: string;
  /** The ARN and user id GetCallerIdentity answers for the base credentials. */
  callerArn?: string;
  callerUserId?: string;
  /** GetAccountAuthorizationDetails items per page at most (IAM may return fewer than MaxItems). */
  pageSize?: number;
  /** INPROGRESS answers after STARTED before a credential report is COMPLETE. */
  reportPolls?: number;
  /** The role name AssumeRole accepts in every account. */
  assumableRole?: string;
  /** Organization members ListAccounts returns (from the home account), two a page. */
  organization?: OrgAccount[];
  orgTree?: OrgTree;
  faults?: Fault[];
  /** Delay before every answer, so concurrent work overlaps measurably. */
  latencyMs?: number;
}

export interface LoggedRequest {
  service: string;
  /** The region the request was signed for. */
  region: string;
  action: string;
  account: string;
  status: number;
}

/** The base credentials; assumed-role keys are minted by AssumeRole. */
export const BASE_ACCESS_KEY = 'AKIAEMULATORBASE0001';
export const BASE_SECRET_KEY = 'emulator-base-secret-key-do-not-print';

export class AwsIamEmulator {
  readonly requests: LoggedRequest[] = [];
  /** Secrets this emulator handed out; tests check none of them leaks into output. */
  readonly issuedSecrets: string[] = [BASE_SECRET_KEY];
  maxAccountsInFlight = 0;
  private readonly inFlight = new Map<string, number>();
  private readonly assumed = new Map<string, { account: string; role: string }>();
  private readonly reports = new Map<string, { started: boolean; pollsLeft: number }>();
  private faults: (Fault & { left: number; pass: number })[] = [];
  private server!: Server;
  url = '';

  private constructor(private opts: EmulatorOptions) {
    this.reset({});
  }

  /** New options for the next test on the same server: request log, reports and faults (unless given) start afresh. */
  reset(changes: Partial<EmulatorOptions>): this {
    this.opts = { ...this.opts, faults: [], ...changes };
    this.faults = (this.opts.faults ?? []).map((f) => ({ ...f, left: f.times ?? Infinity, pass: f.after ?? 0 }));
    this.requests.length = 0;
    this.reports.clear();
    this.maxAccountsInFlight = 0;
    return this;
  }

  static async start(opts: EmulatorOptions): Promise<AwsIamEmulator> {
    const emulator = new AwsIamEmulator(opts);
    emulator.server = createServer((req, res) => void emulator.handle(req, res));
    await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', resolve));
    emulator.url = `http://127.0.0.1:${(emulator.server.address() as AddressInfo).port}`;
    return emulator;
  }

  close(): Promise<void> {
    releaseSockets(this.server);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Environment for an SDK (in-process or a CLI child) that reaches only this emulator; undefined unsets. */
  env(): Record<string, string | undefined> {
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_ACCESS_KEY_ID: BASE_ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: BASE_SECRET_KEY,
      AWS_SESSION_TOKEN: undefined,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: '/nonexistent/agentscan-test-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/agentscan-test-aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AGENTSCAN_AWS_MAX_BACKOFF_MS: '2',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }

  get home(): string {
    return this.opts.home ?? this.opts.accounts[0].id;
  }

  count(action: string, account?: string): number {
    return this.requests.filter((r) => r.action === action && (!account || r.account === account)).length;
  }

  /** Requests per action, e.g. { GetAccountAuthorizationDetails: 3, … }. */
  counts(account?: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests) if (!account || r.account === account) out[r.action] = (out[r.action] ?? 0) + 1;
    return out;
  }

  // ── request handling ──────────────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
    const target = String(req.headers['x-amz-target'] ?? '');
    const service = scope?.[3] ?? (target ? 'organizations' : 'unknown');
    const action = target.startsWith(ORGS_TARGET) ? target.slice(ORGS_TARGET.length) : (new URLSearchParams(body).get('Action') ?? '');
    const accessKeyId = scope?.[1] ?? '';
    const account = scope ? this.accountOf(accessKeyId) : undefined;
    const key = account ?? '?';
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    this.maxAccountsInFlight = Math.max(this.maxAccountsInFlight, [...this.inFlight.values()].filter((n) => n > 0).length);
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));

    const answer = this.answer(service, action, accessKeyId, account, body);
    this.inFlight.set(key, this.inFlight.get(key)! - 1);
    this.requests.push({ service, region: scope?.[2] ?? '', action, account: key, status: answer.status });
    deliver(res, { status: answer.status, headers: { 'content-type': answer.type, 'x-amzn-requestid': answer.requestId }, body: answer.body }, answer.spoil);
  }

  private accountOf(accessKeyId: string): string | undefined {
    if (accessKeyId === BASE_ACCESS_KEY) return this.home;
    return this.assumed.get(accessKeyId)?.account;
  }

  private callerArn(accessKeyAccount: string, assumedRole?: string): string {
    if (assumedRole) return `arn:aws:sts::${accessKeyAccount}:assumed-role/${assumedRole}/agentscan`;
    return this.opts.callerArn ?? `arn:aws:iam::${accessKeyAccount}:user/scanner`;
  }

  private answer(service: string, action: string, accessKeyId: string, account: string | undefined, body: string): Answer {
    const json = service === 'organizations';
    const ns = service === 'sts' ? STS_NS : IAM_NS;
    if (!account) {
      return json
        ? jsonError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.')
        : xmlError(ns, 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
    }
    const fault = this.activeFault(action, account);
    if (fault?.error) {
      fault.left--;
      const permission = `${service === 'organizations' ? 'organizations' : service}:${action}`;
      const message = fault.error.message ?? `User: ${this.callerArn(account)} is not authorized to perform: ${permission}`;
      return json ? jsonError(`${fault.error.code}Exception`.replace('ExceptionException', 'Exception'), fault.error.status, message)
        : xmlError(ns, fault.error.code, fault.error.status, message);
    }
    const ok = json ? this.organizations(action, account, body) : service === 'sts' ? this.sts(action, accessKeyId, account, body) : this.iam(action, account, body);
    if (fault && ok.status === 200) {
      fault.left--;
      if (fault.body === 'wrong-shape') return { ...ok, body: ok.body.replace(/<(\w+)Result>.*<\/\1Result>/s, '<$1Result><Unexpected>1</Unexpected></$1Result>') };
      return { ...ok, spoil: fault.spoil ?? { body: fault.body, stall: fault.stall, bytes: fault.bytes } };
    }
    return ok;
  }

  /** The first fault for this request, counting down the requests each fault lets through first. */
  private activeFault(action: string, account: string) {
    const matching = this.faults.filter((f) => f.action === action && (!f.account || f.account === account) && f.left > 0);
    for (const f of matching) {
      if (f.pass > 0) f.pass--;
      else return f;
    }
    return undefined;
  }

  // ── STS ───────────────────────────────────────────────────────────────────────────────────

  private sts(action: string, accessKeyId: string, account: string, body: string): Answer {
    const params = new URLSearchParams(body);
    if (action === 'GetCallerIdentity') {
      const assumed = this.assumed.get(accessKeyId);
      const arn = this.callerArn(account, assumed?.role);
      return xmlOk(STS_NS, action, { Arn: arn, UserId: assumed ? `AROAEMULATOR${account}:agentscan` : (this.opts.callerUserId ?? 'AIDAEMULATORSCANNER'), Account: account });
    }
    if (action === 'AssumeRole') {
      const roleArn = params.get('RoleArn') ?? '';
      const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
      const known = m && this.opts.accounts.some((a) => a.id === m[1]) && m[2] === this.opts.assumableRole;
      if (!m || !known) {
        return xmlError(STS_NS, 'AccessDenied', 403, `User: ${this.callerArn(account)} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      }
      const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
      const secret = `emulator-secret-${randomBytes(12).toString('hex')}`;
      const token = `emulator-session-token-${randomBytes(24).toString('hex')}`;
      this.issuedSecrets.push(secret, token);
      this.assumed.set(accessKeyId, { account: m[1], role: m[2] });
      return xmlOk(STS_NS, action, {
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretAccessKey: secret,
          SessionToken: token,
          Expiration: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
        AssumedRoleUser: { AssumedRoleId: `AROAEMULATOR${m[1]}:${params.get('RoleSessionName')}`, Arn: this.callerArn(m[1], m[2]) },
      });
    }
    return xmlError(STS_NS, 'InvalidAction', 400, `Could not find operation ${action}`);
  }

  // ── IAM ───────────────────────────────────────────────────────────────────────────────────

  private iam(action: string, account: string, body: string): Answer {
    const params = new URLSearchParams(body);
    const estate = this.opts.accounts.find((a) => a.id === account)!;
    switch (action) {
      case 'GetAccountAuthorizationDetails':
        return xmlOk(IAM_NS, action, this.authorizationPage(estate, params));
      case 'ListRoles':
        return xmlOk(IAM_NS, action, this.rolesPage(estate, params));
      case 'ListAccountAliases':
        return xmlOk(IAM_NS, action, { AccountAliases: estate.alias ? [estate.alias] : [], IsTruncated: false });
      case 'GenerateCredentialReport':
        return xmlOk(IAM_NS, action, this.generateReport(account));
      case 'GetCredentialReport': {
        const state = this.reports.get(account);
        if (!state?.started) return xmlError(IAM_NS, 'ReportNotPresent', 410, 'Credential report not present.');
        if (state.pollsLeft > 0) {
          state.pollsLeft--;
          return xmlError(IAM_NS, 'ReportInProgress', 404, 'Credential report is being generated.');
        }
        return xmlOk(IAM_NS, action, {
          Content: Buffer.from(estate.credentialReport, 'utf8').toString('base64'),
          ReportFormat: 'text/csv',
          GeneratedTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        });
      }
      case 'ListAccessKeys': {
        const user = params.get('UserName') ?? '';
        const exists = estate.users.some((u) => u.UserName === user) || estate.credentialReport.includes(`\n${user},`);
        if (!exists) return xmlError(IAM_NS, 'NoSuchEntity', 404, `The user with name ${user} cannot be found.`);
        return xmlOk(IAM_NS, action, { AccessKeyMetadata: estate.accessKeys[user] ?? [], IsTruncated: false });
      }
      case 'GetAccessKeyLastUsed': {
        const used = estate.keyLastUsed[params.get('AccessKeyId') ?? ''];
        if (!used) return xmlError(IAM_NS, 'AccessDenied', 403, 'The access key does not belong to this account.');
        return xmlOk(IAM_NS, action, used);
      }
      default:
        return xmlError(IAM_NS, 'InvalidAction', 400, `Could not find operation ${action}`);
    }
  }

  private generateReport(account: string): { State: string; Description?: string } {
    const state = this.reports.get(account);
    if (!state) {
      this.reports.set(account, { started: true, pollsLeft: this.opts.reportPolls ?? 0 });
      return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
    }
    if (state.pollsLeft > 0) {
      state.pollsLeft--;
      return { State: 'INPROGRESS' };
    }
    return { State: 'COMPLETE' };
  }

  /** Items in IAM's order (users, groups, roles, policies), cut into pages; the Marker is opaque. */
  private authorizationPage(estate: AccountEstate, params: URLSearchParams): Record<string, unknown> {
    const items: [string, Record<string, unknown>][] = [
      ...estate.users.map((u) => ['UserDetailList', u] as [string, Record<string, unknown>]),
      ...estate.groups.map((g) => ['GroupDetailList', g] as [string, Record<string, unknown>]),
      ...estate.roles.map(({ Description, ...r }) => ['RoleDetailList', r] as [string, Record<string, unknown>]),
      ...estate.policies.map((p) => ['Policies', p] as [string, Record<string, unknown>]),
    ];
    const { slice, paging } = this.pageOf(items, params);
    const page: Record<string, unknown> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const [list, item] of slice) (page[list] as unknown[]).push(item);
    return { ...page, ...paging };
  }

  /** ListRoles' Role objects: no tags, boundary or last use (IAM returns those from GetRole only). */
  private rolesPage(estate: AccountEstate, params: URLSearchParams): Record<string, unknown> {
    const roles = estate.roles.map((r) => {
      const { Path, RoleName, RoleId, Arn, CreateDate, AssumeRolePolicyDocument, Description } = r;
      return { Path, RoleName, RoleId, Arn, CreateDate, AssumeRolePolicyDocument, ...(Description ? { Description } : {}), MaxSessionDuration: 3600 };
    });
    const { slice, paging } = this.pageOf(roles, params);
    return { Roles: slice, ...paging };
  }

  private pageOf<T>(items: T[], params: URLSearchParams): { slice: T[]; paging: { IsTruncated: boolean; Marker?: string } } {
    const start = params.get('Marker') ? Number(Buffer.from(params.get('Marker')!, 'base64').toString().replace('offset:', '')) : 0;
    const size = Math.min(Number(params.get('MaxItems') ?? 100), this.opts.pageSize ?? 100);
    const truncated = start + size < items.length;
    return {
      slice: items.slice(start, start + size),
      paging: truncated ? { IsTruncated: true, Marker: Buffer.from(`offset:${start + size}`).toString('base64') } : { IsTruncated: false },
    };
  }

  // ── Organizations (JSON 1.1) ──────────────────────────────────────────────────────────────

  private organizations(action: string, account: string, body: string): Answer {
    if (action !== 'ListAccounts') return orgTreeAnswer(this.opts.orgTree, this.home, action, account, JSON.parse(body || '{}') as Record<string, string>);
    if (!this.opts.organization || account !== this.home) {
      return jsonError('AWSOrganizationsNotInUseException', 400, 'Your account is not a member of an organization.');
    }
    const input = JSON.parse(body || '{}') as { NextToken?: string };
    const start = input.NextToken ? Number(input.NextToken.replace('page-', '')) : 0;
    const accounts = this.opts.organization.slice(start, start + 2).map((a) => ({
      Id: a.Id,
      Arn: `arn:aws:organizations::${this.home}:account/o-emulator/${a.Id}`,
      Email: `${a.Name}@example.com`,
      Name: a.Name,
      Status: a.State === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED',
      State: a.State,
      JoinedMethod: 'CREATED',
      JoinedTimestamp: 1_700_000_000,
    }));
    const next = start + 2 < this.opts.organization.length ? `page-${start + 2}` : undefined;
    return {
      status: 200,
      type: 'application/x-amz-json-1.1',
      requestId: randomUUID(),
      body: JSON.stringify(next ? { Accounts: accounts, NextToken: next } : { Accounts: accounts }),
    };
  }
}

// ── Organizations: the tree and its policies, two items a page ──────────────────────────────

function jsonOk(body: Record<string, unknown>): Answer {
  return { status: 200, type: 'application/x-amz-json-1.1', requestId: randomUUID(), body: JSON.stringify(body) };
}

function jsonPage(list: string, items: unknown[], token: string | undefined): Answer {
  const start = token ? Number(token.replace('page-', '')) : 0;
  const next = start + 2 < items.length ? `page-${start + 2}` : undefined;
  return jsonOk({ [list]: items.slice(start, start + 2), ...(next ? { NextToken: next } : {}) });
}

function orgTreeAnswer(tree: OrgTree | undefined, home: string, action: string, account: string, input: Record<string, string>): Answer {
  if (!tree || account !== home) return jsonError('AWSOrganizationsNotInUseException', 400, 'Your account is not a member of an organization.');
  const management = tree.management ?? home;
  const orgArn = `arn:aws:organizations::${management}:organization/${tree.id}`;
  const ouArn = (id: string) => `arn:aws:organizations::${management}:ou/${tree.id}/${id}`;
  const policyArn = (p: OrgTree['policies'][number]) =>
    `arn:aws:organizations::${management}:policy/${tree.id}/${p.Type.toLowerCase()}/${p.Id}`;
  const summary = (p: OrgTree['policies'][number]) => ({ Id: p.Id, Arn: policyArn(p), Name: p.Name, Description: '', Type: p.Type, AwsManaged: p.Id === 'p-FullAWSAccess' });
  const typeOf = (id: string) => (id.startsWith('r-') ? 'ROOT' : id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT');
  switch (action) {
    case 'DescribeOrganization':
      return jsonOk({
        Organization: { Id: tree.id, Arn: orgArn, FeatureSet: 'ALL', MasterAccountArn: `arn:aws:organizations::${management}:account/${tree.id}/${management}`, MasterAccountId: management, MasterAccountEmail: 'aws-management@example.com' },
      });
    case 'ListRoots':
      return jsonPage('Roots', [{ Id: tree.rootId, Arn: `arn:aws:organizations::${management}:root/${tree.id}/${tree.rootId}`, Name: 'Root', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }, { Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' }] }], input.NextToken);
    case 'ListOrganizationalUnitsForParent':
      return jsonPage('OrganizationalUnits', tree.ous.filter((u) => u.parent === input.ParentId).map((u) => ({ Id: u.Id, Arn: ouArn(u.Id), Name: u.Name })), input.NextToken);
    case 'ListAccountsForParent':
      return jsonPage('Accounts', Object.entries(tree.accountParents).filter(([, parent]) => parent === input.ParentId).map(([id]) => ({
        Id: id, Arn: `arn:aws:organizations::${management}:account/${tree.id}/${id}`, Email: `${id}@example.com`, Name: `account-${id}`, Status: 'ACTIVE', State: 'ACTIVE', JoinedMethod: 'CREATED', JoinedTimestamp: 1_700_000_000,
      })), input.NextToken);
    case 'ListPolicies':
      return jsonPage('Policies', tree.policies.filter((p) => p.Type === input.Filter).map(summary), input.NextToken);
    case 'DescribePolicy': {
      const p = tree.policies.find((x) => x.Id === input.PolicyId);
      if (!p) return jsonError('PolicyNotFoundException', 400, `We can't find a policy with the PolicyId that you specified.`);
      return jsonOk({ Policy: { PolicySummary: summary(p), Content: JSON.stringify(p.Content) } });
    }
    case 'ListTargetsForPolicy': {
      const p = tree.policies.find((x) => x.Id === input.PolicyId);
      if (!p) return jsonError('PolicyNotFoundException', 400, `We can't find a policy with the PolicyId that you specified.`);
      return jsonPage('Targets', p.targets.map((t) => ({ TargetId: t, Arn: typeOf(t) === 'ORGANIZATIONAL_UNIT' ? ouArn(t) : `arn:aws:organizations::${management}:${typeOf(t) === 'ROOT' ? 'root' : 'account'}/${tree.id}/${t}`, Name: t, Type: typeOf(t) })), input.NextToken);
    }
    default:
      return jsonError('InvalidInputException', 400, `Unknown operation ${action}`);
  }
}

// ── wire encoding ───────────────────────────────────────────────────────────────────────────

interface Answer {
  status: number;
  type: string;
  requestId: string;
  body: string;
  spoil?: Spoil;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** IAM writes timestamps without milliseconds: 2025-10-04T14:12:09Z. */
const wireText = (v: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(v) ? v.replace('.000Z', 'Z') : v);

/** The query protocol's XML: structures as nested elements, lists as <member> items. */
export function toXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml('member', v)).join('')}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => toXml(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(wireText(String(value)))}</${name}>`;
}

function xmlOk(ns: string, action: string, result: Record<string, unknown>): Answer {
  const requestId = randomUUID();
  const inner = Object.entries(result).map(([k, v]) => toXml(k, v)).join('');
  return {
    status: 200,
    type: 'text/xml',
    requestId,
    body:
      `<${action}Response xmlns="${ns}"><${action}Result>${inner}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`,
  };
}

function xmlError(ns: string, code: string, status: number, message: string): Answer {
  const requestId = randomUUID();
  return {
    status,
    type: 'text/xml',
    requestId,
    body:
      `<ErrorResponse xmlns="${ns}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`,
  };
}

function jsonError(type: string, status: number, message: string): Answer {
  return { status, type: 'application/x-amz-json-1.1', requestId: randomUUID(), body: JSON.stringify({ __type: type, Message: message }) };
}
