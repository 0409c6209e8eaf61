import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// A baseline snapshot holding only the fields the snapshot schema requires (another tool's
// output, or a report trimmed by hand) must render in every format, not crash the renderers.

let baseline: string;

beforeAll(() => {
  const full = JSON.parse(runCli(['scan', '--demo', '--format', 'json']).stdout);
  const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
  // A version-1 snapshot: every permission list in place (version 2 refers to long ones in permissionSets).
  const sets = full.permissionSets as Record<string, string[]>;
  const permissions = (e: any) => e.permissions ?? sets[e.permissionSet];
  const minimal = {
    schemaVersion: '1',
    collectedAt: full.collectedAt,
    // Every other identity and finding, so drift has something resolved to show.
    identities: full.identities.filter((_: unknown, i: number) => i % 2 === 0).map((i: any) => ({
      ...pick(i, ['id', 'provider', 'kind', 'name', 'enabled']),
      agent: { verdict: i.agent.verdict },
      credentials: i.credentials.map((c: any) => pick(c, ['id', 'type'])),
      entitlements: i.entitlements.map((e: any) => ({ ...pick(e, ['resource', 'level', 'standing']), permissions: permissions(e), via: pick(e.via, ['type', 'name']) })),
    })),
    findings: full.findings.filter((_: unknown, i: number) => i % 2 === 0).map((f: any) => pick(f, ['ruleId', 'identityId', 'fingerprint', 'severity'])),
  };
  baseline = join(mkdtempSync(join(tmpdir(), 'agentscan-minimal-')), 'baseline.json');
  writeFileSync(baseline, JSON.stringify(minimal));
});

describe('a baseline with only the required fields', () => {
  it.each(['table', 'markdown', 'html', 'sarif', 'json'])('renders as %s', (format) => {
    const r = runCli(['scan', '--from', 'fixtures/demo-later', '--baseline', baseline, '--format', format]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
  });

  it('shows the resolved findings by rule id and identity id, the names it has', () => {
    const r = runCli(['scan', '--from', 'fixtures/demo-later', '--baseline', baseline]);
    expect(r.stdout).toMatch(/resolved/i);
  });

  it('diffs with agentscan diff', () => {
    const r = runCli(['diff', baseline, baseline]);
    expect(r.code).toBe(0);
  });
});
