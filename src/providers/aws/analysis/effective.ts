import type { Entitlement } from '../../../model/inventory.js';
import type { PolicyCondition, PolicyDocument } from '../wire.js';
import { ActionSet } from './action-set.js';
import { actionId, catalogue } from './catalogue.js';
import { compileDocument, type CompiledStatement } from './policy-statements.js';
import { covers, intersect, substitute } from './resource-patterns.js';
import type { GuardrailInput } from './scp.js';
import { viaKey } from './shared-analyses.js';

// Effective permissions of one IAM principal, after AWS's evaluation logic for a request in the
// principal's own account: an explicit Deny in any policy wins; otherwise an action is allowed
// when an identity policy (inline, attached managed, or a group's) allows it and, if the
// principal has a permissions boundary, the boundary allows it too, and the organisation's control
// policies (when collected, scp.ts) allow it. Resource and session policies are not applied.
//
// Conditions cannot be decided without a request, so they are carried, not evaluated: an Allow
// with a condition is a grant that holds only when its condition does; a Deny with a condition
// may or may not apply, so it never removes a grant (it marks it).

export interface HeldPolicy {
  doc: PolicyDocument;
  via: Entitlement['via'];
}

export interface PrincipalPolicies {
  /** Identity policies: inline, attached managed, and (for users) every group's. */
  policies: HeldPolicy[];
  /** The permissions boundary's document, when the principal has one and it could be read. */
  boundary?: PolicyDocument;
  /** Policy variables for this principal, lower-case names (aws:username → jane.doe). */
  variables?: Record<string, string>;
  /** The organisation's SCPs and RCPs on the principal's account (see scp.ts). */
  guardrails?: GuardrailInput;
}

/** One Allow statement's grant of one action, after the boundary and Deny statements. */
export interface Grant {
  via: Entitlement['via'];
  /** Resource patterns the grant reaches. */
  resources: string[];
  /** Resources carved out of `resources` by NotResource or by a resource-specific Deny. */
  except: string[];
  /** Conditions that must all hold (the Allow's own, and the boundary's). Empty: unconditional. */
  conditions: PolicyCondition[];
  /** A conditional Deny also covers this action, so the grant may be refused at request time. */
  conditionalDeny?: true;
}

interface Held extends CompiledStatement {
  via: Entitlement['via'];
  resources: string[];
  notResources?: string[];
}

/** A document's statements as held through one `via`, when no policy variable makes them
 * differ per principal: the same for every holder, so built once. */
const heldByDocument = new WeakMap<PolicyDocument, Map<string, Held[]>>();

function heldStatements(doc: PolicyDocument, statements: CompiledStatement[], via: Entitlement['via']): Held[] {
  let byVia = heldByDocument.get(doc);
  if (!byVia) heldByDocument.set(doc, (byVia = new Map()));
  const key = viaKey(via);
  let found = byVia.get(key);
  if (!found) byVia.set(key, (found = statements.map((s) => ({ ...s, via }))));
  return found;
}

export class EffectivePermissions {
  /** Actions an identity policy allows, before Deny and boundary. */
  readonly granted: ActionSet;
  /** Actions effectively allowed on at least some resource. Resource-specific and conditional
   * Deny statements do not remove an action here; grants() has the exact picture per action. */
  readonly allowed: ActionSet;
  /** With guardrails: what the principal's own policies and boundary allow, before SCPs and RCPs cut it. */
  readonly beforeGuardrails?: ActionSet;
  /** Action patterns in Allow statements that the catalogue does not know. */
  readonly unknownActions: string[];
  private readonly allows: Held[];
  private readonly denies: Held[];
  private readonly boundaryAllows?: Held[];
  private readonly cache = new Map<number, Grant[]>();
  /** Grants by which statements cover the action: all that computeGrants reads of it, so every
   * action the same statements cover has the same grants (s3:GetObject and s3:PutObject under
   * one "s3:*" statement), computed once and shared. */
  private readonly bySignature = new Map<string, Grant[]>();

