import type { Entitlement, Identity } from '../../model/inventory.js';
import { effective, type GraphBuilder } from './graph.js';
import { ANY, globTokens, intersects, literal, type Token } from './subject-glob.js';

// GitHub's part of the graph. Who can change what a repository's workflows run — App
// installations, tokens and keys that can write to it, org owners — points at that repository's
// workflows; the workflows in turn can act as every cloud identity whose OIDC trust their tokens
// satisfy. Which tokens those are follows the org's subject template (`include_claim_keys`):
// GitHub builds `sub` from those claims, `repo:<org>/<name>:<context>` by default.

export const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

export interface RepositoryView {
  org: string;
  name: string;
  id?: number;
  /** The repository's own subject template, when it overrides the org's. */
  claimKeys?: string[];
}

export interface OrgView {
  org: string;
  orgId?: number;
  /** The claims `sub` is built from, in order. */
  claimKeys: string[];
  /** Repositories by lower-cased name. */
  repositories: Map<string, RepositoryView>;
  /** The bundle lists every repository of the org: a name it does not list does not exist. */
  repositoriesComplete?: boolean;
}

export interface GithubEstate {
  orgs: Map<string, OrgView>;
}

const DEFAULT_CLAIMS = ['repo', 'context'];

/** Whether an issuer (an AWS OIDC provider ARN, an Entra or GCP issuer URL) is GitHub Actions'. */
export function isGithubIssuer(issuer: string | undefined): boolean {
  return issuer !== undefined && issuer.toLowerCase().includes(GITHUB_ISSUER);
}

export function githubEstate(identities: Iterable<Identity>): GithubEstate {
  const orgs = new Map<string, OrgView>();
  const orgOf = (org: string) => {
    let view = orgs.get(org.toLowerCase());
    if (!view) orgs.set(org.toLowerCase(), (view = { org, claimKeys: DEFAULT_CLAIMS, repositories: new Map() }));
    return view;
  };
  const addRepo = (org: string, name: string, id?: number | null) => {
    const view = orgOf(org);
    const key = name.toLowerCase();
    const known = view.repositories.get(key);
    if (!known) view.repositories.set(key, { org: view.org, name, ...(typeof id === 'number' ? { id } : {}) });
    else if (typeof id === 'number') known.id = id;
  };
  for (const i of identities) {
    if (i.provider !== 'github') continue;
    const view = orgOf(i.container.id);
    if (i.kind === 'github-actions') {
      const a = i.attributes;
      if (typeof a.organizationId === 'number') view.orgId = a.organizationId;
      if (a.repositoriesComplete === true) view.repositoriesComplete = true;
      const keys = a.oidcSubjectClaimKeys;
      if (a.oidcSubjectDefault !== true && Array.isArray(keys) && keys.length > 0) view.claimKeys = keys.map(String);
      // Names (what every layout lists); a name → id map where a layout gives ids.
      const listed = a.repositories;
      if (Array.isArray(listed)) for (const name of listed) addRepo(view.org, String(name));
      else if (listed && typeof listed === 'object') for (const [name, id] of Object.entries(listed as Record<string, number | null>)) addRepo(view.org, name, id);
      const own = a.oidcSubjectClaimKeysByRepository;
      if (own && typeof own === 'object') {
        for (const [name, keys] of Object.entries(own as Record<string, unknown>)) {
          if (!Array.isArray(keys) || keys.length === 0) continue;
          addRepo(view.org, name);
          view.repositories.get(name.toLowerCase())!.claimKeys = keys.map(String);
        }
      }
    }
    for (const name of writableRepositories(i).names) addRepo(view.org, name);
  }
  return { orgs };
}

/** A repository's workflows as a node, and the node standing for every repository of an org. */
export const workflowNode = (org: string, name: string) => `github:workflow:${org}/${name}`;
export const everyRepositoryNode = (org: string) => `github:workflow:${org}/*`;
export const ANY_REPOSITORY_NODE = 'github:workflow:*';

interface Writable {
  all: boolean;
  names: string[];
  /** Limited to selected repositories the bundle does not (fully) list: which others it can write is unknown. */
  unlisted: boolean;
  entitlement?: Entitlement;
  workflows: boolean;
}

const WORKFLOW_WRITE = new Set(['workflows:write', 'workflow', 'org:owner']);
const CODE_WRITE = new Set(['contents:write', 'repo']);

/** The repositories an identity can push to, and whether it may change workflow files there. */
function writableRepositories(identity: Identity): Writable {
  const out: Writable = { all: false, names: [], unlisted: false, workflows: false };
  if (identity.kind === 'github-actions' || identity.enabled === false) return out;
  if (identity.attributes.suspendedAt) return out;
  const org = identity.container.id;
  for (const e of identity.entitlements) {
    if (!effective(e)) continue;
    const workflows = e.permissions.some((p) => WORKFLOW_WRITE.has(p));
    if (!workflows && !e.permissions.some((p) => CODE_WRITE.has(p))) continue;
    // A deploy key pushes over SSH, where GitHub does not hold workflow files back.
    out.workflows ||= workflows || identity.kind === 'deploy-key';
    out.entitlement ??= e;
    if (e.resource === org || e.resource === `${org}/*`) out.all = true;
    else if (e.resource.endsWith('/(selected repositories)')) {
      // Only the repositories it was given: never "all", whatever the permissions say.
      const listed = identity.attributes.repositories;
      if (Array.isArray(listed)) out.names.push(...listed.map(String));
      if (!Array.isArray(listed) || identity.attributes.repositoriesPartial === true) out.unlisted = true;
    } else if (e.resource.startsWith(`${org}/`)) out.names.push(e.resource.slice(org.length + 1));
  }
  return out;
}

