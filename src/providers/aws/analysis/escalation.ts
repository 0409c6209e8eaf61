import type { PolicyCondition } from '../wire.js';
import type { EffectivePermissions, Grant } from './effective.js';
import { ESCALATION_METHODS, type EscalationCategory, type EscalationMethod } from './escalation-methods.js';
import { actionId, globRegex } from './catalogue.js';
import { covers } from './resource-patterns.js';
import { grantRootKey } from '../../../model/root-cause.js';
import { listKey } from '../../../util/list-key.js';
import { defusedByCondition, ownTargets, type Subject, type TargetKind } from './subject.js';

// Privilege-escalation paths of one principal: each published method whose every required
// permission is effectively allowed (after Deny statements and the permissions boundary). A path
// also says how far it reaches — every target ("any"), only the principal itself ("self", which
// for a self-escalation method is all it needs), or some named resources ("limited") — and
// whether it depends on a condition.

export interface EscalationPath {
  id: string;
  method: string;
  category: EscalationCategory;
  /** The permissions that make the path, one per requirement (the alternative that is allowed). */
  permissions: string[];
  description: string;
  scope: 'any' | 'self' | 'limited';
  /** For a limited path: the target resources it reaches; for a self path: the principal's own
   * user, role, groups or policies it can rewrite. */
  resources?: string[];
  /** Some permission of the path is allowed only under a condition (or a conditional Deny may refuse it). */
  conditional?: true;
  /** The policies whose grants make the path, as root-cause keys: the path is a finding about them. */
  grants: string[];
}

const ANY = '\u0001any';

function anyTargetArn(kind: TargetKind, method: EscalationMethod, account: string): string {
  const arn =
    kind === 'resource' ? (method.target.arn ?? '*') : `arn:aws:iam::{account}:${kind}/{any}`;
  return arn.replace('{account}', account).replace('{any}', ANY);
}

const PASSED_TO_SERVICE = 'iam:passedtoservice';

/** The services an iam:PassedToService condition names, and the rest of the condition. */
function splitPassedTo(condition: PolicyCondition): { services?: string[]; rest: PolicyCondition } {
  let services: string[] | undefined;
  const rest: PolicyCondition = {};
  for (const [operator, block] of Object.entries(condition)) {
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase() === PASSED_TO_SERVICE && /^(ForAnyValue:)?String(Equals|Like)(IgnoreCase)?$/.test(operator)) {
        services = [...(services ?? []), ...[value].flat().map(String)];
      } else {
        (rest[operator] ??= {})[key] = value;
      }
    }
  }
  return { services, rest };
}

interface Usable {
  grants: Grant[];
  conditional: boolean;
}

/** Depends on the grants alone (and, for PassRole, the service the role goes to): actions whose
 * grants are one shared list (effective.ts), and principals sharing permissions, share it. */
const usableMemo = new WeakMap<Grant[], Map<string, Usable>>();

function usable(effective: EffectivePermissions, id: number, action: string, passedTo?: string[]): Usable {
  const grants = effective.grants(id);
  let memo = usableMemo.get(grants);
  if (!memo) usableMemo.set(grants, (memo = new Map()));
  const key = action !== 'iam:PassRole' ? '' : passedTo ? `pass\u0000${passedTo.join('\u0000')}` : 'pass';
  let found = memo.get(key);
  if (!found) memo.set(key, (found = usableGrants(grants, action, passedTo)));
  return found;
}

/** The grants of an action that work for this method: a PassRole grant pinned to other
 * services by iam:PassedToService does not pass a role to this method's service. */
function usableGrants(grants: Grant[], action: string, passedTo?: string[]): Usable {
  const out: Grant[] = [];
  let unconditional = false;
  const passRole = action === 'iam:PassRole';
  for (const grant of grants) {
    // Attaching only harmless managed policies, or only to targets under a boundary, escalates nothing.
    if (defusedByCondition(grant.conditions)) continue;
    let conditioned = false;
    let fits = true;
    for (const c of grant.conditions) {
      const { services, rest } = passRole ? passedToOf(c) : { services: undefined, rest: c };
      if (services && passedTo && !services.some((s) => passedTo.some((p) => globRegex(s).test(p)))) fits = false;
      if (hasKeys(rest)) conditioned = true;
    }
    if (!fits) continue;
    out.push(grant);
    if (!conditioned && !grant.conditionalDeny) unconditional = true;
  }
  return { grants: out, conditional: out.length > 0 && !unconditional };
}

