import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// One grammar across the commands that report: --fail-on takes a severity or `none`, and the
// command line beats the config file either way.

function configDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentscan-grammar-'));
  writeFileSync(join(dir, 'agentscan.yaml'), yaml);
  return dir;
}

describe('--fail-on', () => {
  it('none turns off a gate the config file sets', () => {
    const dir = configDir('failOn: low\n');
    expect(runCli(['scan', '--demo', '-f', 'json'], { cwd: dir }).code).toBe(1);
    const off = runCli(['scan', '--demo', '-f', 'json', '--fail-on', 'none'], { cwd: dir });
    expect(off.stderr).toBe('');
    expect(off.code).toBe(0);
  });

  it('a severity on the command line overrides the config file', () => {
    const dir = configDir('failOn: none\n');
    expect(runCli(['scan', '--demo', '-f', 'json'], { cwd: dir }).code).toBe(0);
    expect(runCli(['scan', '--demo', '-f', 'json', '--fail-on', 'critical'], { cwd: dir }).code).toBe(1);
  });

  it('rejects an unknown value, naming what it accepts', () => {
    const r = runCli(['scan', '--demo', '--fail-on', 'severe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('or none to turn the gate off');
  });

  it('diff honours the config file and none alike', () => {
    const dir = configDir('failOn: none\n');
    const demo = join(import.meta.dirname, '..', '..', 'fixtures', 'demo');
    const later = join(import.meta.dirname, '..', '..', 'fixtures', 'demo-later');
    expect(runCli(['diff', demo, later, '--fail-on', 'low'], { cwd: dir }).code).toBe(1);
    expect(runCli(['diff', demo, later], { cwd: dir }).code).toBe(0);
  });
});

describe('-o FORMAT=FILE', () => {
  const demo = join(import.meta.dirname, '..', '..', 'fixtures', 'demo');
  const later = join(import.meta.dirname, '..', '..', 'fixtures', 'demo-later');

  it('diff writes its drift to files like scan writes reports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-diff-o-'));
    const r = runCli(['diff', demo, later, '-f', 'json', '-o', join(dir, 'drift.md'), '-o', `table=${join(dir, 'drift.txt')}`]);
    expect(r.code, r.stderr).toBe(0);
    const drift = JSON.parse(r.stdout);
    const md = readFileSync(join(dir, 'drift.md'), 'utf8');
    expect(md).toContain(`${drift.findings.new.length} new`);
    expect(readFileSync(join(dir, 'drift.txt'), 'utf8')).toMatch(/^DRIFT since /);
    expect(readFileSync(join(dir, 'drift.txt'), 'utf8')).not.toContain('\x1b[');
  });

  it('refuses a format diff cannot write', () => {
    const r = runCli(['diff', demo, later, '-o', 'sarif=x.sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown format "sarif"; expected one of table, markdown, json');
  });

  it('writes every report or none: an unwritable second file leaves the first untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-all-or-none-'));
    writeFileSync(join(dir, 'old.json'), 'previous report\n');
    writeFileSync(join(dir, 'blocker'), 'a file where a folder is needed\n');
    const r = runCli(['scan', '--demo', '-o', join(dir, 'old.json'), '-o', `sarif=${join(dir, 'blocker', 'out.sarif')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/blocker.*cannot write the report: .*\((ENOTDIR|EEXIST)\)/);
    expect(readFileSync(join(dir, 'old.json'), 'utf8')).toBe('previous report\n');
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'old.json']);
  });
});
