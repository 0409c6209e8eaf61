import { Environment } from '@marcbachmann/cel-js';
import type { Identity, Trust } from '../../model/inventory.js';
import { grantRootKey } from '../../model/root-cause.js';
import { awsPoolEdges } from './gcp-aws.js';
import type { GraphBuilder } from './graph.js';
import { isGithubIssuer, NO_SUCH_REPOSITORY, oidcTrustEdges, subjectAdmits, type GithubEstate, type OrgView, type RepositoryView } from './github.js';

// Google Cloud's part of the graph: who can act as a service account. The normalizer already put
// every impersonation binding (token creator, service account user, workload identity user, key
// admin — on the account or inherited from its project, folder or organisation) into the
// account's trustedBy; here each becomes an edge from the principal, when the principal is one of
// the scan's identities. A workload identity pool trusted by an account is matched against the
// scanned GitHub repositories through its providers' attribute mapping and condition.

const HOP_KIND: Record<string, string> = {
  'roles/iam.serviceAccountTokenCreator': 'token-creator',
  'roles/iam.serviceAccountUser': 'service-account-user',
  'roles/iam.workloadIdentityUser': 'workload-identity',
  'roles/iam.serviceAccountKeyAdmin': 'key-admin',
  'roles/iam.serviceAccountOpenIdTokenCreator': 'openid-token-creator',
};

const HOP_CONDITION: Record<string, string> = {
  'service-account-user': 'by attaching the account to compute it can create or update',
  'openid-token-creator': 'ID tokens only: calls Cloud Run, Cloud Functions and IAP as the account',
};

export interface FederationSummary {
  pool: string;
  provider: string;
  issuer?: string;
  awsAccountId?: string;
  attributeMapping: Record<string, string>;
  attributeCondition?: string;
  disabled: boolean;
}

/** `roles/x on projects/p/serviceAccounts/e` → the role and the resource. */
function viaParts(via: string): { role: string; resource: string } {
  const at = via.indexOf(' on ');
  return at < 0 ? { role: via, resource: '' } : { role: via.slice(0, at), resource: via.slice(at + 4) };
}

