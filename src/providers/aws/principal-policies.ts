import type { Entitlement } from '../../model/inventory.js';
import type { HeldPolicy } from './analysis/effective.js';
import { analysePrincipal, type PolicyAnalysis, type PrincipalInput } from './analysis/principal.js';
import type { SharedAnalyses } from './analysis/shared-analyses.js';
import { findBoundaryDocument, findPolicyDocument, type AuthorizationDetails, type Reference } from './authorization-details.js';
import type { PolicyDocument } from './wire.js';

// The policies of one policy holder (user, group or role): its inline policies and the default
// version of each attached managed policy, each with the `via` its entitlements will carry.

export interface PolicyHolder {
  inline: { PolicyName: string; PolicyDocument: PolicyDocument }[];
  attached: { PolicyName: string; PolicyArn: string }[];
  /** Where the holder sits in the bundle, to name a dangling policy reference. */
  at: Reference;
  via: (policy: { name: string; arn?: string }) => Entitlement['via'];
}

/** A holder's own policies: managed ones by ARN, inline ones by name. */
export function ownPolicyVia(policy: { name: string; arn?: string }): Entitlement['via'] {
  return policy.arn
    ? { type: 'managed-policy', name: policy.name, id: policy.arn }
    : { type: 'inline-policy', name: policy.name };
}

export interface HolderPolicies {
  policies: HeldPolicy[];
  /** ARNs of the attached managed policies that were resolved. */
  managedArns: string[];
  /** Attached policies (ARNs) whose documents sit on a page that is missing because its call failed. */
  unresolved: string[];
}

export function holderPolicies(details: AuthorizationDetails, holder: PolicyHolder): HolderPolicies {
  const policies: HeldPolicy[] = holder.inline.map((p) => ({ doc: p.PolicyDocument, via: holder.via({ name: p.PolicyName }) }));
  const managedArns: string[] = [];
  const unresolved: string[] = [];
  holder.attached.forEach((p, j) => {
    const ref = { file: holder.at.file, path: `${holder.at.path}.AttachedManagedPolicies[${j}].PolicyArn` };
    const doc = findPolicyDocument(details, p.PolicyArn, ref);
    if (doc) {
      policies.push({ doc, via: holder.via({ name: p.PolicyName, arn: p.PolicyArn }) });
      managedArns.push(p.PolicyArn);
    } else unresolved.push(p.PolicyArn);
  });
  return { policies, managedArns, unresolved };
}

/** A user's or role's effective permissions, entitlements and escalation paths, from the
 * policies it holds and its permissions boundary (which may sit on a page that failed). */
export function analyseHolder(
  details: AuthorizationDetails,
  who: Pick<PrincipalInput, 'kind' | 'name' | 'arn' | 'account' | 'now' | 'guardrails'>,
  held: HolderPolicies & { groupArns?: string[] },
  boundaryArn: string | undefined,
  shared?: SharedAnalyses<PolicyAnalysis>,
) {
  const boundaryDoc = boundaryArn ? findBoundaryDocument(details, boundaryArn) : undefined;
  const analysis = analysePrincipal({
    ...who,
    policies: held.policies,
    groupArns: held.groupArns ?? [],
    managedPolicyArns: held.managedArns,
    boundary: boundaryArn ? { arn: boundaryArn, doc: boundaryDoc } : undefined,
  }, shared);
  return { ...analysis, unresolved: held.unresolved, boundaryMissing: boundaryArn !== undefined && !boundaryDoc };
}