/** Edges from whoever can write to a repository to its workflows. */
export function githubWriterEdges(g: GraphBuilder, estate: GithubEstate): void {
  for (const identity of g.identities.values()) {
    if (identity.provider !== 'github') continue;
    const w = writableRepositories(identity);
    if (!w.entitlement || (!w.all && w.names.length === 0 && !w.unlisted)) continue;
    const org = estate.orgs.get(identity.container.id.toLowerCase())!.org;
    const kind = w.workflows ? 'workflow-write' : 'code-write';
    const how = `${w.entitlement.permissions.filter((p) => WORKFLOW_WRITE.has(p) || CODE_WRITE.has(p)).join(', ')} (${w.entitlement.via.type} ${w.entitlement.via.name})`;
    const condition = w.workflows ? undefined : 'changes code the existing workflows run; changing a workflow file needs the workflows permission';
    if (w.all) {
      g.edge({ from: identity.id, to: everyRepositoryNode(org), kind, evidence: `${how} on every repository of ${org}`, condition });
      g.node(everyRepositoryNode(org), 'github', 'workflow', `workflows of every ${org} repository`);
    }
    for (const name of w.names) {
      const to = g.node(workflowNode(org, name), 'github', 'workflow', `workflows of ${org}/${name}`);
      g.edge({ from: identity.id, to, kind, evidence: `${how} on ${org}/${name}`, condition });
    }
    if (w.unlisted && !w.all) {
      // Drawn, not followed: treating an unknown selection as every repository would invent chains.
      const to = g.node(everyRepositoryNode(org), 'github', 'workflow', `workflows of every ${org} repository`);
      const gated = `the list of ${org} repositories it was given (not collected${identity.attributes.repositoriesPartial === true ? ' in full' : ''})`;
      g.edge({ from: identity.id, to, kind, evidence: `${how} on the ${org} repositories it was given`, condition: [condition, `only on the repositories it was given`].filter(Boolean).join('; '), gated });
    }
  }
}

/** The subject a repository's workflows are issued, with the per-run parts open (or set to `context`). */
export function subjectTokens(org: OrgView, repo: RepositoryView | undefined, context?: string): Token[] {
  const out: Token[] = [];
  claimKeysOf(org, repo).forEach((key, n) => {
    if (n > 0) out.push(':');
    if (key === 'context') {
      out.push(...(context === undefined ? ([ANY] as Token[]) : literal(context)));
      return;
    }
    out.push(...literal(`${key}:`), ...claimTokens(org, repo, key));
  });
  return out;
}

/** The claims a repository's `sub` is built from: its own template where it has one, else the org's. */
export const claimKeysOf = (org: OrgView, repo: RepositoryView | undefined): string[] => repo?.claimKeys ?? org.claimKeys;

/** What a token's claim holds for every run of a repository's workflows: literal where fixed, open
 * where GitHub fills it per run or the bundle does not say (an id the listing did not give). With
 * no repository, any repository of the org. */
function claimTokens(org: OrgView, repo: RepositoryView | undefined, key: string): Token[] {
  switch (key) {
    case 'repo':
    case 'repository':
      return repo ? literal(`${org.org}/${repo.name}`) : [...literal(`${org.org}/`), ANY];
    case 'repository_owner':
      return literal(org.org);
    case 'repository_owner_id':
      return org.orgId === undefined ? [ANY] : literal(String(org.orgId));
    case 'repository_id':
      return repo?.id === undefined ? [ANY] : literal(String(repo.id));
    default:
      return [ANY];
  }
}

/** Does the subject pattern admit some run of this repository's workflows (any repository of the org when absent)? */
export function subjectAdmits(pattern: string, org: OrgView, repo?: RepositoryView, context?: string): boolean {
  return intersects(globTokens(pattern), subjectTokens(org, repo, context));
}

/** Like subjectAdmits, but a match that relies on an id claim the bundle does not hold (repository
 * ids are not in every listing) is said as a condition rather than taken as certain. */
export function subjectVerdict(pattern: string, org: OrgView, repo?: RepositoryView): boolean | string {
  if (!subjectAdmits(pattern, org, repo)) return false;
  const unknown = claimKeysOf(org, repo).filter((k) => (k === 'repository_id' && repo && repo.id === undefined) || (k === 'repository_owner_id' && org.orgId === undefined));
  if (unknown.length === 0 || !/\d/.test(pattern)) return true;
  return `if the ${unknown.join(' and ')} the subject names ${unknown.length > 1 ? 'are' : 'is'} this repository's (the bundle does not list ids)`;
}