  constructor(readonly principal: PrincipalPolicies) {
    const size = catalogue().size;
    const vars = principal.variables ?? {};
    const held = (docs: HeldPolicy[]): Held[] => {
      const out: Held[] = [];
      for (const { doc, via } of docs) {
        const statements = compileDocument(doc);
        if (!statements.some((s) => s.variables)) {
          for (const s of heldStatements(doc, statements, via)) out.push(s);
          continue;
        }
        for (const s of statements) {
          out.push(
            s.variables
              ? {
                  ...s,
                  via,
                  resources: s.resources.map((r) => substitute(r, vars)),
                  ...(s.notResources ? { notResources: s.notResources.map((r) => substitute(r, vars)) } : {}),
                }
              : { ...s, via },
          );
        }
      }
      return out;
    };
    const identity = held(principal.policies);
    const boundary = principal.boundary
      ? held([{ doc: principal.boundary, via: { type: 'managed-policy', name: 'permissions boundary' } }])
      : [];
    this.allows = identity.filter((s) => s.effect === 'allow');
    // A Deny in the boundary denies as surely as one in an identity policy.
    const own = [...identity, ...boundary].filter((s) => s.effect === 'deny');
    const guardrailDenies = held(principal.guardrails?.denies ?? []).filter((s) => s.effect === 'deny');
    this.denies = [...own, ...guardrailDenies];
    if (principal.boundary) this.boundaryAllows = boundary.filter((s) => s.effect === 'allow');

    this.granted = ActionSet.empty(size);
    for (const s of this.allows) this.granted.addAll(s.actions);
    this.allowed = this.granted.clone();
    if (this.boundaryAllows) {
      const inBoundary = ActionSet.empty(size);
      for (const s of this.boundaryAllows) inBoundary.addAll(s.actions);
      this.allowed.retainAll(inBoundary);
    }
    for (const d of own) if (denyCoversEverything(d)) this.allowed.removeAll(d.actions);
    if (principal.guardrails) {
      this.beforeGuardrails = this.allowed.clone();
      this.allowed.retainAll(principal.guardrails.allowed);
      for (const d of guardrailDenies) if (denyCoversEverything(d)) this.allowed.removeAll(d.actions);
    }
    let unknown: string[] | undefined;
    for (const s of this.allows) if (s.unknownActions.length) (unknown ??= []).push(...s.unknownActions);
    this.unknownActions = unknown ? [...new Set(unknown)] : [];
  }

  /** How an action is granted; empty when it is not effectively allowed anywhere. */
  grants(id: number): Grant[] {
    let found = this.cache.get(id);
    if (!found) {
      if (this.allowed.has(id)) {
        const signature = this.signature(id);
        found = this.bySignature.get(signature);
        if (!found) this.bySignature.set(signature, (found = this.computeGrants(id)));
      } else found = [];
      this.cache.set(id, found);
    }
    return found;
  }

  grantsFor(action: string): Grant[] {
    const id = actionId(action);
    return id === undefined ? [] : this.grants(id);
  }

  private signature(id: number): string {
    let key = '';
    for (let i = 0; i < this.allows.length; i++) if (this.allows[i].actions.has(id)) key += `${i},`;
    key += '|';
    for (let i = 0; i < this.denies.length; i++) if (this.denies[i].actions.has(id)) key += `${i},`;
    if (this.boundaryAllows) {
      key += '|';
      for (let i = 0; i < this.boundaryAllows.length; i++) if (this.boundaryAllows[i].actions.has(id)) key += `${i},`;
    }
    return key;
  }

  private computeGrants(id: number): Grant[] {
    const boundaryFor = this.boundaryAllows?.filter((b) => b.actions.has(id));
    const denies = this.denies.filter((d) => d.actions.has(id));
    const out: Grant[] = [];
    for (const allow of this.allows) {
      if (!allow.actions.has(id)) continue;
      let grant: Grant | undefined = {
        via: allow.via,
        resources: allow.resources,
        except: allow.notResources ?? [],
        conditions: allow.condition ? [allow.condition] : [],
      };
      if (boundaryFor) grant = withinBoundary(grant, boundaryFor);
      for (const deny of denies) {
        if (!grant) break;
        grant = afterDeny(grant, deny);
      }
      if (grant) out.push(grant);
    }
    return out;
  }
}

function denyCoversEverything(d: Held): boolean {
  return !d.condition && !d.notResources && d.resources.includes('*');
}

/** The part of a grant the boundary also allows; undefined when none. */
function withinBoundary(grant: Grant, boundary: Held[]): Grant | undefined {
  const resources = new Set<string>();
  const conditions: PolicyCondition[] = [];
  let unconditional = false;
  for (const b of boundary) {
    const common = b.resources.includes('*') ? grant.resources : intersect(grant.resources, b.resources);
    if (common.length === 0) continue;
    common.forEach((r) => resources.add(r));
    if (b.condition) conditions.push(b.condition);
    else unconditional = true;
  }
  if (resources.size === 0) return undefined;
  return {
    ...grant,
    resources: [...resources],
    // The boundary's conditions bind only when every boundary statement that allows it has one.
    conditions: unconditional ? grant.conditions : [...grant.conditions, ...conditions],
  };
}

/** The part of a grant a Deny statement leaves; undefined when it denies all of it. */
function afterDeny(grant: Grant, deny: Held): Grant | undefined {
  if (deny.condition) return { ...grant, conditionalDeny: true };
  if (deny.notResources) {
    // Deny on everything except the listed resources: only those can remain.
    const kept = intersect(grant.resources, deny.notResources);
    return kept.length ? { ...grant, resources: kept } : undefined;
  }
  const kept = grant.resources.filter((r) => !deny.resources.some((d) => covers(d, r)));
  if (kept.length === 0) return undefined;
  // A Deny narrower than the grant carves resources out of it.
  const carved = deny.resources.filter((d) => kept.some((r) => covers(r, d)));
  return { ...grant, resources: kept, except: [...new Set([...grant.except, ...carved])] };
}
