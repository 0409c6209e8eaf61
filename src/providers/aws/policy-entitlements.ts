import type { Entitlement } from '../../model/inventory.js';
import { ActionSet } from './analysis/action-set.js';
import { actionSetOf, catalogue } from './analysis/catalogue.js';
import type { EffectivePermissions } from './analysis/effective.js';
import { compileDocument } from './analysis/policy-statements.js';
import { viaKey } from './analysis/shared-analyses.js';
import { grantReachesAdmin, type Subject } from './analysis/subject.js';
import { conditionFacts } from './conditions.js';
import {
  accessLevel,
  adminEquivalentActions,
  higherLevel,
  levelOfActions,
  readOnlyUnder,
  risksOf,
  risksOfActions,
  unionRisks,
  type StatementReach,
} from './permissions.js';
import type { PolicyDocument, PolicyStatement } from './wire.js';

// A policy's grants as entitlements: one per policy, effect and resources. An entitlement is
// identified by its policy and resource, so statements of one policy on the same resources
// merge; when their conditions differ, the merged condition keeps each part's condition beside
// the permissions it applies to, and the grant is standing if any part is always on.
//
// Given the principal's effective permissions, an Allow grant's level and risks describe what it
// still grants after every Deny and the permissions boundary: AdministratorAccess under a
// boundary that allows only S3 is an S3 grant. A grant that nothing survives reads as 'read' with
// no risks; its permissions stay as written.

const SCOPE_WIDTH: Entitlement['scope'][] = ['resource', 'container', 'organization', 'global'];

/** "*" is everything; an ARN whose resource part is "*" or "<type>/*" is every resource of a
 * kind in the account; anything else names resources. S3 ARNs start with the bucket name, so
 * "arn:aws:s3:::bucket/*" is still one bucket. */
export function resourceScope(resource: string): Entitlement['scope'] {
  if (resource === '*') return 'global';
  const parts = resource.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return 'resource';
  const service = parts[2];
  const rest = parts.slice(5).join(':');
  if (rest === '*' || (service !== 's3' && /^[A-Za-z0-9-]+\/\*$/.test(rest))) return 'container';
  return 'resource';
}

function widest(scopes: Entitlement['scope'][]): Entitlement['scope'] {
  return scopes.reduce((a, b) => (SCOPE_WIDTH.indexOf(b) > SCOPE_WIDTH.indexOf(a) ? b : a), 'resource');
}

/** NotAction, NotResource and the Condition block, kept as JSON so nothing is lost. */
function conditionText(s: PolicyStatement): string | undefined {
  const kept: Record<string, unknown> = {};
  if (s.NotAction) kept.NotAction = s.NotAction;
  if (s.NotResource) kept.NotResource = s.NotResource;
  if (s.Condition) kept.Condition = s.Condition;
  return Object.keys(kept).length ? JSON.stringify(kept) : undefined;
}

export function statementEntitlement(s: PolicyStatement, via: Entitlement['via']): Entitlement {
  // A statement without Resource is not valid in an identity policy; read it as everything
  // rather than nothing, so it is not under-reported.
  const resources = s.NotResource ? ['*'] : (s.Resource ?? ['*']);
  const reach: StatementReach = {
    actions: s.Action,
    notActions: s.Action ? undefined : s.NotAction,
    anyResource: resources.includes('*'),
    condition: s.Condition,
  };
  const allow = s.Effect === 'Allow';
  const { bound, expiresAt } = conditionFacts(s.Condition);
  const entitlement: Entitlement = {
    // NotAction grants everything but the listed actions: "*", with the exclusions in `condition`.
    permissions: s.Action ?? ['*'],
    ...(s.Action ? {} : { notPermissions: s.NotAction ?? [] }),
    resource: resources.join(', '),
    scope: widest(resources.map(resourceScope)),
    via,
    level: accessLevel(reach),
    standing: !bound,
    risks: allow ? risksOf(reach) : [],
    effect: allow ? 'allow' : 'deny',
  };
  const condition = conditionText(s);
  if (condition) entitlement.condition = condition;
  if (expiresAt) entitlement.expiresAt = expiresAt;
  return entitlement;
}

