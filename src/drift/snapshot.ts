import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { FAMILIES, SEVERITIES, type Finding } from '../model/finding.js';
import type { Identity } from '../model/inventory.js';
import { readTextFile } from '../util/read-file.js';
import { InputError } from '../util/errors.js';
import { parseJson } from '../bundle/source-reader.js';
import { displayPath } from '../util/yaml-file.js';
import type { ScanState } from './diff.js';

// A snapshot is a JSON report (`--format json` or `--save-snapshot`): it already holds the
// inventory and findings, versioned by schemaVersion, with no secrets. Only the fields drift
// needs are checked here; the rest passes through untouched.

const SUPPORTED = ['1'];

const snapshotSchema = z.looseObject({
  schemaVersion: z.string().refine((v) => SUPPORTED.includes(v), {
    message: `unsupported snapshot schemaVersion (this agentscan reads ${SUPPORTED.join(', ')})`,
  }),
  generatedAt: z.string().optional(),
  collectedAt: z.iso.datetime({ offset: true }),
  identities: z.array(
    z.looseObject({
      id: z.string(),
      provider: z.string(),
      kind: z.string(),
      name: z.string(),
      enabled: z.boolean(),
      agent: z.looseObject({ verdict: z.enum(['agent', 'automation', 'human', 'unknown']) }),
      credentials: z.array(z.looseObject({ id: z.string(), type: z.string() })),
      entitlements: z.array(
        z.looseObject({
          permissions: z.array(z.string()),
          resource: z.string(),
          via: z.looseObject({ type: z.string(), name: z.string() }),
          level: z.string(),
          standing: z.boolean(),
        }),
      ),
    }),
  ),
  findings: z.array(
    z.looseObject({ ruleId: z.string(), identityId: z.string(), fingerprint: z.string(), severity: z.enum(SEVERITIES) }),
  ),
});

// Only the fields above are required, so a snapshot written by another tool or trimmed by hand
// still diffs. The renderers read more (titles, names, remediation); those get neutral values
// from what is there, so every format renders it instead of crashing.

type LooseFinding = z.infer<typeof snapshotSchema>['findings'][number];
type LooseIdentity = z.infer<typeof snapshotSchema>['identities'][number];

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

function completeIdentity(i: LooseIdentity): Identity {
  return {
    container: { type: 'account', id: '' },
    human: false,
    ...i,
    owners: list(i.owners),
    tags: record(i.tags),
    trustedBy: list(i.trustedBy),
    attributes: record(i.attributes),
    agent: { confidence: 0, ...i.agent, signals: list((i.agent as Record<string, unknown>).signals) },
  } as unknown as Identity;
}

export function isSnapshotFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

export function loadSnapshot(file: string): ScanState {
  if (!existsSync(file)) throw new InputError('snapshot file does not exist', file);
  const display = displayPath(file);
  const snap = parseJson(display, readTextFile(file, display), snapshotSchema);
  return {
    source: display,
    collectedAt: snap.collectedAt,
    ...(snap.generatedAt && { generatedAt: snap.generatedAt }),
    identities: snap.identities.map(completeIdentity),
    findings: snap.findings.map(completeFinding),
  };
}