/** Conditions are the documents' own objects, shared by every holder: split each once. */
const passedToMemo = new WeakMap<PolicyCondition, ReturnType<typeof splitPassedTo>>();

function passedToOf(condition: PolicyCondition): ReturnType<typeof splitPassedTo> {
  let found = passedToMemo.get(condition);
  if (!found) passedToMemo.set(condition, (found = splitPassedTo(condition)));
  return found;
}

function hasKeys(o: object): boolean {
  for (const key in o) if (Object.hasOwn(o, key)) return true;
  return false;
}

/** A method whose every requirement the permissions allow: a path once its reach is known.
 * All of it depends on the permissions alone; only the reach depends on the holder. */
interface Candidate {
  method: EscalationMethod;
  permissions: string[];
  conditional: boolean;
  /** The target permission's resources, distinct, and the resources carved out of them. */
  resources: string[];
  except: string[];
  grants: string[];
  /** Whether `resources` reach an arbitrary target in `anyTargetIn` (one account's principals come together). */
  anyTargetIn?: string;
  anyTarget?: boolean;
}

/** What candidates read of a Usable, shared by every candidate (and principal) it serves. */
interface UsableFacts {
  /** Distinct resources of its grants, and the resources carved out of them. */
  resources: string[];
  except: string[];
  /** Root-cause keys of the policies its grants come from, distinct and sorted. */
  grantKeys: string[];
}

const facts = new WeakMap<Usable, UsableFacts>();

function factsOf(use: Usable): UsableFacts {
  let found = facts.get(use);
  if (!found) {
    found = {
      resources: [...new Set(use.grants.flatMap((g) => g.resources))],
      except: use.grants.flatMap((g) => g.except),
      grantKeys: [...new Set(use.grants.map((g) => grantKeyOf(g.via)))].sort(),
    };
    facts.set(use, found);
  }
  return found;
}

interface CompiledMethod {
  method: EscalationMethod;
  /** Per requirement, its alternatives with their catalogue ids (undefined: not catalogued). */
  requires: Array<{ group: string[]; ids: Array<number | undefined> }>;
}

let compiledMethods: CompiledMethod[] | undefined;

function methods(): CompiledMethod[] {
  compiledMethods ??= ESCALATION_METHODS.map((method) => ({
    method,
    requires: method.requires.map((requirement) => {
      const group = [requirement].flat();
      return { group, ids: group.map((action) => actionId(action)) };
    }),
  }));
  return compiledMethods;
}

/** Per permissions, per holder kind and whether it has a boundary (what decides which methods apply). */
const candidateMemo = new WeakMap<EffectivePermissions, Map<string, Candidate[]>>();

function candidatesFor(effective: EffectivePermissions, kind: Subject['kind'], hasBoundary: boolean): Candidate[] {
  let memo = candidateMemo.get(effective);
  if (!memo) candidateMemo.set(effective, (memo = new Map()));
  const key = `${kind}\u0000${hasBoundary}`;
  let found = memo.get(key);
  if (!found) memo.set(key, (found = computeCandidates(effective, kind, hasBoundary)));
  return found;
}

/** Every requirement has an alternative the permissions allow (in plain loops: this runs for
 * every method and every set of permissions). */
function mayApply(requires: CompiledMethod['requires'], effective: EffectivePermissions): boolean {
  for (let r = 0; r < requires.length; r++) {
    const { ids } = requires[r];
    let any = false;
    for (let i = 0; i < ids.length && !any; i++) {
      const id = ids[i];
      any = id !== undefined && effective.allowed.has(id);
    }
    if (!any) return false;
  }
  return true;
}

