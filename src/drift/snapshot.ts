import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { Finding } from '../model/finding.js';
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
  findings: z.array(z.looseObject({ ruleId: z.string(), identityId: z.string(), fingerprint: z.string(), severity: z.string() })),
});

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
    identities: snap.identities as unknown as Identity[],
    findings: snap.findings as unknown as Finding[],
  };
}
