import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeDrift } from '../../src/drift/diff.js';
import { loadSnapshot } from '../../src/drift/snapshot.js';
import type { Entitlement, Identity } from '../../src/model/inventory.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { buildJsonReport, jsonReportChunks, PERMISSION_SET_MIN, REPORT_SCHEMA_VERSION } from '../../src/report/json.js';
import { writeReports } from '../../src/report/write.js';
import { maskSecrets } from '../../src/report/sanitize.js';
import { readJsonDocument } from '../../src/util/json-document.js';
import { makeIdentity } from '../helpers/identity.js';
import { makeFinding, makeScan } from '../helpers/html-scan.js';

// The JSON report is also the snapshot that --baseline and diff read. It is written in chunks,
// never as one string (a 100,000-identity AWS scan is larger than V8's longest string), and
// read back item by item; long permission lists are written once.

const dir = mkdtempSync(join(tmpdir(), 'agentscan-json-stream-'));
const NOW = '2026-11-20T09:30:00Z';

const grant = (name: string, permissions: string[], resource = '*'): Entitlement => ({
  permissions,
  resource,
  scope: 'global',
  via: { type: 'managed-policy', name, id: `arn:aws:iam::aws:policy/${name}` },
  level: 'read',
  standing: true,
  risks: [],
  effect: 'allow',
});

const readOnly = Array.from({ length: 400 }, (_, i) => `svc${i % 40}:Get${i}*`);

function estate(n: number): ScanResult {
  const identities: Identity[] = Array.from({ length: n }, (_, i) =>
    makeIdentity({
      id: `aws:111111111111:role/r-${i}`,
      name: `r-${i}`,
      entitlements: [grant('ReadOnlyAccess', readOnly), grant(`own-${i}`, [`s3:GetObject`], `arn:aws:s3:::b-${i}/*`)],
      attributes: { effectivePermissions: { actions: 400, of: 22091 } },
    }),
  );
  const findings = identities.map((i, n) =>
    makeFinding({ identityId: i.id, identityName: i.name, fingerprint: `fp-${n}`, evidence: { permissions: readOnly, resource: '*' } }),
  );
  return makeScan({ identities, findings, collectedAt: NOW });
}

afterEach(() => {
  delete process.env.AGENTSCAN_MAX_FILE_BYTES;
});

describe('the JSON report, written as a stream', () => {
  it('is written in chunks, none of them the whole report', () => {
    const scan = estate(3000);
    const chunks = [...jsonReportChunks(scan, NOW)];
    const total = chunks.reduce((n, c) => n + c.length, 0);
    // Written whole, every identity would carry its 400 actions: over 20 MB.
    expect(JSON.stringify(scan.identities).length).toBeGreaterThan(20e6);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan((1 << 20) + 10_000);
    const report = JSON.parse(chunks.join(''));
    expect(total).toBeLessThan(JSON.stringify(scan.identities).length / 5);
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(report.identities).toHaveLength(3000);
    expect(report.findings).toHaveLength(3000);
  });

  it('writes each long permission list once and refers to it', () => {
    const report = buildJsonReport(estate(3), NOW);
    const ids = report.identities.map((i) => i.entitlements[0] as unknown as Record<string, unknown>);
    expect(ids.every((e) => e.permissions === undefined && e.permissionSet === ids[0].permissionSet && e.permissionCount === 400)).toBe(true);
    expect(report.permissionSets[ids[0].permissionSet as string]).toEqual(readOnly);
    // Short lists stay in place.
    expect(report.identities[0].entitlements[1].permissions).toEqual(['s3:GetObject']);
    expect(report.findings[0].evidence).toEqual({ permissionSet: ids[0].permissionSet, permissionCount: 400, resource: '*' });
    expect(Object.keys(report.permissionSets)).toHaveLength(1);
    expect(PERMISSION_SET_MIN).toBeLessThanOrEqual(400);
  });

  it('carries every top-level field of the scan, such as one a later stage adds', () => {
    const scan = { ...estate(2), reach: { nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ from: 'a', to: 'b' }] } } as unknown as ScanResult;
    const report = buildJsonReport(scan, NOW) as Record<string, unknown>;
    expect(report.reach).toEqual({ nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ from: 'a', to: 'b' }] });
    // Not in the report: the rules' texts and the manifest's claims.
    expect(report).not.toHaveProperty('rules');
    expect(report).not.toHaveProperty('declaredAgents');
    expect(Object.keys(report).slice(0, 3)).toEqual(['schemaVersion', 'tool', 'generatedAt']);
  });

  it('masks secrets in every item as it writes it', () => {
    const scan = estate(1);
    scan.identities[0].tags = { note: 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789' };
    const text = [...jsonReportChunks(scan, NOW)].join('');
    expect(text).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(text).toContain('[redacted]');
  });

  it('writes and masks what an object writes itself as (each identity\'s reach), at any depth', () => {
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const writesItself = { toJSON: () => ({ count: 1, targets: [{ identityId: `token ${secret}`, chain: [0] }] }) };
    const scan = { ...estate(1), reach: { nodes: [], edges: [], byIdentity: { a: writesItself } }, extra: { deep: { deeper: { deepest: writesItself } } }, listed: [{ inner: writesItself }] } as unknown as ScanResult;
    const text = [...jsonReportChunks(scan, NOW)].join('');
    expect(text).not.toContain(secret);
    const report = JSON.parse(text) as { reach: { byIdentity: Record<string, unknown> }; extra: { deep: { deeper: { deepest: unknown } } }; listed: Array<{ inner: unknown }> };
    const written = { count: 1, targets: [{ identityId: 'token [redacted]', chain: [0] }] };
    expect(report.reach.byIdentity.a).toEqual(written);
    expect(report.extra.deep.deeper.deepest).toEqual(written);
    expect(report.listed[0].inner).toEqual(written);
  });
});

