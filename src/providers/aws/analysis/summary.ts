import { hash } from 'node:crypto';
import type { Risk } from '../../../model/inventory.js';
import { actionsWithRisk, adminEquivalentActions, namedRiskyActions, RISK_ORDER } from '../permissions.js';
import { popcount, type ActionSet } from './action-set.js';
import { ByContent } from './by-content.js';
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

/** Per grant list: grants are shared by every action the same statements cover (effective.ts),
 * so most of a principal's risky actions read the same list. */
const whereMemo = new WeakMap<Grant[], string>();

function where(grants: Grant[]): string {
  let text = whereMemo.get(grants);
  if (text === undefined) whereMemo.set(grants, (text = describeWhere(grants)));
  return text;
}

function describeWhere(grants: Grant[]): string {
  const resources = [...new Set(grants.flatMap((g) => g.resources))];
  const except = [...new Set(grants.flatMap((g) => g.except))];
  const shown = resources.includes('*') ? ['*'] : resources.slice(0, MAX_RESOURCES);
  let text = shown.join(', ');
  if (resources.length > shown.length && !resources.includes('*')) text += ` (+${resources.length - shown.length} more)`;
  if (except.length) text += ` except ${except.slice(0, MAX_RESOURCES).join(', ')}`;
  if (grants.every((g) => g.conditions.length > 0 || g.conditionalDeny)) text += ' (conditional)';
  return text;
}

/** Which services the bits of each word of an action set fall in: words[w] holds the ids
 * [32w, 32w + 32), and services are consecutive id ranges, so a word lies in one service or
 * straddles a few. Counting per service is then one pass over the set's non-zero words. */
interface ServiceWords {
  /** Runs of word w: first[w] … first[w + 1] − 1. */
  first: Int32Array;
  service: Int32Array;
  mask: Int32Array;
  totals: Int32Array;
}

let serviceWords: ServiceWords | undefined;

function serviceLayout(): ServiceWords {
  if (serviceWords) return serviceWords;
  const { size, services } = catalogue();
  const words = Math.ceil(size / 32);
  const first = new Int32Array(words + 1);
  const service: number[] = [];
  const mask: number[] = [];
  let s = 0;
  for (let w = 0; w < words; w++) {
    first[w] = service.length;
    const lo = w * 32;
    const hi = Math.min(lo + 32, size);
    while (s < services.length && services[s].end <= lo) s++;
    for (let t = s; t < services.length && services[t].start < hi; t++) {
      const from = Math.max(lo, services[t].start) - lo;
      const to = Math.min(hi, services[t].end) - lo;
      if (to <= from) continue;
      service.push(t);
      mask.push(to - from === 32 ? -1 : ((1 << (to - from)) - 1) << from);
    }
  }
  first[words] = service.length;
  serviceWords = {
    first,
    service: Int32Array.from(service),
    mask: Int32Array.from(mask),
    totals: Int32Array.from(services, (r) => r.end - r.start),
  };
  return serviceWords;
}

/** "allowed/total" texts: a few hundred distinct ones serve every summary of the estate (at most
 * one per count of each service, so the table is bounded by the catalogue). */
const countTexts = new Map<number, string>();

function countText(allowed: number, total: number): string {
  const key = allowed * 65536 + total;
  let text = countTexts.get(key);
  if (text === undefined) countTexts.set(key, (text = `${allowed}/${total}`));
  return text;
}

/** "allowed/total" per service from per-service counts (see EffectiveSummary.services). Thousands
 * of distinct records stay in the inventory (one per distinct allowed set), each naming up to a
 * few hundred services: built in one go by Object.fromEntries, a record takes a sixth of the heap
 * that adding its fields one by one does (8.6 → 1.5 MiB at 10,000 AWS identities, texts shared). */
function serviceCounts(allowed: Int32Array): Record<string, string> {
  const { services } = catalogue();
  const { totals } = serviceLayout();
  let full = 0;
  for (let s = 0; s < services.length; s++) if (allowed[s] === totals[s]) full++;
  const entries: Array<[string, string]> = [];
  // Most services fully allowed (AdministratorAccess, PowerUserAccess): name the exceptions only.
  if (full > services.length / 2) {
    entries.push(['*', 'all']);
    for (let s = 0; s < services.length; s++) if (allowed[s] < totals[s]) entries.push([services[s].key, countText(allowed[s], totals[s])]);
  } else {
    for (let s = 0; s < services.length; s++) if (allowed[s] > 0) entries.push([services[s].key, countText(allowed[s], totals[s])]);
  }
  return Object.fromEntries(entries);
}

