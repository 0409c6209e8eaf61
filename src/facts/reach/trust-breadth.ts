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
}

interface Judged {
  judge: Judge;
  orgs: string[];
  /** The repository the subject names with no wildcard in its owner or name, as `[org, name]`. */
  exact?: [string, string];
}

/** `repo:org/name…` (AWS, Entra, GCP google.subject) or a pool's `attribute.repository=org/name`. */
function exactRepository(subject: string | undefined, forms: { sub: boolean; attribute: boolean }): [string, string] | undefined {
  const m = (forms.sub ? /^repo(?:sitory)?:([^/:]+)\/([^:]+)(?::|$)/i.exec(subject ?? '') : null) ?? (forms.attribute ? /^attribute\.repository=([^/]+)\/(.+)$/.exec(subject ?? '') : null);
  if (!m || /[*?]/.test(m[1] + m[2])) return undefined;
  return [m[1], m[2]];
}

function judge(estate: GithubEstate, identity: Identity, t: Trust): Judged | undefined {
  const named = /repo(?:sitory)?:([^/*?:]+)\/([^*?:]+)?/i.exec(t.subject ?? '');
  const orgs = [...new Set([...estate.orgs.values()].map((o) => o.org).concat(named ? [named[1]] : []))];
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
      orgs,
      ...(exact && { exact }),
      judge: { admits: (org, repo, context) => providers.some((p) => (context ? providerAdmits(p, t.subject, org, repo) === true : providerAdmits(p, t.subject, org, repo) !== false)) },
    };
  }
  if (t.protocol === 'saml' || !isGithubIssuer(t.principal)) return undefined;
  const pattern = t.subject ?? '*';
  const exact = exactRepository(t.subject, { sub: true, attribute: false });
  return { orgs, ...(exact && { exact }), judge: { admits: (org, repo, context) => subjectAdmits(pattern, org, repo, context) } };
}

export function trustBreadth(estate: GithubEstate, identity: Identity, t: Trust): TrustBreadth | undefined {
  const found = judge(estate, identity, t);
  if (!found) return undefined;
  const { judge: j } = found;
  const view = (org: string) => estate.orgs.get(org.toLowerCase()) ?? unscannedOrg(org);
  const anyRepository = j.admits(unscannedOrg(NO_SUCH_ORG), fake(unscannedOrg(NO_SUCH_ORG)));
  const organizations = anyRepository ? [] : found.orgs.filter((o) => j.admits(view(o), fake(view(o))));
  // Branches and events of a repository it admits: the one it names, else a scanned one, else any.
  const named = /repo(?:sitory)?:([^/*?:]+)\/([^*?:]+):/i.exec(t.subject ?? '');
  const candidates: Array<[OrgView, RepositoryView]> = named
    ? [[view(named[1]), view(named[1]).repositories.get(named[2].toLowerCase()) ?? { org: named[1], name: named[2] }]]
    : [...estate.orgs.values()].flatMap((o) => [...o.repositories.values()].filter((r) => j.admits(o, r)).map((r): [OrgView, RepositoryView] => [o, r]));
  if (candidates.length === 0) candidates.push([view(found.orgs[0] ?? NO_SUCH_ORG), fake(view(found.orgs[0] ?? NO_SUCH_ORG))]);
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
