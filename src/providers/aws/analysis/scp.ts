import type { PolicyCondition, PolicyDocument, PolicyStatement } from '../wire.js';
import { ActionSet } from './action-set.js';
import { catalogue } from './catalogue.js';
import type { HeldPolicy } from './effective.js';
import { compileDocument } from './policy-statements.js';

// The organisation's service control policies (SCPs) and resource control policies (RCPs) on
// one account, as AWS evaluates them: an action is allowed only if every level of the account's
// path (the root, each OU, the account) has an SCP that allows it, and no SCP denies it. RCPs
// restrict access to the resources of the services that support them; their Allow side is
// AWS's RCPFullAWSAccess, so only their Deny statements matter here.
//
// SCPs apply to neither the management account nor service-linked roles: the caller leaves
// them out for those. A conditioned Deny may not apply to a given request: it marks the grant
// instead of removing it, and the message says so.

export interface ControlPolicy {
  id: string;
  name: string;
  doc: PolicyDocument;
}

export interface AccountGuardrails {
  /** Root first, then each OU down to the account itself, with the SCPs attached at that level. */
  levels: { target: string; scps: ControlPolicy[] }[];
  /** Every RCP attached anywhere on the path. */
  rcps: ControlPolicy[];
}

/** What EffectivePermissions takes from the guardrails: what they can allow at all, and their Deny statements. */
export interface GuardrailInput {
  allowed: ActionSet;
  denies: HeldPolicy[];
}

/** Services whose resources RCPs cover (AWS Organizations user guide, "Resource control policies"). */
export const RCP_SERVICES = ['s3', 'sts', 'kms', 'sqs', 'secretsmanager', 'ecr', 'aoss', 'cognito-identity', 'dynamodb', 'logs'];

const viaOf = (kind: 'SCP' | 'RCP', p: ControlPolicy): HeldPolicy['via'] => ({ type: 'managed-policy', name: `${kind} ${p.name}`, id: p.id });

/** An RCP Deny statement limited to the services RCPs cover. */
function rcpStatement(s: PolicyStatement): PolicyStatement | undefined {
  if (s.Effect !== 'Deny' || !s.Action) return undefined;
  const actions = s.Action.flatMap((a) => (a === '*' ? RCP_SERVICES.map((svc) => `${svc}:*`) : RCP_SERVICES.includes(a.split(':')[0].toLowerCase()) ? [a] : []));
  return actions.length ? { ...s, Action: actions } : undefined;
}

export function guardrailInput(g: AccountGuardrails): GuardrailInput {
  const size = catalogue().size;
  const allowed = ActionSet.full(size);
  const denies: HeldPolicy[] = [];
  for (const level of g.levels) {
    const here = ActionSet.empty(size);
    for (const scp of level.scps) for (const s of compileDocument(scp.doc)) if (s.effect === 'allow') here.addAll(s.actions);
    allowed.retainAll(here);
    for (const scp of level.scps) {
      const deny = scp.doc.Statement.filter((s) => s.Effect === 'Deny');
      if (deny.length) denies.push({ doc: { Version: scp.doc.Version, Statement: deny }, via: viaOf('SCP', scp) });
    }
  }
  for (const rcp of g.rcps) {
    const deny = rcp.doc.Statement.map(rcpStatement).filter((s): s is PolicyStatement => s !== undefined);
    if (deny.length) denies.push({ doc: { Version: rcp.doc.Version, Statement: deny }, via: viaOf('RCP', rcp) });
  }
  return { allowed, denies };
}

function conditionText(c: PolicyCondition): string {
  return Object.entries(c)
    .flatMap(([op, keys]) => Object.entries(keys).map(([k, v]) => `${op} ${k} ${Array.isArray(v) ? v.join('|') : String(v)}`))
    .join(' and ');
}

/** How the guardrails cut what `granted` holds, for the identity's limitedBy line; undefined when they do not. */
export function guardrailNotes(g: AccountGuardrails, granted: ActionSet): string | undefined {
  const size = catalogue().size;
  const limiting = new Set<string>();
  const conditional: string[] = [];
  for (const level of g.levels) {
    const here = ActionSet.empty(size);
    for (const scp of level.scps) for (const s of compileDocument(scp.doc)) if (s.effect === 'allow') here.addAll(s.actions);
    // An SCP allow-list at this level leaves out some granted actions.
    if (granted.clone().removeAll(here).count() > 0) level.scps.forEach((p) => limiting.add(`SCP ${p.name}`));
  }
  const { denies } = guardrailInput(g);
  for (const d of denies) {
    for (const s of compileDocument(d.doc)) {
      if (s.effect !== 'deny' || !s.actions.intersects(granted)) continue;
      const actions = (s.source.Action ?? s.source.NotAction ?? []).join(', ');
      if (s.condition) conditional.push(`${actions} kept unless ${conditionText(s.condition)} (${d.via.name})`);
      else limiting.add(d.via.name);
    }
  }
  const parts = [...(limiting.size ? [`limited by ${[...limiting].join(', ')}`] : []), ...conditional];
  return parts.length ? parts.join('; ') : undefined;
}
