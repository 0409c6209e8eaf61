import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { validateSarif } from '../helpers/sarif-schema.js';

// Runs the GitHub Action's own shell steps with the environment the runner gives them, so the
// action is tested as it will execute, not only as YAML.

interface Step {
  name?: string;
  id?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: Step[] };
};
const step = (name: string) => action.runs.steps.find((s) => s.name === name)!;

function runScanStep(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'agentscan-action-'));
  const summary = join(dir, 'summary.md');
  const output = join(dir, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const merged = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), ...inputs };
  // The step's env maps each input to IN_*; resolve `${{ inputs.x }}` the way the runner does.
  const env = Object.fromEntries(
    Object.entries(step('Scan').env!).map(([k, v]) => [k, merged[v.match(/inputs\.([\w-]+)/)![1]] ?? '']),
  );
  const r = spawnSync('bash', ['-c', step('Scan').run!], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env, GITHUB_ACTION_PATH: ROOT, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, NO_COLOR: '1' },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
  return { status: r.status, stderr: r.stderr, dir, summary: readFileSync(summary, 'utf8'), outputs };
}

describe('action.yml', () => {
  it('is a composite action that uploads SARIF with codeql-action', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
  });

  it('scans, writes SARIF and the job summary, and defers the verdict', () => {
    const r = runScanStep({ demo: 'true', 'fail-on': 'high' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.summary).toContain('## agentscan');
    const sarif = JSON.parse(readFileSync(join(r.dir, r.outputs['sarif-file']), 'utf8'));
    expect(validateSarif(sarif)).toBe(true);
  });

  it('fails only on new findings against a baseline kept in the repository', () => {
    const base = runScanStep({ demo: 'true', 'fail-on': '', 'snapshot-file': 'baseline.json' });
    expect(base.outputs['exit-code']).toBe('0');
    const r = runScanStep({
      from: join(ROOT, 'fixtures', 'demo-later'),
      baseline: join(base.dir, 'baseline.json'),
      'fail-on': 'medium',
    });
    expect(r.summary).toContain('### Drift since');
    expect(r.outputs['exit-code']).toBe('1');
    const lenient = runScanStep({ demo: 'true', baseline: join(base.dir, 'baseline.json'), 'fail-on': 'medium' });
    expect(lenient.outputs['exit-code']).toBe('0');
  });

  it('passes no input through the shell unquoted', () => {
    const r = runScanStep({ demo: 'true', manifest: '$(touch pwned); agents.yaml' });
    expect(r.outputs['exit-code']).toBe('2');
    expect(spawnSync('test', ['-e', join(r.dir, 'pwned')]).status).toBe(1);
  });

  it('asks for something to scan', () => {
    const r = runScanStep({});
    expect(r.outputs['exit-code']).toBe('2');
  });

  it('turns exit codes into the job result', () => {
    const verdict = (code: string) => spawnSync('bash', ['-c', step('Verdict').run!], { env: { ...process.env, CODE: code } }).status;
    expect(verdict('0')).toBe(0);
    expect(verdict('1')).toBe(1);
    expect(verdict('3')).toBe(3);
  });
});

describe('action.yml with a partial scan', () => {
  it('does not upload the SARIF of an incomplete scan, and says so, with or without allow-partial', async () => {
    const { cpSync } = await import('node:fs');
    const bundle = join(mkdtempSync(join(tmpdir(), 'agentscan-action-partial-')), 'bundle');
    cpSync(join(ROOT, 'fixtures', 'demo'), bundle, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(bundle, 'bundle.json'), 'utf8'));
    manifest.coverage.push({ provider: 'aws', scope: '314159265358', call: 'iam:ListAccountAliases', status: 'error', message: 'AccessDenied: iam:ListAccountAliases' });
    writeFileSync(join(bundle, 'bundle.json'), JSON.stringify(manifest));
    for (const allow of ['false', 'true']) {
      const r = runScanStep({ from: bundle, 'allow-partial': allow, 'fail-on': '' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.outputs['exit-code']).toBe(allow === 'true' ? '0' : '3');
      expect(r.outputs.partial).toBe('true');
    }
    expect(step('Upload SARIF to code scanning').uses).toMatch(/upload-sarif/);
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')) as Step & { if?: string };
    expect(upload.if).toContain("steps.scan.outputs.partial != 'true'");
  });

  it('uploads a complete scan', () => {
    const r = runScanStep({ demo: 'true', 'fail-on': '' });
    expect(r.outputs.partial).toBe('false');
  });
});
