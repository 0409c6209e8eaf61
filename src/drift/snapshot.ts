import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { FAMILIES, SEVERITIES, type Finding } from '../model/finding.js';
import type { Identity } from '../model/inventory.js';
import { InputError } from '../util/errors.js';
import { readJsonDocument } from '../util/json-document.js';
import { firstIssue } from '../util/zod-issues.js';
import { displayPath } from '../util/yaml-file.js';
import { TextPool } from '../rules/text-pool.js';
import { expiriesOf, type DriftSide, type ScanState } from './diff.js';
import { IdentityDigests } from './identity-digest.js';

// A snapshot is a JSON report (`--format json` or `--save-snapshot`): it already holds the
// inventory and findings, versioned by schemaVersion, with no secrets. Only the fields drift
// needs are checked and kept; the rest of each identity (attributes, trust, signals) is dropped
// as it is read. The file is read item by item (util/json-document.ts), never as one string.
// Drift opens it as an index (openSnapshot: about 35 MiB at 100,000 identities, where the whole
// snapshot in memory was 660 MiB) and reads back what it reports; a reference to a permission
// set missing from the file is therefore noticed only in what is read back.
//
// Versions: 1 holds every permission list in place; 2 writes a long list once, in the top-level
// `permissionSets`, and an entitlement (or evidence) refers to it by `permissionSet`. Both read.

const SUPPORTED = ['1', '2'];

const headerSchema = z.looseObject({
  schemaVersion: z.string().refine((v) => SUPPORTED.includes(v), {
    message: `unsupported snapshot schemaVersion (this agentscan reads ${SUPPORTED.join(', ')})`,
  }),
  generatedAt: z.string().optional(),
  collectedAt: z.iso.datetime({ offset: true }),
  permissionSets: z.record(z.string(), z.array(z.string())).optional(),
});

/** A grant's permissions: in place, or (version 2) by reference to the report's permissionSets. */
const permissionsSchema = {
  permissions: z.array(z.string()).optional(),
  permissionSet: z.string().optional(),
};

const identitySchema = z.looseObject({
  id: z.string(),
  provider: z.string(),
  kind: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  agent: z.looseObject({ verdict: z.enum(['agent', 'automation', 'human', 'unknown']) }),
  credentials: z.array(z.looseObject({ id: z.string(), type: z.string() })),
  entitlements: z.array(
    z
      .looseObject({
        ...permissionsSchema,
        resource: z.string(),
        via: z.looseObject({ type: z.string(), name: z.string() }),
        level: z.string(),
        standing: z.boolean(),
      })
      .refine((e) => e.permissions !== undefined || e.permissionSet !== undefined, {
        message: 'an entitlement needs permissions (or, in schemaVersion 2, a permissionSet)',
      }),
  ),
});

const findingSchema = z.looseObject({ ruleId: z.string(), identityId: z.string(), fingerprint: z.string(), severity: z.enum(SEVERITIES) });

// Only the fields above are required, so a snapshot written by another tool or trimmed by hand
// still diffs. The renderers read more (titles, names, remediation); those get neutral values
// from what is there, so every format renders it instead of crashing.

type LooseFinding = z.infer<typeof findingSchema>;
type LooseIdentity = z.infer<typeof identitySchema>;

const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
const record = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown) => (Array.isArray(v) ? v : []);

function completeFinding(f: LooseFinding): Finding {
  const target = record(f.target);
  const remediation = record(f.remediation);
  return {
    ...f,
    title: text(f.title, f.ruleId),
    family: (FAMILIES as readonly string[]).includes(text(f.family, '')) ? (f.family as Finding['family']) : 'drift',
    provider: text(f.provider, f.identityId.split(':')[0]) as Finding['provider'],
    identityName: text(f.identityName, f.identityId),
    target: { type: text(target.type, 'identity') as Finding['target']['type'], key: text(target.key, f.identityId) },
    message: text(f.message, ''),
    evidence: record(f.evidence),
    remediation: { text: text(remediation.text, ''), ...(typeof remediation.command === 'string' && { command: remediation.command }) },
    owasp: list(f.owasp).filter((o): o is string => typeof o === 'string'),
  } as Finding;
}

const pick = <T extends Record<string, unknown>>(o: T, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

/** What drift reads of an identity (diff.ts: refs, credentials, entitlements), with neutral
 * values for the fields renderers expect; everything else is dropped. */
function completeIdentity(i: LooseIdentity): Identity {
  return {
    container: { type: 'account', id: '' },
    human: false,
    ...pick(i, ['id', 'provider', 'kind', 'name', 'enabled']),
    owners: [],
    tags: {},
    trustedBy: [],
    attributes: {},
    agent: { confidence: 0, signals: [], verdict: i.agent.verdict },
    credentials: i.credentials.map((c) => pick(c, ['id', 'type', 'createdAt', 'lastUsedAt', 'expiresAt', 'status'])),
    entitlements: i.entitlements.map((e) =>
      pick(e, ['permissions', 'permissionSet', 'notPermissions', 'resource', 'scope', 'via', 'level', 'standing', 'effect', 'risks']),
    ),
  } as unknown as Identity;
}

export function isSnapshotFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function checked<S extends z.ZodType>(display: string, schema: S, value: unknown, at: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new InputError(`at ${[at, path].filter(Boolean).join(path.startsWith('[') ? '' : '.') || '(top level)'}: ${message}`, display);
  }
  return parsed.data;
}