function computeCandidates(effective: EffectivePermissions, kind: Subject['kind'], hasBoundary: boolean): Candidate[] {
  const out: Candidate[] = [];
  const all = methods();
  for (let m = 0; m < all.length; m++) {
    const { method, requires } = all[m];
    if (method.appliesTo && method.appliesTo !== kind) continue;
    if (method.needsBoundary && !hasBoundary) continue;
    // Most methods need an action the principal is not allowed at all: ruled out on bits alone.
    if (!mayApply(requires, effective)) continue;
    const chosen: Array<{ action: string; use: Usable; group: string[] }> = [];
    for (const { group, ids } of requires) {
      const found: Array<{ action: string; use: Usable; group: string[] }> = [];
      group.forEach((action, i) => {
        // An action not effectively allowed has no grants: skip the lookup.
        const id = ids[i];
        if (id === undefined || !effective.allowed.has(id)) return;
        const use = usable(effective, id, action, action === 'iam:PassRole' ? method.passedTo : undefined);
        if (use.grants.length > 0) found.push({ action, use, group });
      });
      if (found.length === 0) break;
      // Of several allowed alternatives, name the target action if it is one, else one needing no condition.
      chosen.push(found.find((c) => c.action === method.target.action) ?? found.find((c) => !c.use.conditional) ?? found[0]);
    }
    if (chosen.length < requires.length) continue;
    // The target permission's resources say what the path reaches; when the target is one of a
    // choice, the alternative actually allowed stands in for it.
    const target = (chosen.find((c) => c.group.includes(method.target.action)) ?? chosen[0]).use;
    const reached = factsOf(target);
    out.push({
      method,
      permissions: chosen.map((c) => c.action),
      conditional: chosen.some((c) => c.use.conditional),
      resources: reached.resources,
      except: reached.except,
      grants: chosen.length === 1 ? reached.grantKeys : [...new Set(chosen.flatMap((c) => factsOf(c.use).grantKeys))].sort(),
    });
  }
  return out;
}

function scopeOf(candidate: Candidate, subject: Subject): Pick<EscalationPath, 'scope' | 'resources'> | undefined {
  const { method, resources, except } = candidate;
  const { kind } = method.target;
  if (candidate.anyTargetIn !== subject.account) {
    const anyArn = anyTargetArn(kind, method, subject.account);
    candidate.anyTarget = resources.some((r) => covers(r, anyArn));
    candidate.anyTargetIn = subject.account;
  }
  if (candidate.anyTarget) return { scope: 'any' };
  const own = ownTargets(kind, subject).filter((t) => !except.some((e) => covers(e, t)));
  const ownReached = own.filter((t) => resources.some((r) => covers(r, t)));
  if (method.reach === 'self') return ownReached.length ? { scope: 'self', resources: ownReached } : undefined;
  // Reaching only oneself (arn:aws:iam::*:user/${aws:username}) is self-service, no escalation,
  // for a method that takes over someone else.
  const onlySelf = (r: string) => own.some((t) => covers(r, t)) && !/[*?]/.test(r.slice(r.lastIndexOf('/') + 1));
  const others = resources.filter((r) => !onlySelf(r));
  return others.length ? { scope: 'limited', resources: others } : undefined;
}

const grantKeyOf = (via: Grant['via']) =>
  grantRootKey({ provider: 'aws' }, { via, permissions: [], resource: '*', scope: 'global', level: 'read', standing: true, risks: [] });

/** With `keep`, equal paths of different principals are one object (see SharedAnalyses.keep). */
export function escalationPaths(
  effective: EffectivePermissions,
  subject: Subject,
  keep: <V>(key: string, make: () => V) => V = (_key, make) => make(),
): EscalationPath[] {
  const paths: EscalationPath[] = [];
  const families = new Set<string>();
  for (const candidate of candidatesFor(effective, subject.kind, subject.hasBoundary)) {
    const { method } = candidate;
    if (method.family && families.has(method.family)) continue;
    const scope = scopeOf(candidate, subject);
    if (!scope || (method.anyTargetOnly && scope.scope !== 'any')) continue;
    if (method.family) families.add(method.family);
    const key = listKey([method.id, scope.scope, listKey(scope.resources ?? []), String(candidate.conditional), listKey(candidate.permissions), listKey(candidate.grants)]);
    paths.push(
      keep(key, () => ({
        id: method.id,
        method: method.name,
        category: method.category,
        permissions: candidate.permissions,
        description: method.description,
        ...scope,
        ...(candidate.conditional ? { conditional: true as const } : {}),
        grants: candidate.grants,
      })),
    );
  }
  return paths;
}
