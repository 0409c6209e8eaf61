import type { SourceReader } from '../../bundle/source-reader.js';
import { UNCLASSIFIED, type Container, type Identity } from '../../model/inventory.js';
import type { Normalizer } from '../normalizer.js';
import { readLastAuthentication } from './activity.js';
import { keyCredential } from './credentials.js';
import { gcpEstate, type GcpEstate, type ProjectView } from './estate.js';
import { ACTIVITY_TYPES } from './files.js';
import { estateGrants, type AccountGrants } from './grants.js';
import { agentPrincipal, isAppEngineDefaultSA, isDefaultComputeSA, isServiceAgent } from './members.js';
import { ownersFromDescription, principalsInPolicies } from './owners.js';
import { federationOf } from './pools.js';

// One Google Cloud project → its service accounts. Service agents (Google's own accounts for
// its services) are not listed by serviceAccounts.list and never become identities; they
// appear as principals that can act as ours. Grants come from the whole bundle (folders and
// the organisation above the project, and other projects naming its accounts), so every
// project of a bundle is normalized from one view of all its gcp sources.

function latest(...times: Array<string | undefined>): string | undefined {
  return times.filter((t): t is string => t !== undefined).sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

const grantsCache = new WeakMap<GcpEstate, ReturnType<typeof estateGrants>>();

export const normalizeGcp: Normalizer = (source: SourceReader, bundle?: readonly SourceReader[]): Identity[] => {
  const estate = gcpEstate(bundle && bundle.includes(source) ? bundle : [source]);
  const view = estate.projects.get(source.scope) ?? [...estate.projects.values()].find((v) => v.source === source);
  // Folder, organisation and role sources hold no identities of their own.
  if (!view?.accounts) return [];
  let grants = grantsCache.get(estate);
  if (!grants) grantsCache.set(estate, (grants = estateGrants(estate)));
  return projectIdentities(view, estate, grants);
};

function projectIdentities(view: ProjectView, estate: GcpEstate, grants: Map<string, AccountGrants>): Identity[] {
  const { source, ref } = view;
  const container: Container = { type: 'project', id: ref.projectId, ...(view.displayName ? { name: view.displayName } : {}) };
  const accounts = view.accounts!.filter((a) => !isServiceAgent(a.email));
  const principals = principalsInPolicies([view.policy, ...view.accountPolicies.values(), ...[...estate.ancestors.values()].map((a) => a.policy)]);
  const accountAuth = readLastAuthentication(source, ACTIVITY_TYPES.serviceAccount);
  const keyAuth = readLastAuthentication(source, ACTIVITY_TYPES.serviceAccountKey);

  return [...accounts.map((account): Identity => {
    const { email } = account;
    const keys = view.keysOf(email);
    const credentials = (keys ?? []).map((k) => keyCredential(k, keyAuth?.keys));
    const accountLastAuth = accountAuth?.accounts.get(email) ?? accountAuth?.accounts.get(account.uniqueId);
    // A key authenticating is the account authenticating, so either report is evidence of use.
    const lastUsedAt = latest(accountLastAuth, ...credentials.map((c) => c.lastUsedAt));
    const { entitlements, trustedBy } = grants.get(email)!;
    return {
      id: `gcp:${source.scope}:sa/${email}`,
      provider: 'gcp',
      kind: 'service-account',
      name: email,
      container,
      owners: ownersFromDescription(account.description, principals),
      // Service accounts carry no labels or tags in the IAM API.
      tags: {},
      // The IAM API does not report when a service account was created.
      ...(lastUsedAt ? { lastUsedAt } : {}),
      enabled: !account.disabled,
      human: false,
      agent: UNCLASSIFIED,
      credentials,
      entitlements,
      trustedBy,
      attributes: {
        email,
        uniqueId: account.uniqueId,
        ...(account.displayName ? { displayName: account.displayName } : {}),
        ...(account.description ? { description: account.description } : {}),
        ...(ref.projectNumber ? { projectNumber: ref.projectNumber } : {}),
        isDefaultComputeSA: isDefaultComputeSA(email),
        isAppEngineDefaultSA: isAppEngineDefaultSA(email),
        // Policy Analyzer answered: an account without lastUsedAt did not authenticate in its window.
        usageTracked: accountAuth !== undefined,
        ...federationAttribute(federationOf(view, trustedBy)),
        // Keys could not be read: the credentials list is not known to be complete.
        ...(keys === undefined ? { keysUnknown: true } : {}),
      },
    };
  }), ...agentIdentities(view, container, grants)];
}

/**
 * Vertex AI Agent Engine agents of this project that hold grants: Google issues each deployed
 * agent its own principal, so the agent is an identity of its own, with what it was granted.
 */
function agentIdentities(view: ProjectView, container: Container, grants: Map<string, AccountGrants>): Identity[] {
  const out: Identity[] = [];
  for (const [member, granted, agent] of agentsByProject(grants).get(view.ref.projectNumber) ?? []) {
    out.push({
      id: `gcp:${view.source.scope}:agent/${agent.location}/${agent.engine}`,
      provider: 'gcp',
      kind: 'agent-identity',
      name: member.slice(member.indexOf('://') + 3),
      container,
      owners: [],
      tags: {},
      enabled: true,
      human: false,
      agent: UNCLASSIFIED,
      // The agent's credentials are Google's to mint and rotate; there is nothing to list.
      credentials: [],
      entitlements: granted.entitlements,
      trustedBy: granted.trustedBy,
      attributes: { principal: member, reasoningEngine: agent.engine, location: agent.location, organization: agent.organization, projectNumber: agent.projectNumber },
    });
  }
  return out;
}

type AgentGrants = Array<[string, AccountGrants, NonNullable<ReturnType<typeof agentPrincipal>>]>;
const agentsCache = new WeakMap<Map<string, AccountGrants>, Map<string | undefined, AgentGrants>>();

/** The agent principals among the grants, by project number, in the grants' order: found once
 * per estate rather than by every project looking through every grant. */
function agentsByProject(grants: Map<string, AccountGrants>): Map<string | undefined, AgentGrants> {
  let byProject = agentsCache.get(grants);
  if (byProject) return byProject;
  byProject = new Map();
  for (const [member, granted] of grants) {
    const agent = agentPrincipal(member);
    if (!agent) continue;
    let list = byProject.get(agent.projectNumber);
    if (!list) byProject.set(agent.projectNumber, (list = []));
    list.push([member, granted, agent]);
  }
  agentsCache.set(grants, byProject);
  return byProject;
}

function federationAttribute(list: ReturnType<typeof federationOf>): Record<string, unknown> {
  return list.length > 0 ? { workloadIdentityProviders: list } : {};
}
