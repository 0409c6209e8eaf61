import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeDrift, type DriftSide } from '../../src/drift/diff.js';
import { loadSnapshot, openSnapshot } from '../../src/drift/snapshot.js';
import type { Credential, Entitlement, Identity } from '../../src/model/inventory.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { jsonReportChunks } from '../../src/report/json.js';
import { readJsonDocument } from '../../src/util/json-document.js';
import { makeFinding, makeScan } from '../helpers/html-scan.js';
import { makeIdentity } from '../helpers/identity.js';

// A snapshot read as a drift side keeps an index (ids, digests, fingerprints) and reads back only
// the identities and findings the drift reports. Its drift must be the drift of the snapshot read
// whole, whatever changed; and it must read back no more than that.

const dir = mkdtempSync(join(tmpdir(), 'agentscan-snapshot-side-'));
const WAS = '2026-11-01T09:30:00Z';
const NOW = '2026-11-20T09:30:00Z';

const readOnly = Array.from({ length: 300 }, (_, i) => `svc${i % 30}:Get${i}*`);
const grant = (name: string, permissions: string[], resource = '*', level: Entitlement['level'] = 'read'): Entitlement => ({
  permissions,
  resource,
  scope: 'global',
  via: { type: 'managed-policy', name, id: `arn:aws:iam::aws:policy/${name}` },
  level,
  standing: true,
  risks: [],
  effect: 'allow',
});
const key = (id: string, extra: Partial<Credential> = {}): Credential => ({ id, type: 'access-key', status: 'active', ...extra });

function estate(collectedAt: string, change: (ids: Identity[]) => void = () => {}): ScanResult {
  const identities = Array.from({ length: 40 }, (_, i) =>
    makeIdentity({
      id: `aws:111111111111:role/r-${i}`,
      name: `r-${i}`,
      credentials: [key(`AKIA-r${i}`, i === 9 ? { expiresAt: '2026-11-10T00:00:00Z' } : {})],
      entitlements: [grant('ReadOnlyAccess', readOnly), grant(`own-${i}`, ['s3:GetObject'], `arn:aws:s3:::b-${i}/*`)],
    }),
  );
  change(identities);
  const findings = identities.map((i, n) =>
    makeFinding({ identityId: i.id, identityName: i.name, fingerprint: `fp-${i.name}`, evidence: { permissions: readOnly, n } }),
  );
  return makeScan({ identities, findings, collectedAt });
}

const later = estate(NOW, (ids) => {
  ids[2].entitlements[0] = grant('ReadOnlyAccess', [...readOnly.slice(1), 'iam:PassRole']);
  ids[5].credentials = [key('AKIA-r5-new')];
  ids[6].credentials[0] = { ...ids[6].credentials[0], lastUsedAt: '2026-11-19T00:00:00Z' };
  ids[7].agent = { ...ids[7].agent, verdict: 'agent' };
  ids[8].entitlements[1] = grant('own-8', ['s3:GetObject'], 'arn:aws:s3:::b-8/*', 'write');
  ids.splice(30, 2);
  ids.push(makeIdentity({ id: 'aws:111111111111:role/new-one', name: 'new-one' }));
});

function snapshot(name: string, scan: ScanResult): string {
  const file = join(dir, name);
  writeFileSync(file, [...jsonReportChunks(scan, scan.collectedAt)].join(''));
  return file;
}

/** The side, with what each read asked for recorded. */
function recorded(side: DriftSide) {
  const asked: Array<{ identities: number[]; findings: number[] }> = [];
  return {
    asked,
    side: { ...side, read: (want: (typeof asked)[number]) => (asked.push(want), side.read(want)) } as DriftSide,
  };
}

