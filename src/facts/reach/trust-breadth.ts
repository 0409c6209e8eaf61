import type { Identity, Trust } from '../../model/inventory.js';
import { providerAdmits } from './gcp.js';
import { isGithubIssuer, NO_SUCH_REPOSITORY, subjectAdmits, unscannedOrg, type GithubEstate, type OrgView, type RepositoryView } from './github.js';

// What a GitHub Actions OIDC trust lets in, named for what it is: any repository on GitHub, every
// repository of an organisation, every branch of a repository, its pull-request runs. Judged with
// the org's subject template when the org was scanned (a template without `context` makes every
// branch and pull request alike), with GitHub's default otherwise.

export interface TrustBreadth {
  anyRepository: boolean;
  /** Organisations every repository of which it admits. */
  organizations: string[];
  /** It admits a repository's runs on any branch (not only a named one or an environment). */
  everyBranch: boolean;
  /** It admits pull-request runs, whose code nobody has reviewed yet. */
  pullRequests: boolean;
  /** What it lets in, in words. */
  says: string;
  /** `org/name` of the repository it names exactly, when that org was scanned in full and has no
   * such repository (deleted or renamed): whoever creates that name there gets in. */
  missingRepository?: string;
}

const NO_SUCH_ORG = '\u0002no-such-org';
const NO_BRANCH = 'ref:refs/heads/\u0002no-such-branch';
const fake = (org: OrgView, id = 0): RepositoryView => ({ org: org.org, name: NO_SUCH_REPOSITORY, id });

interface Judge {
  admits(org: OrgView, repo: RepositoryView | undefined, context?: string): boolean;
  /** A subject glob, whose answer for "any repository of the org" covers every repository on
   * the org's template: an org it shuts out need not have its repositories tried one by one. */
  glob?: boolean;
}

interface Judged {
  judge: Judge;
  /** Everything the breadth depends on besides the estate: trusts with the same key (the same
   * pattern, or the same providers and subject) let in the same workflows. */
  key: string;
  /** The repository the subject names with no wildcard in its owner or name, as `[org, name]`. */
  exact?: [string, string];
}

/** `repo:org/name…` (AWS, Entra, GCP google.subject) or a pool's `attribute.repository=org/name`. */
function exactRepository(subject: string | undefined, forms: { sub: boolean; attribute: boolean }): [string, string] | undefined {
  const m = (forms.sub ? /^repo(?:sitory)?:([^/:]+)\/([^:]+)(?::|$)/i.exec(subject ?? '') : null) ?? (forms.attribute ? /^attribute\.repository=([^/]+)\/(.+)$/.exec(subject ?? '') : null);
  if (!m || /[*?]/.test(m[1] + m[2])) return undefined;
  return [m[1], m[2]];
}

const subjectKey = (subject: string | undefined) => (subject === undefined ? '\u0000none' : `=${subject}`);

function judge(identity: Identity, t: Trust): Judged | undefined {
  if (t.kind !== 'federated') return undefined;
  if (identity.provider === 'gcp' && t.principal.includes('/workloadIdentityPools/')) {
    const poolId = t.principal.slice(t.principal.lastIndexOf('/') + 1);
    const providers = ((identity.attributes.workloadIdentityProviders ?? []) as Parameters<typeof providerAdmits>[0][]).filter(
      (p) => !p.disabled && isGithubIssuer(p.issuer) && p.pool.endsWith(`/workloadIdentityPools/${poolId}`),
    );
    if (providers.length === 0) return undefined;
    const exact = exactRepository(t.subject, {
      sub: providers.some((p) => p.attributeMapping['google.subject'] === 'assertion.sub'),
      attribute: providers.some((p) => p.attributeMapping['attribute.repository'] === 'assertion.repository'),
    });
    // A run-dependent condition (ref, event) that is still open pins the branch or event: not "every".
    return {
      key: `pool ${JSON.stringify(providers)} ${subjectKey(t.subject)}`,
      ...(exact && { exact }),
      judge: { admits: (org, repo, context) => providers.some((p) => (context ? providerAdmits(p, t.subject, org, repo) === true : providerAdmits(p, t.subject, org, repo) !== false)) },
    };
  }
  if (t.protocol === 'saml' || !isGithubIssuer(t.principal)) return undefined;
  const pattern = t.subject ?? '*';
  const exact = exactRepository(t.subject, { sub: true, attribute: false });
  return { key: `sub ${subjectKey(t.subject)}`, ...(exact && { exact }), judge: { glob: true, admits: (org, repo, context) => subjectAdmits(pattern, org, repo, context) } };
}

