import type { Entitlement, Trust } from '../../model/inventory.js';
import { conditionExpiry } from './conditions.js';
import { memberTrust, type ProjectRef } from './members.js';
import { isImpersonationRole, roleFacts } from './permissions.js';
import type { Binding, Policy } from './wire.js';

// IAM policies → what each of our service accounts may do (entitlements) and who may act as
// it (trustedBy). A binding on the project reaches the whole project; a binding on one
// service account reaches that account only.

export interface AccountGrants {
  entitlements: Entitlement[];
  trustedBy: Trust[];
}

/** Where a policy is attached. */
interface PolicyTarget {
  resource: string;
  scope: Entitlement['scope'];
  /** Service accounts whose trustedBy an impersonation binding here extends. */
  impersonable: string[];
}

function entitlementFor(binding: Binding, target: PolicyTarget): Entitlement {
  const { level, risks } = roleFacts(binding.role, target.scope);
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

function sameTrust(a: Trust, b: Trust): boolean {
  return a.principal === b.principal && a.subject === b.subject && a.via === b.via && a.condition === b.condition;
}

export function collectGrants(
  project: ProjectRef,
  emails: string[],
  projectPolicy: Policy | undefined,
  accountPolicies: ReadonlyMap<string, Policy | undefined>,
): Map<string, AccountGrants> {
  const grants = new Map<string, AccountGrants>(emails.map((e) => [e, { entitlements: [], trustedBy: [] }]));

  const apply = (policy: Policy, target: PolicyTarget) => {
    for (const binding of policy.bindings) {
      for (const member of binding.members) {
        // A grant to one of our accounts is an entitlement of that account.
        const holder = member.startsWith('serviceAccount:') ? grants.get(member.slice('serviceAccount:'.length)) : undefined;
        holder?.entitlements.push(entitlementFor(binding, target));

        if (!isImpersonationRole(binding.role)) continue;
        const who = memberTrust(member, project);
        if (!who) continue;
        for (const email of target.impersonable) {
          // Being able to act as yourself adds nothing.
          if (who.principal === email) continue;
          const trust: Trust = {
            ...who,
            via: `${binding.role} on ${target.resource}`,
            ...(binding.condition ? { condition: binding.condition.expression } : {}),
          };
          const list = grants.get(email)!.trustedBy;
          if (!list.some((t) => sameTrust(t, trust))) list.push(trust);
        }
      }
    }
  };

  const projectResource = `projects/${project.projectId}`;
  if (projectPolicy) apply(projectPolicy, { resource: projectResource, scope: 'container', impersonable: emails });
  for (const [email, policy] of accountPolicies) {
    if (policy) apply(policy, { resource: `${projectResource}/serviceAccounts/${email}`, scope: 'resource', impersonable: [email] });
  }
  return grants;
}