/** The condition of merged parts: shared as is, or per part as [{permissions, …condition}]. */
function mergedCondition(parts: Entitlement[]): string | undefined {
  const distinct = new Set(parts.map((p) => p.condition));
  if (distinct.size === 1) return parts[0].condition;
  const conditioned = parts.filter((p) => p.condition !== undefined);
  return JSON.stringify(conditioned.map((p) => ({ permissions: p.permissions, ...JSON.parse(p.condition as string) })));
}

/** Statements of one policy with the same effect on the same resources, as one grant. */
function merge(parts: Entitlement[]): Entitlement {
  if (parts.length === 1) return parts[0];
  const { condition: _c, expiresAt: _e, notPermissions: _n, ...first } = parts[0];
  const merged: Entitlement = {
    ...first,
    permissions: [...new Set(parts.flatMap((p) => p.permissions))],
    level: parts.map((p) => p.level).reduce(higherLevel),
    risks: unionRisks(...parts.map((p) => p.risks)),
    standing: parts.some((p) => p.standing),
  };
  const condition = mergedCondition(parts);
  if (condition) merged.condition = condition;
  // NotAction parts allow everything but their lists; named actions of other parts stay in `permissions`.
  const excluded = parts.filter((p) => p.notPermissions);
  if (excluded.length) merged.notPermissions = [...new Set(excluded.flatMap((p) => p.notPermissions!))];
  // Bound parts only: the whole grant ends when its last window does.
  const ends = parts.map((p) => p.expiresAt);
  if (!merged.standing && ends.every((e) => e !== undefined)) merged.expiresAt = (ends as string[]).sort().at(-1);
  return merged;
}

function sameVia(a: Entitlement['via'], b: Entitlement['via']): boolean {
  return a.type === b.type && a.name === b.name && a.id === b.id;
}

interface GrantClass {
  level: Entitlement['level'];
  risks: Entitlement['risks'];
  /** Admin-equivalent actions it grants: whether those make it admin depends on the holder. */
  adminCandidates: number[];
}

/** One grant of a document — statements of one effect on the same resources — as far as it
 * depends on the document alone; shared by every holder of the document. */
interface GrantShape {
  entitlement: Entitlement;
  /** Allow grants: the catalogue actions its statements name, and what classifying them needs;
   * `whole` is the class when nothing (Deny, boundary) takes any of the actions away, the usual case. */
  allow?: { actions: ActionSet; unknown: string[]; anyResource: boolean; readOnly: ActionSet; whole?: GrantClass };
}

const shapes = new WeakMap<PolicyDocument, Map<string, GrantShape[]>>();

function grantShapes(doc: PolicyDocument, via: Entitlement['via']): GrantShape[] {
  let byVia = shapes.get(doc);
  if (!byVia) shapes.set(doc, (byVia = new Map()));
  const key = viaKey(via);
  let found = byVia.get(key);
  if (!found) {
    // Only the entitlements' `via` differs between holders of one document (an inline policy
    // repeated under other names): the rest is computed once, for the first.
    const first: GrantShape[] | undefined = byVia.values().next().value;
    found = first ? first.map((shape) => ({ ...shape, entitlement: { ...shape.entitlement, via } })) : computeShapes(doc, via);
    byVia.set(key, found);
  }
  return found;
}

function computeShapes(doc: PolicyDocument, via: Entitlement['via']): GrantShape[] {
  const grants = new Map<string, { parts: Entitlement[]; statements: number[] }>();
  doc.Statement.forEach((s, i) => {
    const entitlement = statementEntitlement(s, via);
    const key = `${entitlement.effect} ${entitlement.resource}`;
    const group = grants.get(key) ?? { parts: [], statements: [] };
    group.parts.push(entitlement);
    group.statements.push(i);
    grants.set(key, group);
  });
  const compiled = compileDocument(doc);
  return [...grants.values()].map(({ parts, statements }) => {
    const entitlement = merge(parts);
    if (entitlement.effect === 'deny') return { entitlement };
    const actions = ActionSet.empty(catalogue().size);
    const unknown: string[] = [];
    const readOnly: string[] = [];
    for (const i of statements) {
      actions.addAll(compiled[i].actions);
      unknown.push(...compiled[i].unknownActions);
      readOnly.push(...readOnlyUnder(compiled[i].condition));
    }
    const anyResource = statements.some((i) => compiled[i].resources.includes('*'));
    return { entitlement, allow: { actions, unknown, anyResource, readOnly: actionSetOf(readOnly).set } };
  });
}

