import type { Entitlement } from '../../model/inventory.js';
import { findPolicyDocument, type AuthorizationDetails, type Reference } from './authorization-details.js';
import { policyEntitlements } from './policy-entitlements.js';
import type { PolicyDocument } from './wire.js';

// The entitlements of one policy holder (user, group or role): its inline policies and the
// default version of each attached managed policy.

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

export interface HolderEntitlements {
  entitlements: Entitlement[];
  /** Attached policies (ARNs) whose documents sit on a page that is missing because its call failed. */
  unresolved: string[];
}

export function holderEntitlements(details: AuthorizationDetails, holder: PolicyHolder): HolderEntitlements {
  const entitlements = holder.inline.flatMap((p) => policyEntitlements(p.PolicyDocument, holder.via({ name: p.PolicyName })));
  const unresolved: string[] = [];
  holder.attached.forEach((p, j) => {
    const ref = { file: holder.at.file, path: `${holder.at.path}.AttachedManagedPolicies[${j}].PolicyArn` };
    const doc = findPolicyDocument(details, p.PolicyArn, ref);
    if (doc) entitlements.push(...policyEntitlements(doc, holder.via({ name: p.PolicyName, arn: p.PolicyArn })));
    else unresolved.push(p.PolicyArn);
  });
  return { entitlements, unresolved };
}