// Thousands of roles trust the same few patterns: each distinct one is judged once per estate.
const judgedBreadth = new WeakMap<GithubEstate, Map<string, TrustBreadth>>();

export function trustBreadth(estate: GithubEstate, identity: Identity, t: Trust): TrustBreadth | undefined {
  const found = judge(identity, t);
  if (!found) return undefined;
  let known = judgedBreadth.get(estate);
  if (!known) judgedBreadth.set(estate, (known = new Map()));
  let breadth = known.get(found.key);
  if (!breadth) known.set(found.key, (breadth = judgeBreadth(estate, found, t.subject)));
  return { ...breadth, organizations: [...breadth.organizations] };
}

/** The repositories of the estate a judge admits, without trying one by one those of an org it
 * shuts out as a whole (when that answer covers them). */
function admitted(estate: GithubEstate, j: Judge): Array<[OrgView, RepositoryView]> {
  const out: Array<[OrgView, RepositoryView]> = [];
  for (const o of estate.orgs.values()) {
    const whole = !j.glob || j.admits(o, undefined);
    for (const r of o.repositories.values()) if ((whole || r.claimKeys) && j.admits(o, r)) out.push([o, r]);
  }
  return out;
}

function judgeBreadth(estate: GithubEstate, found: Judged, subject: string | undefined): TrustBreadth {
  const named = /repo(?:sitory)?:([^/*?:]+)\/([^*?:]+)?/i.exec(subject ?? '');
  const orgs = [...new Set([...estate.orgs.values()].map((o) => o.org).concat(named ? [named[1]] : []))];
  const { judge: j } = found;
  const view = (org: string) => estate.orgs.get(org.toLowerCase()) ?? unscannedOrg(org);
  const anyRepository = j.admits(unscannedOrg(NO_SUCH_ORG), fake(unscannedOrg(NO_SUCH_ORG)));
  const organizations = anyRepository ? [] : orgs.filter((o) => j.admits(view(o), fake(view(o))));
  // Branches and events of a repository it admits: the one it names, else a scanned one, else any.
  const repoNamed = /repo(?:sitory)?:([^/*?:]+)\/([^*?:]+):/i.exec(subject ?? '');
  const candidates: Array<[OrgView, RepositoryView]> = repoNamed
    ? [[view(repoNamed[1]), view(repoNamed[1]).repositories.get(repoNamed[2].toLowerCase()) ?? { org: repoNamed[1], name: repoNamed[2] }]]
    : admitted(estate, j);
  if (candidates.length === 0) candidates.push([view(orgs[0] ?? NO_SUCH_ORG), fake(view(orgs[0] ?? NO_SUCH_ORG))]);
  const everyBranch = candidates.some(([o, r]) => j.admits(o, r, NO_BRANCH));
  const pullRequests = candidates.some(([o, r]) => j.admits(o, r, 'pull_request'));
  const repo = candidates.length === 1 && candidates[0][1].name !== NO_SUCH_REPOSITORY ? `${candidates[0][0].org}/${candidates[0][1].name}` : undefined;
  const says = anyRepository
    ? 'workflows of any repository on GitHub'
    : organizations.length
      ? `workflows of every repository of ${organizations.join(', ')}`
      : everyBranch
        ? `workflows on any branch${pullRequests ? ' and pull request' : ''} of ${repo ?? 'the repositories it names'}`
        : pullRequests
          ? `pull-request workflows of ${repo ?? 'the repositories it names'}`
          : `workflows of ${repo ?? 'the repositories it names'} on the branch, tag or environment it names`;
  const missingRepository = missing(estate, found.exact);
  return { anyRepository, organizations, everyBranch, pullRequests, says, ...(missingRepository && { missingRepository }) };
}

/** The named repository, when its org's full listing lacks it; never on a partial listing. */
function missing(estate: GithubEstate, exact: [string, string] | undefined): string | undefined {
  if (!exact) return undefined;
  const org = estate.orgs.get(exact[0].toLowerCase());
  if (!org?.repositoriesComplete || org.repositories.has(exact[1].toLowerCase())) return undefined;
  return `${org.org}/${exact[1]}`;
}
