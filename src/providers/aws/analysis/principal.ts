import type { Entitlement } from '../../../model/inventory.js';
import { policyEntitlements } from '../policy-entitlements.js';
import { liveDocument, withEndedWindow } from '../time-windows.js';
import type { PolicyDocument } from '../wire.js';
import { catalogue } from './catalogue.js';
import { EffectivePermissions, type HeldPolicy } from './effective.js';
import { escalationPaths, type EscalationPath } from './escalation.js';
import type { Subject } from './subject.js';
import { summarise, type EffectiveSummary } from './summary.js';
import { guardrailNotes, type AccountGuardrails, type GuardrailInput } from './scp.js';

// One IAM user's or role's policies → its effective permissions, its per-policy entitlements
// (level and risks after Deny and boundary), a compact summary and its escalation paths, for
// the identity's `entitlements` and `attributes`.

export interface PrincipalInput {
  kind: 'iam-user' | 'iam-role';
  name: string;
  arn: string;
  account: string;
  /** Inline, attached managed, and (users) group policies. */
  policies: HeldPolicy[];
  /** ARNs of the groups a user belongs to. */
  groupArns: string[];
  /** ARNs of the managed policies it holds, directly or through groups. */
  managedPolicyArns: string[];
  boundary?: { arn: string; doc?: PolicyDocument };
  /** The collection time: statements whose time window closed before it grant nothing. */
  now?: string;
  /** The organisation's SCPs and RCPs on the account, when collected (never for the management
   * account or a service-linked role), with their input to the evaluation computed once per account. */
  guardrails?: { policies: AccountGuardrails; input: GuardrailInput };
}

export interface PrincipalAnalysis {
  effective: EffectivePermissions;
  entitlements: Entitlement[];
  summary: EffectiveSummary;
  escalationPaths: EscalationPath[];
  /** How SCPs and RCPs cut the grants, in words ("limited by SCP deny-iam-users; …"). */
  guardrailNote?: string;
}

export function analysePrincipal(input: PrincipalInput): PrincipalAnalysis {
  const live = (doc: PolicyDocument) => (input.now ? liveDocument(doc, input.now) : doc);
  const effective = new EffectivePermissions({
    policies: input.policies.map((p) => ({ ...p, doc: live(p.doc) })),
    boundary: input.boundary?.doc && live(input.boundary.doc),
    variables: input.kind === 'iam-user' ? { 'aws:username': input.name } : {},
    ...(input.guardrails ? { guardrails: input.guardrails.input } : {}),
  });
  const subject: Subject = {
    kind: input.kind,
    account: input.account,
    arn: input.arn,
    groupArns: input.groupArns,
    // AWS managed policies cannot be given new versions by the account.
    customerPolicyArns: input.managedPolicyArns.filter((arn) => !/^arn:[^:]+:iam::aws:/.test(arn)),
    hasBoundary: input.boundary !== undefined,
  };
  const entitlements = input.policies
    .flatMap((p) => policyEntitlements(p.doc, p.via, effective, subject))
    .map((e) => (input.now ? withEndedWindow(e, input.now) : e));
  const summary = summarise(effective, subject);
  // Holding every action on every resource already, there is nothing to escalate to.
  // Nor when it held every action before SCPs cut some: what they deny, they deny to every
  // principal of the account, so no path leads to it.
  const everything = summary.allActions || effective.beforeGuardrails?.count() === catalogue().size;
  const escalation = everything && summary.adminEquivalent ? [] : escalationPaths(effective, subject);
  const guardrailNote = input.guardrails && guardrailNotes(input.guardrails.policies, effective.beforeGuardrails ?? effective.granted);
  return { effective, entitlements, summary, escalationPaths: escalation, ...(guardrailNote ? { guardrailNote } : {}) };
}