/** Level and risks of an Allow grant from what it effectively grants. */
function effectiveClassification(shape: GrantShape, effective: EffectivePermissions): GrantClass {
  const allow = shape.allow!;
  if (allow.actions.isSubsetOf(effective.allowed)) return (allow.whole ??= classifyActions(allow, allow.actions));
  return classifyActions(allow, allow.actions.clone().retainAll(effective.allowed));
}

function classifyActions(allow: NonNullable<GrantShape['allow']>, actions: ActionSet): GrantClass {
  const reach = { ...allow, actions };
  return {
    level: levelOfActions({ ...reach, anyResource: false }),
    risks: risksOfActions(reach),
    adminCandidates: actions.commonIds(adminEquivalentActions()),
  };
}

/** One grant of a policy before its holder is known: the merged entitlement and, for an Allow
 * under effective permissions, what it effectively grants. Shared by every holder of the policy. */
export interface PolicyGrant {
  entitlement: Entitlement;
  effective?: GrantClass;
}

export function policyGrants(doc: PolicyDocument, via: Entitlement['via'], effective?: EffectivePermissions): PolicyGrant[] {
  return grantShapes(doc, via).map((shape) =>
    effective && shape.allow ? { entitlement: shape.entitlement, effective: effectiveClassification(shape, effective) } : { entitlement: shape.entitlement },
  );
}

/** A grant as the holder's entitlement: admin when this very grant still lets the principal
 * rewrite its own permissions — an admin-equivalent action on every resource, or on the
 * principal's own user, role, group or policy. */
export function holderEntitlement(
  grant: PolicyGrant,
  via: Entitlement['via'],
  effective: EffectivePermissions | undefined,
  subject: Subject | undefined,
): Entitlement {
  if (!grant.effective || !effective) return { ...grant.entitlement };
  const cat = catalogue();
  const admin = grant.effective.adminCandidates.some((id) =>
    effective.grants(id).some((g) => sameVia(g.via, via) && grantReachesAdmin(g, cat.names[id], subject)),
  );
  return sharedHolderEntitlement(grant.entitlement, grant.effective, admin);
}

/** Holder entitlements by grant and class: the same statements of the same policy, judged the same,
 * are one object for every holder (nothing changes an entitlement once made; a closed time window
 * makes a new one), where a copy each was a tenth of a 100,000-identity inventory. */
const holderEntitlements = new WeakMap<Entitlement, WeakMap<GrantClass, [Entitlement?, Entitlement?]>>();

function sharedHolderEntitlement(entitlement: Entitlement, judged: GrantClass, admin: boolean): Entitlement {
  let byClass = holderEntitlements.get(entitlement);
  if (!byClass) holderEntitlements.set(entitlement, (byClass = new WeakMap()));
  let pair = byClass.get(judged);
  if (!pair) byClass.set(judged, (pair = [undefined, undefined]));
  const at = admin ? 1 : 0;
  return (pair[at] ??= { ...entitlement, level: admin ? 'admin' : judged.level, risks: judged.risks });
}

/** The policy's entitlements; with the principal's effective permissions, their level and risks
 * follow what the principal can really do. */
export function policyEntitlements(
  doc: PolicyDocument,
  via: Entitlement['via'],
  effective?: EffectivePermissions,
  subject?: Subject,
): Entitlement[] {
  return policyGrants(doc, via, effective).map((g) => holderEntitlement(g, via, effective, subject));
}
