import type { Trust } from '../../model/inventory.js';

// IAM policy members (`user:…`, `serviceAccount:…`, `principalSet://…`) and what the e-mail of
// a service account says about where it lives.

export interface ProjectRef {
  projectId: string;
  /** Unknown when cloudresourcemanager.projects.get failed. */
  projectNumber?: string;
  /** Projects of the same bundle (and organisation): their principals are never external. */
  siblings?: { ids: ReadonlySet<string>; numbers: ReadonlySet<string> };
}

/**
 * Google-managed service agents: `service-<project number>@gcp-sa-aiplatform.iam.gserviceaccount.com`,
 * `service-<n>@compute-system.iam.gserviceaccount.com`, and the Google APIs agent
 * `<n>@cloudservices.gserviceaccount.com`. Google runs them for its own services; they are
 * never identities of ours, only principals that can act on or as our accounts.
 */
export function isServiceAgent(email: string): boolean {
  return (
    /^service-(org-|folder-)?\d+@[a-z0-9.-]+\.iam\.gserviceaccount\.com$/.test(email) ||
    /^\d+@(cloudservices|cloudbuild)\.gserviceaccount\.com$/.test(email) ||
    /@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$/.test(email)
  );
}

/**
 * Vertex AI Agent Engine agent identities:
 * `principal://agents.global.org-<org>.system.id.goog/resources/aiplatform/projects/<project number>/locations/<loc>/reasoningEngines/<id>`.
 * Google issues them to each deployed agent; they hold roles like any principal.
 */
const AGENT_PRINCIPAL =
  /^principal(Set)?:\/\/agents\.global\.(org-\d+)\.system\.id\.goog\/resources\/aiplatform\/projects\/(\d+)\/locations\/([^/]+)\/reasoningEngines\/([^/]+)$/;

export interface AgentPrincipal {
  member: string;
  organization: string;
  projectNumber: string;
  location: string;
  engine: string;
}

export function agentPrincipal(member: string): AgentPrincipal | undefined {
  const m = AGENT_PRINCIPAL.exec(member);
  return m ? { member, organization: m[2], projectNumber: m[3], location: m[4], engine: m[5] } : undefined;
}

/** The Compute Engine default account, `<project number>-compute@developer.gserviceaccount.com`. */
export function isDefaultComputeSA(email: string): boolean {
  return /^\d+-compute@developer\.gserviceaccount\.com$/.test(email);
}

/** The App Engine default account, `<project id>@appspot.gserviceaccount.com`. */
export function isAppEngineDefaultSA(email: string): boolean {
  return /^[a-z][a-z0-9-]*@appspot\.gserviceaccount\.com$/.test(email);
}

/** The project (id or number) a service account e-mail belongs to, when its form tells. */
function projectOfServiceAccount(email: string): { id?: string; number?: string } | undefined {
  const [local, domain] = email.split('@');
  let m = /^(.+)\.iam\.gserviceaccount\.com$/.exec(domain);
  if (m && !/^service-\d+$/.test(local)) return { id: m[1] };
  if ((m = /^service-(\d+)$/.exec(local)) || (m = /^(\d+)$/.exec(local))) return { number: m[1] };
  if ((m = /^(\d+)-compute$/.exec(local)) && domain === 'developer.gserviceaccount.com') return { number: m[1] };
  if (domain === 'appspot.gserviceaccount.com') return { id: local };
  return undefined;
}

function externalTo(project: ProjectRef, owner: { id?: string; number?: string } | undefined): boolean | undefined {
  if (!owner) return undefined;
  if ((owner.id && project.siblings?.ids.has(owner.id)) || (owner.number && project.siblings?.numbers.has(owner.number))) return false;
  if (owner.id) return owner.id !== project.projectId;
  if (owner.number && project.projectNumber) return owner.number !== project.projectNumber;
  return undefined;
}

/** Parts of a Trust a member yields; `via` and `condition` come from the binding. */
export type MemberTrust = Omit<Trust, 'via' | 'condition'>;