describe('snapshots read back item by item', () => {
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads a streamed snapshot back to the same permissions, and drift of a scan against its own snapshot is empty', () => {
    const scan = estate(50);
    // An AWS Secrets Manager ARN names a `secret:` resource: not a secret to mask.
    scan.identities[0].entitlements.push(grant('sm', ['secretsmanager:GetSecretValue'], 'arn:aws:secretsmanager:eu-west-1:1:secret:search/*'));
    const file = join(dir, 'snap.json');
    writeReports([{ file, text: jsonReportChunks(scan, NOW) }]);
    const state = loadSnapshot(file);
    expect(state.identities).toHaveLength(50);
    expect(state.identities[7].entitlements[0].permissions).toEqual(readOnly);
    expect(state.findings[3].evidence.permissions).toEqual(readOnly);
    const drift = computeDrift(state, { source: 'now', ...scan });
    expect(drift.identities.changed).toEqual([]);
    expect(drift.findings.new).toEqual([]);
    expect(drift.findings.resolved).toEqual([]);
  });

  it('still sees a permission added to or removed from a grant whose list is in permissionSets', () => {
    const scan = estate(5);
    const file = join(dir, 'snap-before.json');
    writeReports([{ file, text: jsonReportChunks(scan, NOW) }]);
    const later = estate(5);
    later.identities[2].entitlements[0] = grant('ReadOnlyAccess', [...readOnly.slice(1), 'iam:PassRole']);
    const drift = computeDrift(loadSnapshot(file), { source: 'later', ...later });
    expect(drift.identities.changed).toHaveLength(1);
    expect(drift.identities.changed[0].entitlements.changed[0]).toMatchObject({ added: ['iam:PassRole'], removed: [readOnly[0]] });
  });

  it('reads the same document laid out by agentscan, pretty-printed (version 1) and minified, the big minified one streamed', () => {
    const report = buildJsonReport(estate(20), NOW);
    // Version 1: every list in place.
    const inPlace = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(inPlace);
      if (!v || typeof v !== 'object') return v;
      const { permissionSet, permissionCount: _n, ...rest } = v as Record<string, unknown>;
      const out = Object.fromEntries(Object.entries(rest).map(([k, x]) => [k, inPlace(x)]));
      return typeof permissionSet === 'string' ? { permissions: report.permissionSets[permissionSet], ...out } : out;
    };
    const { permissionSets: _sets, ...rest } = report;
    const v1 = { ...(inPlace(rest) as object), schemaVersion: '1' };
    const laid = write('laid.json', [...jsonReportChunks(estate(20), NOW)].join(''));
    const pretty = write('pretty.json', JSON.stringify(v1, null, 2));
    const minified = write('min.json', JSON.stringify(v1));
    const ids = (f: string) => loadSnapshot(f).identities.map((i) => [i.id, i.entitlements.map((e) => e.permissions.length)]);
    expect(ids(pretty)).toEqual(ids(laid));
    expect(ids(minified)).toEqual(ids(laid));
    // Over the string limit (made small here), a file not laid out by line is tokenized as a stream.
    process.env.AGENTSCAN_MAX_FILE_BYTES = '1000';
    expect(ids(minified)).toEqual(ids(laid));
    expect(loadSnapshot(minified).findings).toHaveLength(20);
  });

  it('hands over the items of a big array one at a time, never the array', () => {
    const file = write('items.json', [...jsonReportChunks(estate(30), NOW)].join(''));
    const seen: number[] = [];
    const { fields, streamed } = readJsonDocument(file, 'items.json', {
      items: { identities: (_item, n) => seen.push(n) },
      keep: (k) => k === 'schemaVersion',
      restart: () => (seen.length = 0),
    });
    expect(seen).toEqual([...Array(30).keys()]);
    expect(fields).toEqual({ schemaVersion: REPORT_SCHEMA_VERSION });
    expect(streamed).toEqual(new Set(['identities']));
  });

  it('names a truncated snapshot, and a reference to a missing permission set', () => {
    const text = [...jsonReportChunks(estate(5), NOW)].join('');
    const cut = write('cut.json', text.slice(0, text.indexOf('"findings"')));
    expect(() => loadSnapshot(cut)).toThrow(/cut\.json: .*(truncated|not valid JSON)/);
    const missing = write('missing.json', text.replace(/"permissionSets": \{[\s\S]*\}\s*\}\s*$/, '"permissionSets": {}\n}\n'));
    expect(() => loadSnapshot(missing)).toThrow(/missing\.json: permission set ps-[0-9a-f]+ is referred to but not in permissionSets/);
  });

  it('does not mask an ARN of a Secrets Manager secret, but does mask an assigned secret', () => {
    expect(maskSecrets('arn:aws:secretsmanager:eu-west-1:1:secret:search/*')).toBe('arn:aws:secretsmanager:eu-west-1:1:secret:search/*');
    expect(maskSecrets('note secret: hunter2')).toBe('note secret: [redacted]');
  });
});

it('keeps the report readable by line: one identity per line', () => {
  const text = [...jsonReportChunks(estate(4), NOW)].join('');
  const lines = text.split('\n').filter((l) => l.startsWith('    {"id":"aws:'));
  expect(lines).toHaveLength(4);
  expect(readFileSync(join(dir, 'snap.json'), 'utf8').startsWith('{\n  "schemaVersion": "2",\n')).toBe(true);
});