/** Puts each referenced permission set back in place (one shared array per set). */
function resolveSets(value: unknown, sets: Record<string, string[]>, display: string): void {
  if (Array.isArray(value)) {
    for (const v of value) resolveSets(v, sets, display);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  if (typeof o.permissionSet === 'string' && o.permissions === undefined) {
    const list = sets[o.permissionSet];
    if (!list) throw new InputError(`permission set ${o.permissionSet} is referred to but not in permissionSets`, display);
    o.permissions = list;
    delete o.permissionSet;
    delete o.permissionCount;
  }
  for (const v of Object.values(o)) if (v && typeof v === 'object') resolveSets(v, sets, display);
}

/** Fields of the header kept. */
const HEADER_FIELDS = ['schemaVersion', 'generatedAt', 'collectedAt', 'permissionSets'];

interface Reading {
  identity: (i: LooseIdentity, n: number) => void;
  finding: (f: LooseFinding, n: number) => void;
  /** Forget what was handed over: the file is read again another way (util/json-document.ts). */
  restart: () => void;
  want?: (field: string, index: number) => boolean;
}

/** One reading of the file: each identity and finding (or each one wanted) checked, then handed over. */
function readSnapshot(file: string, display: string, reading: Reading) {
  const { fields, streamed } = readJsonDocument(file, display, {
    items: {
      identities: (item, n) => reading.identity(checked(display, identitySchema, item, `identities[${n}]`), n),
      findings: (item, n) => reading.finding(checked(display, findingSchema, item, `findings[${n}]`), n),
    },
    restart: reading.restart,
    keep: (key) => HEADER_FIELDS.includes(key),
    ...(reading.want && { want: reading.want }),
  });
  const header = checked(display, headerSchema, fields, '');
  for (const field of ['identities', 'findings']) {
    if (!streamed.has(field)) throw new InputError(`at ${field}: expected an array`, display);
  }
  return header;
}

/** Strings (and short lists of them) as one shared copy each: a snapshot's findings repeat the
 * same titles, remediations and evidence texts thousands of times, each line parsed into its own. */
function shareTexts(value: unknown, pool: TextPool): unknown {
  if (typeof value === 'string') return pool.text(value);
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const shared = pool.value(value);
    if (shared !== value) return shared;
    for (let i = 0; i < value.length; i++) value[i] = shareTexts(value[i], pool);
    return value;
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) o[key] = shareTexts(o[key], pool);
  return o;
}

const fileStamp = (file: string) => {
  const { size, mtimeMs } = statSync(file);
  return `${size}:${mtimeMs}`;
};

/** A snapshot as one side of a drift: read once to check it and index it (each identity's id,
 * digest and expiries, each finding's fingerprint), and again, parsing only their lines, for the
 * identities and findings drift reports. */
export function openSnapshot(file: string): DriftSide {
  if (!existsSync(file)) throw new InputError('snapshot file does not exist', file);
  const display = displayPath(file);
  const digests = new IdentityDigests();
  let identityIds: string[] = [];
  let identityDigests: string[] = [];
  let expiries = new Map<number, string[]>();
  let fingerprints: string[] = [];
  const stamp = fileStamp(file);
  const header = readSnapshot(file, display, {
    identity: (loose, n) => {
      const identity = completeIdentity(loose);
      identityIds.push(identity.id);
      identityDigests.push(digests.of(identity));
      const at = expiriesOf(identity.credentials);
      if (at.length) expiries.set(n, at);
    },
    finding: (f) => fingerprints.push(f.fingerprint),
    restart: () => {
      identityIds = [];
      identityDigests = [];
      expiries = new Map();
      fingerprints = [];
    },
  });
  const sets = header.permissionSets ?? {};
  return {
    source: display,
    collectedAt: header.collectedAt,
    ...(header.generatedAt && { generatedAt: header.generatedAt }),
    identityIds,
    digest: (i) => identityDigests[i],
    expiries: (i) => expiries.get(i) ?? [],
    fingerprints,
    read: (want) => {
      const identities = new Map<number, Identity>();
      const findings = new Map<number, Finding>();
      if (want.identities.length === 0 && want.findings.length === 0) return { identities, findings };
      if (fileStamp(file) !== stamp) throw new InputError('changed while agentscan was reading it; run again', display);
      const wanted = { identities: new Set(want.identities), findings: new Set(want.findings) };
      const pool = new TextPool();
      readSnapshot(file, display, {
        identity: (loose, n) => identities.set(n, completeIdentity(loose)),
        finding: (loose, n) => findings.set(n, completeFinding(loose)),
        restart: () => {
          identities.clear();
          findings.clear();
        },
        want: (field, n) => wanted[field as keyof typeof wanted]?.has(n) ?? false,
      });
      // Texts are shared before the permission sets go back in, so a long list is not walked
      // once per grant that refers to it.
      for (const list of [identities, findings]) {
        for (const [n, value] of list) {
          const shared = shareTexts(value, pool);
          resolveSets(shared, sets, display);
          list.set(n, shared as never);
        }
      }
      return { identities, findings };
    },
  };
}

/** The whole snapshot in memory (tests, and tools that want every identity and finding). */
export function loadSnapshot(file: string): ScanState {
  if (!existsSync(file)) throw new InputError('snapshot file does not exist', file);
  const display = displayPath(file);
  const identities: Identity[] = [];
  const findings: Finding[] = [];
  const header = readSnapshot(file, display, {
    identity: (i) => identities.push(completeIdentity(i)),
    finding: (f) => findings.push(completeFinding(f)),
    restart: () => {
      identities.length = 0;
      findings.length = 0;
    },
  });
  const sets = header.permissionSets ?? {};
  resolveSets(identities, sets, display);
  resolveSets(findings, sets, display);
  return {
    source: display,
    collectedAt: header.collectedAt,
    ...(header.generatedAt && { generatedAt: header.generatedAt }),
    identities,
    findings,
  };
}
