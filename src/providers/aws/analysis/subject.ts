import type { PolicyCondition } from '../wire.js';
import type { Grant } from './effective.js';
import { covers } from './resource-patterns.js';

// The principal under analysis as its own target: its ARN, its groups, and the customer-managed
// policies it holds. A permission that reaches these (iam:PutRolePolicy on its own role,
// iam:CreatePolicyVersion on a policy attached to it) lets it rewrite its own permissions, which
// is as good as admin even when the policy names no "*".

export interface Subject {
  kind: 'iam-user' | 'iam-role';
  account: string;
  arn: string;
  /** ARNs of the groups a user belongs to. */
  groupArns: string[];
  /** ARNs of the customer-managed policies it holds (directly or through groups). */
  customerPolicyArns: string[];
  hasBoundary: boolean;
}

/** What a permission acts on, for deciding what a grant of it reaches. */
export type TargetKind = 'user' | 'role' | 'group' | 'policy' | 'resource';

/** The principal's own resources of a kind. */
export function ownTargets(kind: TargetKind, subject: Subject): string[] {
  switch (kind) {
    case 'user':
      return subject.kind === 'iam-user' ? [subject.arn] : [];
    case 'role':
      return subject.kind === 'iam-role' ? [subject.arn] : [];
    case 'group':
      return subject.groupArns;
    case 'policy':
      return subject.customerPolicyArns;
    case 'resource':
      return [];
  }
}

/** The admin-equivalent actions and what each rewrites. */
export const ADMIN_ACTION_TARGETS: Record<string, TargetKind> = {
  'iam:AttachUserPolicy': 'user',
  'iam:PutUserPolicy': 'user',
  'iam:AttachGroupPolicy': 'group',
  'iam:PutGroupPolicy': 'group',
  'iam:AttachRolePolicy': 'role',
  'iam:PutRolePolicy': 'role',
  'iam:CreatePolicyVersion': 'policy',
  'iam:SetDefaultPolicyVersion': 'policy',
};

/** AWS managed policies that hand out IAM itself; attaching any other AWS managed policy does not. */
const POWERFUL_MANAGED = /^arn:[^:]+:iam::aws:policy\/(AdministratorAccess|IAMFullAccess)$/;

/** Conditions that stop an admin-equivalent grant from granting anything: attaching is pinned
 * (iam:PolicyARN) to AWS managed policies that are not IAM-powerful, or the target must carry a
 * permissions boundary (iam:PermissionsBoundary, the usual delegation guard-rail). */
export function defusedByCondition(conditions: readonly PolicyCondition[]): boolean {
  for (const c of conditions) {
    let found = defused.get(c);
    if (found === undefined) defused.set(c, (found = defuses(c)));
    if (found) return true;
  }
  return false;
}

/** Conditions are the documents' own objects, shared by every holder of a policy: judged once. */
const defused = new WeakMap<PolicyCondition, boolean>();

function defuses(c: PolicyCondition): boolean {
  return (
    Object.entries(c).some(([operator, block]) =>
      Object.entries(block).some(([key, value]) => {
        const k = key.toLowerCase();
        if (k === 'iam:permissionsboundary') return !/Not|IfExists/.test(operator);
        if (k !== 'iam:policyarn' || !/^(Arn|String)(Equals|Like)$/.test(operator)) return false;
        const arns = [value].flat().map(String);
        return arns.every((arn) => /^arn:[^:]+:iam::aws:policy\//.test(arn) && !arn.includes('*') && !POWERFUL_MANAGED.test(arn));
      }),
    )
  );
}

/** Whether a grant of an admin-equivalent action reaches every resource or the principal itself. */
export function grantReachesAdmin(grant: Grant, action: string, subject: Subject | undefined): boolean {
  if (defusedByCondition(grant.conditions)) return false;
  if (grant.resources.includes('*')) return true;
  const kind = ADMIN_ACTION_TARGETS[action];
  if (!subject || !kind) return false;
  return ownTargets(kind, subject).some(
    (t) => grant.resources.some((r) => covers(r, t)) && !grant.except.some((e) => covers(e, t)),
  );
}
