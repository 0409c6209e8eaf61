import type { Entitlement } from '../../../model/inventory.js';
import { holderEntitlement, policyGrants, type PolicyGrant } from '../policy-entitlements.js';
import { liveDocument, withEndedWindow } from '../time-windows.js';
import type { PolicyDocument } from '../wire.js';
import type { ActionSet } from './action-set.js';
import { catalogue } from './catalogue.js';
import { EffectivePermissions, type HeldPolicy } from './effective.js';
import { escalationPaths, type EscalationPath } from './escalation.js';
import { viaKey, type SharedAnalyses } from './shared-analyses.js';
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

/** What the analysis of a principal computes from its policies alone: the same for every
 * principal holding the same documents (see shared-analyses.ts). */
export interface PolicyAnalysis {
  effective: EffectivePermissions;
  /** Per held policy, in order: its grants before the holder is known. */
  grants: PolicyGrant[][];
}

function analysePolicies(input: PrincipalInput): PolicyAnalysis {
  const live = (doc: PolicyDocument) => (input.now ? liveDocument(doc, input.now) : doc);
  const effective = new EffectivePermissions({
    policies: input.policies.map((p) => ({ ...p, doc: live(p.doc) })),
    boundary: input.boundary?.doc && live(input.boundary.doc),
    variables: input.kind === 'iam-user' ? { 'aws:username': input.name } : {},
    ...(input.guardrails ? { guardrails: input.guardrails.input } : {}),
  });
  return { effective, grants: input.policies.map((p) => policyGrants(p.doc, p.via, effective)) };
}

/** Everything that shapes analysePolicies' result, one part per input, and the input with
 * its documents replaced by their shared equals. */
function policyAnalysisKey(input: PrincipalInput, shared: SharedAnalyses<PolicyAnalysis>): { key: string[]; input: PrincipalInput } {
  const docs = input.policies.map((p) => shared.document(p.doc));
  const boundary = input.boundary?.doc && shared.document(input.boundary.doc);
  const canonical: PrincipalInput = {
    ...input,
    policies: input.policies.map((p, i) => ({ ...p, doc: docs[i].doc })),
    ...(input.boundary && { boundary: { ...input.boundary, doc: boundary ? boundary.doc : undefined } }),
  };
  // A policy variable (${aws:username}) makes a document mean something else for each user.
  const perUser = input.kind === 'iam-user' && (docs.some((d) => d.variables) || boundary?.variables);
  const key = [
    input.policies.map((p, i) => `${docs[i].id}\u0001${viaKey(p.via)}`).join('\u0002'),
    boundary ? `boundary:${boundary.id}` : '',
    perUser ? `user:${input.name}` : '',
    input.now ?? '',
    input.guardrails ? `guardrails:${guardrailsKey(input.guardrails.policies)}` : '',
  ];
  return { key, input: canonical };
}

/** The SCPs at each level and the RCPs: accounts under the same policies share analyses. */
function guardrailsKey(g: AccountGuardrails): string {
  return `${g.levels.map((l) => l.scps.map((p) => p.id).join(',')).join('/')}|${g.rcps.map((p) => p.id).join(',')}`;
}

function sharedPolicyAnalysis(input: PrincipalInput, shared: SharedAnalyses<PolicyAnalysis>): PolicyAnalysis {
  const { key, input: canonical } = policyAnalysisKey(input, shared);
  return shared.get(key, () => analysePolicies(canonical));
}

/** The account's guardrails and the permissions they cut decide the note: once per pair. */
const notes = new WeakMap<AccountGuardrails, WeakMap<ActionSet, string | undefined>>();

function sharedGuardrailNotes(guardrails: AccountGuardrails, granted: ActionSet): string | undefined {
  let byGranted = notes.get(guardrails);
  if (!byGranted) notes.set(guardrails, (byGranted = new WeakMap()));
  if (byGranted.has(granted)) return byGranted.get(granted);
  const note = guardrailNotes(guardrails, granted);
  byGranted.set(granted, note);
  return note;
}

/** `shared`: reuse the policy-only part of earlier principals' analyses with the same inputs. */
export function analysePrincipal(input: PrincipalInput, shared?: SharedAnalyses<PolicyAnalysis>): PrincipalAnalysis {
  const { effective, grants } = shared ? sharedPolicyAnalysis(input, shared) : analysePolicies(input);
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
    .flatMap((p, i) => grants[i].map((g) => holderEntitlement(g, p.via, effective, subject)))
    .map((e) => (input.now ? withEndedWindow(e, input.now) : e));
  const summary = summarise(effective, subject);
  // Holding every action on every resource already, there is nothing to escalate to.
  // Nor when it held every action before SCPs cut some: what they deny, they deny to every
  // principal of the account, so no path leads to it.
  const everything = summary.allActions || effective.beforeGuardrails?.count() === catalogue().size;
  const escalation = everything && summary.adminEquivalent ? [] : escalationPaths(effective, subject, shared && ((key, make) => shared.keep(`path\u0000${key}`, make)));
  const guardrailNote = input.guardrails && sharedGuardrailNotes(input.guardrails.policies, effective.beforeGuardrails ?? effective.granted);
  return { effective, entitlements, summary, escalationPaths: escalation, ...(guardrailNote ? { guardrailNote } : {}) };
}