/** The summary's parts that depend on the allowed actions alone: shared by every set of
 * effective permissions that allows the same actions. */
interface ActionCounts {
  actions: number;
  accessLevels: EffectiveSummary['accessLevels'];
  services: EffectiveSummary['services'];
  risks: EffectiveSummary['risks'];
  /** Allowed admin-equivalent actions: each makes a holder admin when an unconditional grant of it reaches the holder. */
  adminCandidates: number[];
}

const countsByContent = new ByContent<ActionCounts>();

/** The sets actionCounts intersects with, as word arrays read side by side. */
let countedSets: { levels: Uint32Array[]; risks: Uint32Array[]; admin: Uint32Array } | undefined;

/** Counts per access level, risk and service, in one pass over the set's non-zero words (most
 * principals' sets are a few services' worth of a 22,000-action catalogue). */
function actionCounts(allowed: ActionSet): ActionCounts {
  countedSets ??= {
    levels: ACCESS_LEVELS.map((level) => actionsAtLevel(level).words),
    risks: RISK_ORDER.map((risk) => actionsWithRisk(risk).words),
    admin: adminEquivalentActions().words,
  };
  const { levels, risks: riskWords, admin } = countedSets;
  const { services } = catalogue();
  const { first, service, mask } = serviceLayout();
  const perService = new Int32Array(services.length);
  const perLevel = [0, 0, 0, 0, 0];
  const perRisk = RISK_ORDER.map(() => 0);
  const adminCandidates: number[] = [];
  let actions = 0;
  const words = allowed.words;
  for (let w = 0; w < words.length; w++) {
    const bits = words[w];
    if (bits === 0) continue;
    actions += popcount(bits);
    for (let l = 0; l < levels.length; l++) perLevel[l] += popcount(bits & levels[l][w]);
    for (let r = 0; r < riskWords.length; r++) perRisk[r] += popcount(bits & riskWords[r][w]);
    for (let k = first[w]; k < first[w + 1]; k++) perService[service[k]] += popcount(bits & mask[k]);
    let common = bits & admin[w];
    while (common !== 0) {
      adminCandidates.push(w * 32 + 31 - Math.clz32(common & -common));
      common &= common - 1;
    }
  }
  const accessLevels = Object.fromEntries(ACCESS_LEVELS.map((level, l) => [LEVEL_KEYS[level], perLevel[l]])) as EffectiveSummary['accessLevels'];
  const risks: EffectiveSummary['risks'] = {};
  RISK_ORDER.forEach((risk, r) => {
    if (perRisk[r] > 0) risks[risk] = perRisk[r];
  });
  return { actions, accessLevels, services: serviceCounts(perService), risks, adminCandidates };
}

/** Risky actions → where, one object per distinct content: principals whose documents differ
 * mostly name the same risky actions in the same places, and building an object of a hundred
 * keys costs more than finding it. Bounded like the other caches. */
const riskyByContent = new Map<string, Record<string, string>>();
const RISKY_CAPACITY = 4096;

function riskyActionsOf(named: string[], places: string[]): Record<string, string> {
  // Catalogue names hold no comma; places are length-prefixed, so no two contents share a key.
  let content = named.join(',');
  for (const place of places) content += `\u0000${place.length}:${place}`;
  // Kept by digest: the contents run to kilobytes each, and a full cache of them held tens of
  // megabytes of keys for the rest of the process.
  const key = hash('sha256', content, 'base64');
  let found = riskyByContent.get(key);
  if (!found) {
    // In one go, as serviceCounts does: a record of a hundred risky actions built field by field
    // takes several times the heap.
    found = Object.fromEntries(named.map((name, i) => [name, places[i]])) as Record<string, string>;
    if (riskyByContent.size >= RISKY_CAPACITY) riskyByContent.delete(riskyByContent.keys().next().value!);
    riskyByContent.set(key, found);
  }
  return found;
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
  const counts = countsByContent.get(allowed, () => actionCounts(allowed));
  // Where each risky action applies depends on the grants, not only on the actions.
  const named: string[] = [];
  const places: string[] = [];
  for (const id of allowed.commonIds(namedRiskyActions())) {
    const grants = effective.grants(id);
    if (grants.length) {
      named.push(cat.names[id]);
      places.push(where(grants));
    }
  }
  const riskyActions = riskyActionsOf(named, places);
  const result: SharedSummary = {
    head: {
      actions: counts.actions,
      of: cat.size,
      accessLevels: counts.accessLevels,
      services: counts.services,
      risks: counts.risks,
      riskyActions,
      catalogue: cat.version,
    },
    adminCandidates: counts.adminCandidates,
    denied: effective.granted.countMissingFrom(allowed),
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
