import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { validateSarif } from '../helpers/sarif-schema.js';

const DEMO = join(ROOT, 'fixtures', 'demo');
const LATER = join(ROOT, 'fixtures', 'demo-later');
const MANIFEST = join(ROOT, 'fixtures', 'agents.yaml');
const SUPPRESSIONS = join(ROOT, 'fixtures', 'suppressions.yaml');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

describe('the later demo bundle', () => {
  it('is what scripts/make-demo-later.mjs makes from fixtures/demo', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'agentscan-later-')), 'demo-later');
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'make-demo-later.mjs'), out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const made = files(out).map((f) => relative(out, f)).sort();
    expect(files(LATER).map((f) => relative(LATER, f)).sort()).toEqual(made);
    for (const f of made) expect(readFileSync(join(LATER, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
  });
});

describe('scan with a baseline', () => {
  let report: JsonReport;
  let snapshot: string;
  /** The later scan against the baseline, once: its exit code under --fail-on critical, and every format it wrote. */
  let later: { code: number; out: string };

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-snap-'));
    snapshot = join(dir, 'baseline.json');
    const first = runCli(['scan', '--demo', '--manifest', MANIFEST, '--save-snapshot', snapshot, '-f', 'markdown']);
    expect(first.code).toBe(0);
    const r = runCli([
      'scan', '--from', LATER, '--baseline', snapshot, '--manifest', MANIFEST, '-f', 'json', '--fail-on', 'critical',
      '-o', join(dir, 'table.txt'), '-o', join(dir, 'report.md'), '-o', join(dir, 'results.sarif'), '--save-snapshot', join(dir, 'later.json'),
    ]);
    expect(r.stderr).toBe('');
    later = { code: r.code, out: dir };
    report = JSON.parse(r.stdout) as JsonReport;
  }, 120_000); // two full scans, which several tests below share

  it('reports identities added and removed, with what changed on the rest', () => {
    const d = report.drift!;
    expect(d.identities.added.map((i) => i.name)).toEqual(['devin-ai-integration']);
    expect(d.identities.removed.map((i) => i.name).sort()).toEqual(['jdoe/devin agent', 'legacy-break-glass']);
    const byName = new Map(d.identities.changed.map((c) => [c.identity.name, c]));
    expect(byName.get('bedrock-triage-agent')!.entitlements.granted).toEqual([
      expect.objectContaining({ level: 'admin', via: expect.objectContaining({ name: 'AdministratorAccess' }) }),
    ]);
    expect(byName.get('HR-Copilot')!.credentials.rotated).toHaveLength(1);
    expect(byName.get('support-bot@acme-ml-prod.iam.gserviceaccount.com')!.credentials.rotated).toHaveLength(1);
    expect(byName.get('research-agent@acme-ml-prod.iam.gserviceaccount.com')!.credentials.deleted).toHaveLength(1);
    expect(byName.get('legacy-sync')!.credentials.deleted).toEqual([expect.objectContaining({ type: 'client-secret' })]);
    expect(byName.get('vertex-agent@acme-ml-prod.iam.gserviceaccount.com')!.entitlements.granted[0].via.name).toBe('roles/storage.admin');
  });

  it('sorts findings into new, resolved and unchanged by fingerprint, and marks each one', () => {
    const d = report.drift!;
    expect(d.findings.new.some((f) => f.ruleId === 'agent-standing-admin' && f.identityName === 'bedrock-triage-agent')).toBe(true);
    expect(d.findings.new.some((f) => f.ruleId === 'undeclared-agent' && f.identityName === 'devin-ai-integration')).toBe(true);
    expect(d.findings.resolved.some((f) => f.ruleId === 'trust-any-principal')).toBe(true);
    expect(d.findings.resolved.some((f) => f.ruleId === 'agent-delegated-all-users')).toBe(true);
    // A rotated secret is still the same problem: the agent holds a static secret.
    expect(d.findings.new.some((f) => f.ruleId === 'agent-long-lived-secret')).toBe(false);
    expect(d.findings.unchanged.some((f) => f.ruleId === 'agent-long-lived-secret' && f.identityName === 'HR-Copilot')).toBe(true);
    // Ages moved on by a day between the bundles; the same problems must stay unchanged.
    expect(d.findings.unchanged.some((f) => f.ruleId === 'credential-too-old')).toBe(true);
    const prints = new Set(d.findings.new.map((f) => f.fingerprint));
    for (const f of report.findings) expect(f.baselineState).toBe(prints.has(f.fingerprint) ? 'new' : 'unchanged');
    expect(report.summary.new).toBe(d.findings.new.length);
  });

  it('gives the same drift against a bundle folder as against its snapshot', () => {
    const r = runCli(['scan', '--from', LATER, '--baseline', DEMO, '--manifest', MANIFEST, '-f', 'json']);
    const viaBundle = JSON.parse(r.stdout) as JsonReport;
    const fp = (x: JsonReport) => x.drift!.findings.new.map((f) => f.fingerprint).sort();
    expect(fp(viaBundle)).toEqual(fp(report));
  });

  it('fails CI only on new findings with --new-only', () => {
    expect(later.code).toBe(1);
    // The only new critical findings are the two admin grants; every other critical is old.
    const r = runCli(['scan', '--from', LATER, '--baseline', snapshot, '--fail-on', 'critical', '--new-only', '-f', 'json', '--manifest', MANIFEST]);
    const newCritical = (JSON.parse(r.stdout) as JsonReport).findings.filter((f) => f.baselineState === 'new' && f.severity === 'critical');
    expect(r.code).toBe(newCritical.length > 0 ? 1 : 0);
    expect(runCli(['scan', '--demo', '--baseline', snapshot, '--fail-on', 'low', '--new-only', '--manifest', MANIFEST]).code).toBe(0);
    expect(runCli(['scan', '--demo', '--new-only', '--fail-on', 'low']).stderr).toContain('--new-only needs --baseline');
  });

  it('shows drift first in the table and markdown, and as baselineState in SARIF', () => {
    const table = readFileSync(join(later.out, 'table.txt'), 'utf8');
    expect(table.indexOf('DRIFT since')).toBeGreaterThan(0);
    expect(table.indexOf('NEW findings')).toBeLessThan(table.indexOf('AI agents'));
    expect(table).toContain('+ devin-ai-integration (github github-app-installation, agent)');
    expect(table).toMatch(/credential rotated: \S+ → \S+/);
    const md = readFileSync(join(later.out, 'report.md'), 'utf8');
    expect(md).toContain('### Drift since');
    expect(md).toContain('**New findings');
    const sarif = JSON.parse(readFileSync(join(later.out, 'results.sarif'), 'utf8'));
    expect(validateSarif(sarif)).toBe(true);
    const states = new Set(sarif.runs[0].results.map((r: { baselineState: string }) => r.baselineState));
    expect(states).toEqual(new Set(['new', 'unchanged', 'absent']));
    const absent = sarif.runs[0].results.filter((r: { baselineState: string }) => r.baselineState === 'absent');
    expect(absent.every((r: { kind: string }) => r.kind === 'pass')).toBe(true);
  });

  it('compares two snapshots with agentscan diff', () => {
    const saved = join(later.out, 'later.json');
    const r = runCli(['diff', snapshot, saved, '-f', 'json']);
    expect(r.code).toBe(0);
    const drift = JSON.parse(r.stdout);
    expect(drift.identities.added.map((i: { name: string }) => i.name)).toEqual(['devin-ai-integration']);
    const table = runCli(['diff', snapshot, saved, '--fail-on', 'critical']);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('DRIFT since');
  });

  it('exits 2 naming a bad baseline', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'agentscan-badsnap-')), 'snap.json');
    writeFileSync(bad, JSON.stringify({ schemaVersion: '1', collectedAt: '2026-11-20T09:30:00Z', identities: [{ id: 1 }], findings: [] }));
    const r = runCli(['scan', '--demo', '--baseline', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/snap\.json: at identities\[0\]\.id: /);
    writeFileSync(bad, JSON.stringify({ schemaVersion: '9', collectedAt: '2026-11-20T09:30:00Z', identities: [], findings: [] }));
    expect(runCli(['scan', '--demo', '--baseline', bad]).stderr).toContain('unsupported snapshot schemaVersion');
    expect(runCli(['scan', '--demo', '--baseline', '/nonexistent/snap.json']).code).toBe(2);
  });
});