describe('a snapshot as a drift side', () => {
  const before = snapshot('before.json', estate(WAS));
  const after = snapshot('after.json', later);

  it('gives the drift of the snapshot read whole, in both directions and against a scan in memory', () => {
    const whole = computeDrift(loadSnapshot(before), loadSnapshot(after));
    const indexed = computeDrift(openSnapshot(before), openSnapshot(after));
    expect(indexed).toEqual(whole);
    expect(computeDrift(openSnapshot(after), openSnapshot(before))).toEqual(computeDrift(loadSnapshot(after), loadSnapshot(before)));
    expect(computeDrift(openSnapshot(before), { source: 'now', ...later })).toEqual(computeDrift(loadSnapshot(before), { source: 'now', ...later }));
    // What changed is all there: the long list's edit, the rotation, first use, verdict, level,
    // the key that expired in between (same content, so the same digest), added and removed.
    const changed = Object.fromEntries(indexed.identities.changed.map((c) => [c.identity.name, c]));
    expect(Object.keys(changed).sort()).toEqual(['r-2', 'r-5', 'r-6', 'r-7', 'r-8', 'r-9']);
    expect(changed['r-2'].entitlements.changed[0]).toMatchObject({ added: ['iam:PassRole'], removed: [readOnly[0]] });
    expect(changed['r-5'].credentials.rotated).toHaveLength(1);
    expect(changed['r-6'].credentials.newlyUsed.map((c) => c.id)).toEqual(['AKIA-r6']);
    expect(changed['r-7'].verdict).toEqual({ from: 'automation', to: 'agent' });
    expect(changed['r-9'].credentials.newlyExpired.map((c) => c.id)).toEqual(['AKIA-r9']);
    expect(indexed.identities.added.map((i) => i.name)).toEqual(['new-one']);
    expect(indexed.identities.removed.map((i) => i.name)).toEqual(['r-30', 'r-31']);
    expect(indexed.findings.resolved.map((f) => f.fingerprint)).toEqual(['fp-r-30', 'fp-r-31']);
    expect(indexed.findings.resolved[0].evidence.permissions).toEqual(readOnly);
    expect(indexed.findings.new.map((f) => f.fingerprint)).toEqual(['fp-new-one']);
  });

  it('reads back only the identities and findings the drift reports', () => {
    const { side, asked } = recorded(openSnapshot(before));
    computeDrift(side, { source: 'now', ...later });
    // r-2, r-5 … r-9 compared in full (r-9 for its expiry), r-30 and r-31 removed, their findings resolved.
    expect(asked).toEqual([{ identities: [2, 5, 6, 7, 8, 9, 30, 31], findings: [30, 31] }]);
    const same = recorded(openSnapshot(before));
    const drift = computeDrift(same.side, { source: 'again', ...estate(WAS) });
    expect(same.asked).toEqual([{ identities: [], findings: [] }]);
    expect(drift.identities.changed).toEqual([]);
    expect(drift.findings.unchanged).toHaveLength(40);
  });

  it('refuses a snapshot rewritten between its index and the read back, naming it', () => {
    const file = snapshot('rewritten.json', estate(WAS));
    const side = openSnapshot(file);
    writeFileSync(file, [...jsonReportChunks(later, WAS)].join(''));
    expect(() => computeDrift(side, { source: 'now', ...later })).toThrow(/rewritten\.json: changed while agentscan was reading it/);
  });

  it('hands over only the wanted items, at their indices, in every layout', () => {
    const report = JSON.parse([...jsonReportChunks(estate(WAS), WAS)].join(''));
    const layouts = { laid: before, pretty: join(dir, 'pretty.json'), minified: join(dir, 'min.json') };
    writeFileSync(layouts.pretty, JSON.stringify(report, null, 2));
    writeFileSync(layouts.minified, JSON.stringify(report));
    for (const file of Object.values(layouts)) {
      const seen: Array<[number, string]> = [];
      readJsonDocument(file, file, {
        items: { identities: (item, n) => seen.push([n, (item as Identity).name]) },
        keep: () => false,
        restart: () => (seen.length = 0),
        want: (field, n) => field === 'identities' && n % 10 === 3,
      });
      expect(seen).toEqual([[3, 'r-3'], [13, 'r-13'], [23, 'r-23'], [33, 'r-33']]);
    }
  });
});