const POOL =
  /^(principal|principalSet):\/\/iam\.googleapis\.com\/(projects\/(\d+)\/locations\/[^/]+\/workloadIdentityPools\/[^/]+|locations\/[^/]+\/workforcePools\/[^/]+)\/(.*)$/;

/**
 * Workload and workforce identity federation principals. The pool is the principal; what the
 * member pins inside it becomes the subject: `subject/<sub>` → `<sub>`,
 * `attribute.repository/acme/app` → `attribute.repository=acme/app`, `group/<g>` → `group=<g>`,
 * and `*` (the whole pool) leaves the subject absent. Workforce pools federate people, so their
 * members are users and groups, not workloads.
 */
function federatedMember(member: string, project: ProjectRef): MemberTrust | undefined {
  const m = POOL.exec(member);
  if (!m) return undefined;
  const [, form, poolPath, poolProjectNumber, rest] = m;
  const principal = `//iam.googleapis.com/${poolPath}`;
  const workforce = poolPath.startsWith('locations/');
  let subject: string | undefined;
  if (rest !== '*') {
    const slash = rest.indexOf('/');
    const key = slash < 0 ? rest : rest.slice(0, slash);
    const value = slash < 0 ? '' : rest.slice(slash + 1);
    subject = key === 'subject' ? value : `${key}=${value}`;
  }
  const pinned = subject === undefined ? {} : { subject };
  if (workforce) {
    return { principal, ...pinned, kind: form === 'principal' ? 'user' : 'group' };
  }
  const external = project.siblings?.numbers.has(poolProjectNumber)
    ? false
    : project.projectNumber
      ? poolProjectNumber !== project.projectNumber
      : undefined;
  return { principal, ...pinned, kind: 'federated', ...(external === undefined ? {} : { external }) };
}

/**
 * Who a policy member is, as a trust principal; undefined for members that cannot act:
 * `deleted:…` principals (the account is gone) and unknown forms.
 */
export function memberTrust(member: string, project: ProjectRef): MemberTrust | undefined {
  if (member === 'allUsers') return { principal: '*', kind: 'any' };
  if (member === 'allAuthenticatedUsers') return { principal: 'allAuthenticatedUsers', kind: 'any' };
  const agent = agentPrincipal(member);
  if (agent) {
    const external = project.siblings?.numbers.has(agent.projectNumber) ? false : project.projectNumber ? agent.projectNumber !== project.projectNumber : undefined;
    return { principal: member.slice(member.indexOf('://') + 3), kind: 'app', ...(external === undefined ? {} : { external }) };
  }
  if (member.startsWith('principal://') || member.startsWith('principalSet://')) return federatedMember(member, project);
  const colon = member.indexOf(':');
  if (colon < 0) return undefined;
  const type = member.slice(0, colon);
  const value = member.slice(colon + 1);
  switch (type) {
    case 'user':
      return { principal: value, kind: 'user' };
    case 'group':
      return { principal: value, kind: 'group' };
    case 'domain':
      // Every account of a Google Workspace or Cloud Identity domain.
      return { principal: value, kind: 'group' };
    case 'serviceAccount': {
      // GKE Workload Identity: `serviceAccount:<project>.svc.id.goog[<namespace>/<ksa>]`.
      const gke = /^([a-z0-9.-]+\.svc\.id\.goog)\[(.+)\]$/.exec(value);
      if (gke) {
        return { principal: gke[1], subject: gke[2], kind: 'federated', external: gke[1] !== `${project.projectId}.svc.id.goog` };
      }
      return {
        principal: value,
        kind: isServiceAgent(value) ? 'service' : 'service-account',
        external: externalTo(project, projectOfServiceAccount(value)),
      };
    }
    default:
      return undefined;
  }
}

/** `deleted:user:bob@acme.example?uid=1184…` → {type: 'user', email}; undefined for live members. */
export function deletedMember(member: string): { type: string; email: string } | undefined {
  const m = /^deleted:([a-zA-Z]+):([^?]+)(\?.*)?$/.exec(member);
  return m ? { type: m[1], email: m[2] } : undefined;
}