/** An org nobody scanned, for judging a pattern on its own: GitHub's default template. */
export function unscannedOrg(org: string): OrgView {
  return { org, claimKeys: DEFAULT_CLAIMS, repositories: new Map() };
}

/** A repository no org has: a pattern that admits it admits every repository. */
export const NO_SUCH_REPOSITORY = '\u0002no-such-repository';

export type Admits = (org: OrgView, repo?: RepositoryView) => boolean | string;

/** The one repository a subject pattern can name, when it starts with a literal `repo:<org>/<name>`
 * (lower-cased, as the estate keys them). */
export function pinnedRepository(subject: string): { org: string; name: string } | undefined {
  const m = /^repo:([^/:*?$]+)\/([^:*?$]+)(?::|$)/.exec(subject);
  return m ? { org: m[1].toLowerCase(), name: m[2].toLowerCase() } : undefined;
}

/**
 * Edges from the workflows a trust admits to the identity that trusts them. `admits` answers for
 * one repository, or with none for "every repository of the org"; a string answer is a match
 * that holds only under the condition it names. `anywhere` says the trust admits every
 * repository on GitHub, scanned or not.
 */
const ownTemplateCache = new WeakMap<OrgView, RepositoryView[]>();
/** The org's repositories with a subject template of their own, listed once per org. */
function ownTemplates(org: OrgView): RepositoryView[] {
  let list = ownTemplateCache.get(org);
  if (!list) ownTemplateCache.set(org, (list = [...org.repositories.values()].filter((r) => r.claimKeys)));
  return list;
}

export function oidcTrustEdges(
  g: GraphBuilder,
  estate: GithubEstate,
  to: string,
  kind: string,
  evidence: string,
  admits: Admits,
  anywhere: boolean,
  base: {
    condition?: string;
    subject?: string;
    /** The only repositories of an org `admits` can let in, when the caller knows them (an
     * attribute the trust names, looked up in an index); undefined: try every repository. */
    candidates?: (org: OrgView) => Iterable<RepositoryView> | undefined;
  } = {},
): void {
  const join = (c: boolean | string) => [base.condition, typeof c === 'string' ? c : undefined].filter(Boolean).join('; ') || undefined;
  if (anywhere) {
    g.node(ANY_REPOSITORY_NODE, 'github', 'principal', 'workflows of any repository on GitHub');
    g.edge({ from: ANY_REPOSITORY_NODE, to, kind, evidence, condition: join(true) });
    for (const org of estate.orgs.values()) {
      const every = g.node(everyRepositoryNode(org.org), 'github', 'workflow', `workflows of every ${org.org} repository`);
      g.edge({ from: every, to: ANY_REPOSITORY_NODE, kind: 'includes', evidence: `${org.org} is an organization on GitHub` });
    }
    return;
  }
  const pinned = base.subject ? pinnedRepository(base.subject) : undefined;
  for (const org of estate.orgs.values()) {
    if (pinned && pinned.org !== org.org.toLowerCase()) continue;
    // Repositories with their own subject template are judged by it, whatever the org's admits.
    const own = ownTemplates(org);
    const every = admits(org);
    // A pattern that admits a repository nobody named admits every repository of the org.
    const all = every === false ? false : admits(org, { org: org.org, name: NO_SUCH_REPOSITORY, id: 0 });
    if (all !== false) {
      // One hop for the whole org; the few repositories whose own template it does not admit are named, not split out.
      const shut = own.filter((r) => admits(org, r) === false).map((r) => r.name);
      const except = shut.length ? `not ${shut.map((n) => `${org.org}/${n}`).join(', ')} (their own subject template)` : undefined;
      const from = g.node(everyRepositoryNode(org.org), 'github', 'workflow', `workflows of every ${org.org} repository`);
      g.edge({ from, to, kind, evidence, condition: [join(all), except].filter(Boolean).join('; ') || undefined });
      continue;
    }
    if (every === false && own.length === 0) continue;
    // A subject that starts `repo:<org>/<name>:` can only be that repository's: look it up rather
    // than try every repository of the org (thousands of trusts × thousands of repositories).
    const pool = every !== false ? org.repositories.values() : own;
    const known = pinned ? [org.repositories.get(pinned.name)].filter((r): r is RepositoryView => r !== undefined) : base.candidates?.(org);
    const candidates = known ? [...known].filter((r) => every !== false || r.claimKeys !== undefined) : pool;
    for (const repo of candidates) {
      const verdict = admits(org, repo);
      if (verdict === false) continue;
      const from = g.node(workflowNode(org.org, repo.name), 'github', 'workflow', `workflows of ${org.org}/${repo.name}`);
      g.edge({ from, to, kind, evidence, condition: join(verdict) });
      const every = g.node(everyRepositoryNode(org.org), 'github', 'workflow', `workflows of every ${org.org} repository`);
      g.edge({ from: every, to: from, kind: 'includes', evidence: `${org.org}/${repo.name} is a repository of ${org.org}` });
    }
  }
}
