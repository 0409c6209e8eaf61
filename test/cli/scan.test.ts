import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { validateSarif } from '../helpers/sarif-schema.js';

const DEMO = join(ROOT, 'fixtures', 'demo');

function copyDemo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentscan-bundle-'));
  cpSync(DEMO, dir, { recursive: true });
  return dir;
}

describe('agentscan scan --demo', () => {
  let report: JsonReport;
  let table: string;

  beforeAll(() => {
    const json = runCli(['scan', '--demo', '--format', 'json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    report = JSON.parse(json.stdout) as JsonReport;
    table = runCli(['scan', '--demo']).stdout;
  });

  it('covers at least 40 identities across all four providers', () => {
    expect(report.identities.length).toBeGreaterThanOrEqual(40);
    expect(new Set(report.identities.map((i) => i.provider))).toEqual(new Set(['aws', 'gcp', 'github', 'entra']));
    expect(report.schemaVersion).toBe('2');
    expect(report.complete).toBe(true);
  });

  it('recognises agents by at least four kinds of signal, and a human credential used by an agent', () => {
    const agents = report.identities.filter((i) => i.agent.verdict === 'agent');
    const kinds = new Set(agents.flatMap((a) => a.agent.signals.filter((s) => s.points === 'agent').map((s) => s.kind)));
    expect(kinds.size).toBeGreaterThanOrEqual(4);
    expect(agents.some((a) => a.human)).toBe(true);
    expect(report.findings.some((f) => f.ruleId === 'human-credential-used-by-agent')).toBe(true);
    for (const i of report.identities) {
      expect(['agent', 'automation', 'human', 'unknown']).toContain(i.agent.verdict);
      if (i.agent.verdict !== 'unknown') expect(i.agent.signals.length > 0 || i.agent.verdict === 'human').toBe(true);
    }
  });

  it('shows every family of problem, on every provider where it applies', () => {
    const seen = (provider: string) => new Set(report.findings.filter((f) => f.provider === provider).map((f) => f.family));
    for (const provider of ['aws', 'gcp', 'github', 'entra']) {
      for (const family of ['shared-account', 'standing-privilege', 'stale-credential', 'over-scoped']) {
        expect(seen(provider), `${provider} ${family}`).toContain(family);
      }
    }
    expect(report.findings.some((f) => f.family === 'ownership')).toBe(true);
    const clean = report.identities.filter((i) => !report.findings.some((f) => f.identityId === i.id));
    expect(clean.length).toBeGreaterThanOrEqual(5);
  });

  it('evaluates every rule without errors', () => {
    expect(report.ruleErrors).toEqual([]);
  });

  it('prints a table grouped by severity with a summary line', () => {
    expect(table).toMatch(/AI agents \(\d+\)/);
    const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map((s) => table.indexOf(`\n${s} (`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(table).toMatch(new RegExp(`${report.findings.length} findings — by severity: .*critical.* — by family: .*shared-account`));
  });

  it('never prints a secret', () => {
    const all = JSON.stringify(report);
    expect(all).not.toMatch(/"(secretText|privateKey|private_key|token|password)"\s*:/i);
    expect(all).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(all).not.toMatch(/\bgh[pousr]_[A-Za-z0-9]{30,}/);
  });
});

describe('reports', () => {
  it('writes several formats to several files in one run', () => {
    const out = mkdtempSync(join(tmpdir(), 'agentscan-out-'));
    const r = runCli([
      'scan', '--demo', '--format', 'markdown',
      '-o', `sarif=${join(out, 'results.sarif')}`, '-o', join(out, 'report.json'), '-o', `table=${join(out, 'table.txt')}`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^## agentscan/);
    expect(r.stdout).toContain('### Most severe findings');
    const sarif = JSON.parse(readFileSync(join(out, 'results.sarif'), 'utf8'));
    expect(validateSarif(sarif)).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as JsonReport;
    expect(sarif.runs[0].results).toHaveLength(json.findings.length);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('fixtures/demo/bundle.json');
    expect(readFileSync(join(out, 'table.txt'), 'utf8')).toContain('findings — by severity');
  });

  it('gives the same findings and fingerprints on every run', () => {
    const a = JSON.parse(runCli(['scan', '--demo', '-f', 'json']).stdout) as JsonReport;
    const b = JSON.parse(runCli(['scan', '--demo', '-f', 'json']).stdout) as JsonReport;
    expect(b.findings).toEqual(a.findings);
    expect(new Set(a.findings.map((f) => f.fingerprint)).size).toBe(a.findings.length);
  });
});

describe('exit codes', () => {
  it('exits 1 with --fail-on when findings reach the threshold, 0 when none do', () => {
    expect(runCli(['scan', '--demo', '--fail-on', 'high', '-f', 'json']).code).toBe(1);
    const rules = JSON.parse(runCli(['rules', 'list', '-f', 'json']).stdout) as Array<{ id: string; severity: string }>;
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-cfg-'));
    const lowered = rules.filter((r) => r.severity === 'critical').map((r) => `  ${r.id}: { severity: high }`);
    writeFileSync(join(dir, 'agentscan.yaml'), `overrides:\n${lowered.join('\n')}\n`);
    expect(runCli(['scan', '--demo', '--fail-on', 'critical'], { cwd: dir }).code).toBe(0);
    expect(runCli(['scan', '--demo', '--fail-on', 'high'], { cwd: dir }).code).toBe(1);
    writeFileSync(join(dir, 'agentscan.yaml'), `failOn: medium\n`);
    expect(runCli(['scan', '--demo'], { cwd: dir }).code).toBe(1);
  });

  it('exits 2 naming the file and field when a bundle file is malformed', () => {
    const dir = copyDemo();
    const manifest = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
    manifest.collectedAt = 'last tuesday';
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify(manifest));
    const r = runCli(['scan', '--from', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bundle\.json: at collectedAt: /);
    expect(r.stdout).toBe('');
  });

  it('exits 2 when the bundle folder or its manifest is missing', () => {
    expect(runCli(['scan', '--from', '/nonexistent/bundle']).stderr).toContain('bundle folder does not exist');
    const empty = mkdtempSync(join(tmpdir(), 'agentscan-empty-'));
    const r = runCli(['scan', '--from', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bundle.json is missing');
  });

  it('exits 2 on bad usage', () => {
    expect(runCli(['scan', '--demo', '--fail-on', 'urgent']).code).toBe(2);
    expect(runCli(['scan', '--demo', '--format', 'pdf']).code).toBe(2);
    expect(runCli(['scan']).stderr).toContain('nothing to scan');
    expect(runCli(['scan', '--demo', '-o', 'report.xyz']).stderr).toContain('cannot tell the format');
    expect(runCli(['no-such-command']).code).toBe(2);
  });

  it('exits 3 when the bundle records a failed call, and reports the data as partial', () => {
    const dir = copyDemo();
    const manifest = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
    const entry = manifest.coverage.find((c: { provider: string }) => c.provider === 'aws');
    Object.assign(entry, { status: 'error', message: 'AccessDenied: not authorized to perform ' + entry.call });
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify(manifest));
    const r = runCli(['scan', '--from', dir, '-f', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('incomplete');
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.complete).toBe(false);
    expect(report.coverage.filter((c) => c.status === 'error')).toHaveLength(1);
    expect(runCli(['scan', '--from', dir, '--allow-partial']).code).toBe(0);
    expect(runCli(['scan', '--from', dir]).stdout).toContain('INCOMPLETE');
    rmSync(dir, { recursive: true });
  });
});

describe('agentscan rules', () => {
  it('lists rules with id, family, severity, OWASP and title', () => {
    const r = runCli(['rules', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/credential-too-old\s*│\s*stale-credential\s*│\s*medium\s*│\s*NHI7\s*│\s*Long-lived credential/);
    expect(Number(r.stdout.match(/(\d+) rules/)![1])).toBeGreaterThanOrEqual(24);
  });

  it('shows one rule, and exits 2 for an unknown one', () => {
    const r = runCli(['rules', 'show', 'trust-any-principal']);
    expect(r.stdout).toContain('Condition (CEL):');
    expect(r.stdout).toContain("trust.kind == 'any'");
    const missing = runCli(['rules', 'show', 'trust-any']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('did you mean trust-any-principal');
  });

  it('loads user rules with --rules and applies config overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-user-rules-'));
    mkdirSync(join(dir, 'rules'));
    writeFileSync(
      join(dir, 'rules', 'agents-named.yaml'),
      `id: agent-named-prod
title: Agent in production
family: over-scoped
severity: info
owasp: [NHI5]
target: identity
description: Marks agents.
remediation: { text: Nothing. }
condition: identity.isAgent
message: "agent {{ identity.name }}"
`,
    );
    writeFileSync(join(dir, 'agentscan.yaml'), 'overrides:\n  agent-named-prod: { severity: low }\n  no-owner: { enabled: false }\n');
    const r = runCli(['scan', '--demo', '--rules', 'rules', '-f', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as JsonReport;
    const mine = report.findings.filter((f) => f.ruleId === 'agent-named-prod');
    expect(mine.length).toBe(report.summary.byVerdict.agent);
    expect(mine.every((f) => f.severity === 'low')).toBe(true);
    expect(report.findings.some((f) => f.ruleId === 'no-owner')).toBe(false);
  });

  it('exits 2 naming a broken user rule file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-bad-rules-'));
    writeFileSync(join(dir, 'broken.yaml'), 'id: broken\ntitle: [\n');
    const r = runCli(['scan', '--demo', '--rules', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml: line \d+: YAML error/);
  });
});
