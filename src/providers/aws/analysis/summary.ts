import type { Risk } from '../../../model/inventory.js';
import { actionsWithRisk, adminEquivalentActions, namedRiskyActions, RISK_ORDER } from '../permissions.js';
import { ACCESS_LEVELS, actionsAtLevel, catalogue } from './catalogue.js';
import type { EffectivePermissions, Grant } from './effective.js';
import { grantReachesAdmin, type Subject } from './subject.js';

// The effective permissions of one principal, compact enough for the identity JSON: counts per
// access level, per service and per risk, and the risky and escalation-relevant actions by name
// with where they apply. An AdministratorAccess holder has ~22,000 actions; listing them would
// drown the report, so only counts and the named actions are kept.

export interface EffectiveSummary {
  /** Effectively allowed actions, and how many the catalogue has. */
  actions: number;
  of: number;
  /** Every catalogued action is allowed. */
  allActions?: true;
  /** Admin-equivalent actions allowed without a condition on every resource, or on the principal's
   * own user, role, group or policy: it can grant itself anything. */
  adminEquivalent?: string[];
  /** Allowed actions per access level, as the Service Authorization Reference files them. */
  accessLevels: { list: number; read: number; tagging: number; write: number; permissionsManagement: number };
  /** "allowed/total" per service; "*" stands for every service not listed, when those are all fully allowed. */
  services: Record<string, string>;
  risks: Partial<Record<Risk, number>>;
  /** Risky and escalation-relevant actions → where they are allowed ("*", ARNs), "(conditional)" when only under a condition. */
  riskyActions: Record<string, string>;
  /** Actions an Allow grants but a Deny or the permissions boundary takes away. */
  deniedActions?: number;
  /** Allow patterns the catalogue does not know (typos, or actions newer than it). */
  unknownActions?: string[];
  /** The IAM action catalogue version the analysis used. */
  catalogue: string;
}

const LEVEL_KEYS = { List: 'list', Read: 'read', Tagging: 'tagging', Write: 'write', 'Permissions management': 'permissionsManagement' } as const;
const MAX_RESOURCES = 4;

function where(grants: Grant[]): string {
  const resources = [...new Set(grants.flatMap((g) => g.resources))];
  const except = [...new Set(grants.flatMap((g) => g.except))];
  const shown = resources.includes('*') ? ['*'] : resources.slice(0, MAX_RESOURCES);
  let text = shown.join(', ');
  if (resources.length > shown.length && !resources.includes('*')) text += ` (+${resources.length - shown.length} more)`;
  if (except.length) text += ` except ${except.slice(0, MAX_RESOURCES).join(', ')}`;
  if (grants.every((g) => g.conditions.length > 0 || g.conditionalDeny)) text += ' (conditional)';
  return text;
}

function serviceCounts(effective: EffectivePermissions): Record<string, string> {
  const cat = catalogue();
  const rows = cat.services.map((s) => ({ key: s.key, allowed: effective.allowed.countRange(s.start, s.end), total: s.end - s.start }));
  const full = rows.filter((r) => r.allowed === r.total);
  // Most services fully allowed (AdministratorAccess, PowerUserAccess): name the exceptions only.
  if (full.length > rows.length / 2) {
    return { '*': 'all', ...Object.fromEntries(rows.filter((r) => r.allowed < r.total).map((r) => [r.key, `${r.allowed}/${r.total}`])) };
  }
  return Object.fromEntries(rows.filter((r) => r.allowed > 0).map((r) => [r.key, `${r.allowed}/${r.total}`]));
}

/** The summary's parts that depend on the permissions alone, not on who holds them: computed
 * once per effective permissions, however many principals share them. */
interface SharedSummary {
  head: Omit<EffectiveSummary, 'allActions' | 'adminEquivalent' | 'deniedActions' | 'unknownActions'>;
  /** Allowed admin-equivalent actions: each makes a holder admin when an unconditional grant of it reaches the holder. */
  adminCandidates: number[];
  denied: number;
}

const shared = new WeakMap<EffectivePermissions, SharedSummary>();

function sharedSummary(effective: EffectivePermissions): SharedSummary {
  const known = shared.get(effective);
  if (known) return known;
  const cat = catalogue();
  const allowed = effective.allowed;
  const accessLevels = Object.fromEntries(
    ACCESS_LEVELS.map((level) => [LEVEL_KEYS[level], allowed.countCommon(actionsAtLevel(level))]),
  ) as EffectiveSummary['accessLevels'];
  const risks: EffectiveSummary['risks'] = {};
  for (const risk of RISK_ORDER) {
    const n = allowed.countCommon(actionsWithRisk(risk));
    if (n > 0) risks[risk] = n;
  }
  const riskyActions: Record<string, string> = {};
  for (const id of allowed.clone().retainAll(namedRiskyActions()).ids()) {
    const grants = effective.grants(id);
    if (grants.length) riskyActions[cat.names[id]] = where(grants);
  }
  const result: SharedSummary = {
    head: {
      actions: allowed.count(),
      of: cat.size,
      accessLevels,
      services: serviceCounts(effective),
      risks,
      riskyActions,
      catalogue: cat.version,
    },
    adminCandidates: [...allowed.clone().retainAll(adminEquivalentActions()).ids()],
    denied: effective.granted.clone().removeAll(allowed).count(),
  };
  shared.set(effective, result);
  return result;
}

export function summarise(effective: EffectivePermissions, subject?: Subject): EffectiveSummary {
  const cat = catalogue();
  const { head, adminCandidates, denied } = sharedSummary(effective);
  const adminEquivalent = adminCandidates
    .filter((id) =>
      effective.grants(id).some((g) => g.conditions.length === 0 && !g.conditionalDeny && grantReachesAdmin(g, cat.names[id], subject)),
    )
    .map((id) => cat.names[id]);
  const summary: EffectiveSummary = { ...head };
  if (head.actions === cat.size) summary.allActions = true;
  if (adminEquivalent.length) summary.adminEquivalent = adminEquivalent;
  if (denied > 0) summary.deniedActions = denied;
  if (effective.unknownActions.length) summary.unknownActions = effective.unknownActions;
  return summary;
}
