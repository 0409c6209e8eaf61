import type { Entitlement, Trust } from '../../model/inventory.js';
import { conditionExpiry } from './conditions.js';
import { ancestry, type GcpEstate } from './estate.js';
import { agentPrincipal, memberTrust, type ProjectRef } from './members.js';
import { isImpersonationRole, roleFacts } from './permissions.js';
import type { Binding, Policy } from './wire.js';

// IAM policies → what each service account of the bundle may do (entitlements) and who may
// act as it (trustedBy). A binding reaches everything below where it was made: on an
// organisation or folder every project under it, on a project the whole project, on one
// service account that account only. A grant names its holder by e-mail, so it lands on that
// account whichever project of the bundle the account lives in.

export interface AccountGrants {
  entitlements: Entitlement[];
  trustedBy: Trust[];
}

/** Where a policy is attached. */
interface PolicyTarget {
  resource: string;
  scope: Entitlement['scope'];
  /** Service accounts whose trustedBy an impersonation binding here extends, by their project. */
  impersonable: { project: ProjectRef; emails: string[] }[];
}

function entitlementFor(binding: Binding, target: PolicyTarget, permissions: readonly string[] | undefined): Entitlement {
  const { level, risks } = roleFacts(binding.role, target.scope, permissions);
  const condition = binding.condition?.expression;
  const expiresAt = condition === undefined ? undefined : conditionExpiry(condition);
  return {
    permissions: [binding.role],
    resource: target.resource,
    scope: target.scope,
    via: { type: 'role-binding', name: binding.role },
    level,
    // A conditioned grant is not always on: it may be time-bound, or limited to some resources.
    standing: condition === undefined,
    ...(condition !== undefined ? { condition } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    risks,
    effect: 'allow',
  };
}

/** Two trusts with the same key are the same grant of impersonation. */
function trustIdentity(t: Trust): string {
  return `${t.principal}\u0000${t.subject ?? ''}\u0000${t.subject === undefined ? 0 : 1}\u0000${t.via}\u0000${t.condition ?? '\u0001'}`;
}

/** Every policy of the estate: projects, their accounts, folders and organisations. */
function allPolicies(estate: GcpEstate): Policy[] {
  const out: Policy[] = [];
  for (const view of estate.projects.values()) {
    if (view.policy) out.push(view.policy);
    for (const p of view.accountPolicies.values()) if (p) out.push(p);
  }
  for (const a of estate.ancestors.values()) if (a.policy) out.push(a.policy);
  return out;
}

/**
 * Grants of every service account in the estate, by e-mail, and of every Vertex AI Agent
 * Engine agent principal whose project is in the estate, by its `principal://…` member.
 */
export function estateGrants(estate: GcpEstate): Map<string, AccountGrants> {
  const grants = new Map<string, AccountGrants>();
  for (const view of estate.projects.values()) {
    for (const a of view.accounts ?? []) grants.set(a.email, { entitlements: [], trustedBy: [] });
  }
  for (const member of allPolicies(estate).flatMap((p) => p.bindings.flatMap((b) => b.members))) {
    const agent = agentPrincipal(member);
    if (agent && estate.siblings.numbers.has(agent.projectNumber) && !grants.has(member)) grants.set(member, { entitlements: [], trustedBy: [] });
  }

  // Per account, the trusts it already lists: a project-wide impersonation grant reaches every
  // account of the project, so looking through the list each time would be quadratic.
  const listed = new Map<string, Set<string>>();
  const apply = (policy: Policy, target: PolicyTarget) => {
    for (const binding of policy.bindings) {
      const permissions = estate.roles.get(binding.role);
      const impersonation = isImpersonationRole(binding.role, permissions);
      for (const member of binding.members) {
        // A grant to one of the bundle's accounts is an entitlement of that account.
        const holder = member.startsWith('serviceAccount:') ? grants.get(member.slice('serviceAccount:'.length)) : grants.get(member);
        holder?.entitlements.push(entitlementFor(binding, target, permissions));
        if (!impersonation) continue;
        for (const { project, emails } of target.impersonable) {
          const who = memberTrust(member, project);
          if (!who) continue;
          // One value for every account the grant reaches.
          const trust: Trust = {
            ...who,
            via: `${binding.role} on ${target.resource}`,
            ...(binding.condition ? { condition: binding.condition.expression } : {}),
          };
          const key = trustIdentity(trust);
          for (const email of emails) {
            // Being able to act as yourself adds nothing.
            if (who.principal === email) continue;
            let seen = listed.get(email);
            if (!seen) listed.set(email, (seen = new Set()));
            if (!seen.has(key)) {
              seen.add(key);
              grants.get(email)!.trustedBy.push(trust);
            }
          }
        }
      }
    }
  };

  const below = new Map<string, PolicyTarget['impersonable']>();
  for (const view of estate.projects.values()) {
    const emails = (view.accounts ?? []).map((a) => a.email);
    const projectResource = `projects/${view.ref.projectId}`;
    for (const ancestor of ancestry(estate, view.parent)) {
      below.set(ancestor, [...(below.get(ancestor) ?? []), { project: view.ref, emails }]);
    }
    if (view.policy) apply(view.policy, { resource: projectResource, scope: 'container', impersonable: [{ project: view.ref, emails }] });
    for (const [email, policy] of view.accountPolicies) {
      if (policy) {
        apply(policy, { resource: `${projectResource}/serviceAccounts/${email}`, scope: 'resource', impersonable: [{ project: view.ref, emails: [email] }] });
      }
    }
  }
  // Folders and organisations last, nearest first, so each account lists its own project's grants before inherited ones.
  const order = [...estate.ancestors.keys()].sort((a, b) => a.localeCompare(b));
  for (const resource of order) {
    const policy = estate.ancestors.get(resource)!.policy;
    if (policy) apply(policy, { resource, scope: 'organization', impersonable: below.get(resource) ?? [] });
  }
  return grants;
}