export function gcpEdges(g: GraphBuilder, github: GithubEstate): void {
  const byMember = new Map<string, Identity>();
  for (const i of g.identities.values()) {
    if (i.provider !== 'gcp') continue;
    if (typeof i.attributes.email === 'string') byMember.set(i.attributes.email.toLowerCase(), i);
    if (typeof i.attributes.principal === 'string') byMember.set(i.attributes.principal.replace(/^[a-zA-Z]+:\/\//, '').toLowerCase(), i);
  }
  for (const target of g.identities.values()) {
    if (target.provider !== 'gcp') continue;
    for (const t of target.trustedBy) {
      const { role, resource } = viaParts(t.via);
      const kind = HOP_KIND[role] ?? 'impersonate';
      const condition = [HOP_CONDITION[kind], t.condition && `binding condition ${t.condition}`].filter(Boolean).join('; ') || undefined;
      const evidence = `${t.via} granted to ${t.principal}`;
      if (t.kind === 'service-account' || t.kind === 'app') {
        const source = byMember.get(t.principal.toLowerCase());
        if (!source || source.enabled === false) continue;
        const grant = source.entitlements.find((e) => e.via.name === role && e.resource === resource);
        const rootKey = grant && { rootKey: grantRootKey(source, grant) };
        if (resource && !resource.includes('/serviceAccounts/')) {
          // Granted on a project, folder or organisation: it reaches every account below, which
          // one hub per binding says with holders + accounts edges, not holders × accounts.
          const hub = g.node(`gcp:${resource}:${role}${t.condition ? `:${t.condition}` : ''}`, 'gcp', 'principal', `any service account under ${resource} (${role})`);
          g.edge({ from: source.id, to: hub, kind, evidence, condition, ...rootKey });
          g.edge({ from: hub, to: target.id, kind, evidence: `${target.name} is a service account under ${resource}` });
          continue;
        }
        g.edge({ from: source.id, to: target.id, kind, evidence, condition, ...rootKey });
      } else if (t.kind === 'federated' && t.principal.includes('/workloadIdentityPools/')) {
        poolEdges(g, github, target, t, evidence, condition);
        awsPoolEdges(g, target, t, evidence, condition);
      }
    }
  }
}

function poolEdges(g: GraphBuilder, github: GithubEstate, target: Identity, t: Trust, evidence: string, condition: string | undefined): void {
  const poolId = t.principal.slice(t.principal.lastIndexOf('/') + 1);
  const providers = ((target.attributes.workloadIdentityProviders ?? []) as FederationSummary[]).filter(
    (p) => !p.disabled && isGithubIssuer(p.issuer) && p.pool.endsWith(`/workloadIdentityPools/${poolId}`),
  );
  for (const p of providers) {
    const admits = (org: OrgView, repo?: RepositoryView) => providerAdmits(p, t.subject, org, repo);
    const text = `${evidence}${t.subject ? ` for ${t.subject}` : ' for the whole pool'}, through provider ${p.provider.slice(p.provider.lastIndexOf('/') + 1)}`;
    // A principal subject is the token's sub when google.subject maps it: a `repo:<org>/<name>`
    // one names one repository. An `attribute.X=value` one lets in only the repositories whose
    // claims map to that value, and those whose value the claims cannot tell.
    const sub = t.subject !== undefined && !t.subject.includes('=') && p.attributeMapping['google.subject'] === 'assertion.sub' ? t.subject : undefined;
    const attribute = t.subject?.startsWith('attribute.') ? t.subject : undefined;
    const candidates = attribute ? (org: OrgView) => attributeCandidates(p, org, attribute) : undefined;
    oidcTrustEdges(g, github, target.id, 'workload-identity', text, admits, !t.subject && !p.attributeCondition, { condition, subject: sub, candidates });
  }
}

interface AttributeIndex {
  /** Lower-cased attribute value → the repositories whose claims map to it. */
  byValue: Map<string, RepositoryView[]>;
  /** Repositories whose fixed claims do not settle the attribute: any of them may match. */
  unknown: RepositoryView[];
}

// Per provider mapping and org view, per attribute: the org's repositories by the value their
// claims map to, built once, so each `attribute.repository=…` trust looks up its repository
// instead of mapping every repository again (trusts × repositories).
const attributeIndexes = new WeakMap<OrgView, Map<string, AttributeIndex>>();

function attributeCandidates(p: FederationSummary, org: OrgView, subject: string): RepositoryView[] {
  const eq = subject.indexOf('=');
  const name = subject.slice('attribute.'.length, eq);
  const want = subject.slice(eq + 1).toLowerCase();
  let byMapping = attributeIndexes.get(org);
  if (!byMapping) attributeIndexes.set(org, (byMapping = new Map()));
  const key = `${mappingKey(p)}\u0000${name}`;
  let index = byMapping.get(key);
  if (!index) {
    index = { byValue: new Map(), unknown: [] };
    for (const repo of org.repositories.values()) {
      const { attribute } = claimOutcome(p, org, fixedClaims(org, repo));
      if (!(name in attribute)) {
        index.unknown.push(repo);
        continue;
      }
      const value = String(attribute[name]).toLowerCase();
      const list = index.byValue.get(value);
      if (list) list.push(repo);
      else index.byValue.set(value, [repo]);
    }
    byMapping.set(key, index);
  }
  const matching = index.byValue.get(want) ?? [];
  // In the org's order, as trying every repository would meet them.
  if (index.unknown.length === 0) return matching;
  const allowed = new Set([...matching, ...index.unknown]);
  return [...org.repositories.values()].filter((r) => allowed.has(r));
}

export const UNKNOWN = Symbol('unknown');

/** Google's `extract(template)`: the text that stands where `{name}` stands in the template. */
function extract(text: string, template: string): string {
  const m = /^(.*?)\{[A-Za-z_]+\}(.*)$/s.exec(template);
  if (!m) return '';
  const at = text.indexOf(m[1]);
  if (at < 0) return '';
  const rest = text.slice(at + m[1].length);
  if (!m[2]) return rest;
  const end = rest.indexOf(m[2]);
  return end < 0 ? '' : rest.slice(0, end);
}

const env = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable('assertion', 'dyn')
  .registerVariable('attribute', 'dyn')
  .registerFunction('string.extract(string): string', extract);
const programs = new Map<string, ((ctx: Record<string, unknown>) => unknown) | null>();

export function evaluate(expression: string, ctx: Record<string, unknown>): unknown {
  let program = programs.get(expression);
  if (program === undefined) {
    try {
      program = env.parse(expression) as unknown as (ctx: Record<string, unknown>) => unknown;
    } catch {
      program = null;
    }
    programs.set(expression, program);
  }
  if (!program) return UNKNOWN;
  try {
    return program(ctx);
  } catch {
    // A claim we cannot know for every run (ref, actor, workflow): the answer depends on the run.
    return UNKNOWN;
  }
}

/** The claims of a repository's tokens that hold for every run. */
function fixedClaims(org: OrgView, repo: RepositoryView | undefined): Record<string, string> {
  const claims: Record<string, string> = { repository_owner: org.org };
  if (org.orgId !== undefined) claims.repository_owner_id = String(org.orgId);
  if (repo) claims.repository = `${org.org}/${repo.name}`;
  if (repo?.id !== undefined && repo.name !== NO_SUCH_REPOSITORY) claims.repository_id = String(repo.id);
  return claims;
}

interface ClaimOutcome {
  /** The attributes the provider's mapping makes of the claims, where it can say. */
  attribute: Record<string, unknown>;
  /** The attribute condition's verdict on them (true, false or UNKNOWN); undefined without one. */
  condition: unknown;
}

// What a provider's mapping and condition make of a repository's fixed claims does not depend on
// the trust's subject: it is worked out once per (mapping and condition, claims) and org view,
// not once per trust × repository (thousands of CEL evaluations each). The mapping's key is one
// string per provider summary, so looking it up does not hash it again.
const outcomes = new WeakMap<OrgView, Map<string, Map<string, ClaimOutcome>>>();
const mappingKeys = new WeakMap<FederationSummary, string>();

function mappingKey(p: FederationSummary): string {
  let mapping = mappingKeys.get(p);
  if (mapping === undefined) mappingKeys.set(p, (mapping = JSON.stringify([p.attributeMapping, p.attributeCondition ?? null])));
  return mapping;
}

function claimOutcome(p: FederationSummary, org: OrgView, assertion: Record<string, string>): ClaimOutcome {
  const mapping = mappingKey(p);
  let byOrg = outcomes.get(org);
  if (!byOrg) outcomes.set(org, (byOrg = new Map()));
  let byClaims = byOrg.get(mapping);
  if (!byClaims) byOrg.set(mapping, (byClaims = new Map()));
  // Every claim fixedClaims sets; an absent one reads "undefined", which no present one can be.
  const claims = `${assertion.repository_owner}\u0000${assertion.repository_owner_id}\u0000${assertion.repository}\u0000${assertion.repository_id}`;
  let out = byClaims.get(claims);
  if (out) return out;
  const attribute: Record<string, unknown> = {};
  for (const [key, expr] of Object.entries(p.attributeMapping)) {
    if (!key.startsWith('attribute.')) continue;
    const value = evaluate(expr, { assertion });
    if (value !== UNKNOWN) attribute[key.slice('attribute.'.length)] = value;
  }
  out = { attribute, condition: p.attributeCondition ? evaluate(p.attributeCondition, { assertion, attribute }) : undefined };
  byClaims.set(claims, out);
  return out;
}

/** true, false, or the condition under which a run of the repository's workflows gets in. */
export function providerAdmits(p: FederationSummary, subject: string | undefined, org: OrgView, repo?: RepositoryView): boolean | string {
  const { attribute, condition } = claimOutcome(p, org, fixedClaims(org, repo));
  const open: string[] = [];
  if (subject?.startsWith('attribute.')) {
    const eq = subject.indexOf('=');
    const name = subject.slice('attribute.'.length, eq);
    const want = subject.slice(eq + 1);
    if (!(name in attribute)) open.push(`attribute ${name} must be ${want}`);
    else if (String(attribute[name]).toLowerCase() !== want.toLowerCase()) return false;
  } else if (subject !== undefined && !subject.includes('=')) {
    // principal://…/subject/<sub>: google.subject, mapped from the token's sub.
    if (p.attributeMapping['google.subject'] === 'assertion.sub') {
      if (!subjectAdmits(subject, org, repo)) return false;
    } else open.push(`google.subject must be ${subject}`);
  } else if (subject !== undefined) {
    return false; // group= and other attributes GitHub tokens do not carry.
  }
  if (p.attributeCondition) {
    if (condition === false) return false;
    if (condition !== true) open.push(`attribute condition ${p.attributeCondition}`);
  }
  return open.length ? open.join('; ') : true;
}