describe('manifest and suppressions on the demo', () => {
  let report: JsonReport;
  beforeAll(() => {
    const r = runCli(['scan', '--demo', '--manifest', MANIFEST, '--suppressions', SUPPRESSIONS, '-f', 'json']);
    expect(r.code).toBe(0);
    report = JSON.parse(r.stdout) as JsonReport;
  });

  it('reports every kind of drift from declared intent', () => {
    const rules = new Set(report.findings.map((f) => f.ruleId));
    for (const id of ['undeclared-agent', 'declared-agent-missing', 'entitlement-beyond-declared', 'owner-mismatch', 'credential-older-than-declared', 'declared-exception-expired', 'claimed-by-several-agents']) {
      expect(rules, id).toContain(id);
    }
    const declared = report.identities.find((i) => i.name === 'support-copilot-agentcore')!;
    expect(declared.agent.signals[0]).toMatchObject({ kind: 'manifest', points: 'agent' });
  });

  it('keeps muted findings visible with their reason, and reports an expired suppression', () => {
    const muted = report.findings.filter((f) => f.suppression);
    expect(muted.length).toBe(report.summary.suppressed);
    expect(muted.every((f) => f.ruleId !== 'credential-too-old')).toBe(true);
    expect(muted.some((f) => f.ruleId === 'no-owner' && f.provider === 'gcp')).toBe(true);
    expect(report.findings.some((f) => f.ruleId === 'suppression-expired')).toBe(true);
    expect(report.summary.findings + report.summary.suppressed).toBe(report.findings.length);
    const sarif = JSON.parse(runCli(['scan', '--demo', '--suppressions', SUPPRESSIONS, '-f', 'sarif']).stdout);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed.length).toBe(muted.filter((f) => f.family !== 'drift').length);
    expect(suppressed[0].suppressions[0]).toMatchObject({ kind: 'external', justification: expect.any(String) });
  });

  it('does not fail CI on muted findings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-mute-'));
    writeFileSync(join(dir, 'agentscan.yaml'), 'suppressions:\n  - { rule: "*", identity: "*", reason: everything is accepted in this test }\n');
    const r = runCli(['scan', '--demo', '--fail-on', 'low', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonReport).summary.findings).toBe(0);
    writeFileSync(join(dir, 'agentscan.yaml'), 'suppressions:\n  - { rule: "*", identity: "*" }\n');
    const bad = runCli(['scan', '--demo'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/agentscan\.yaml: line 2: suppressions\[0\]\.reason: /);
  });
});
