import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync, closeSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/write.js';
import { ROOT, runCli } from '../helpers/cli.js';

// Reports are written all or nothing, failures are exit 2 with a message (never a stack
// trace, never exit 1, which CI reads as "findings"), and a report never overwrites a file
// of the bundle being scanned.

const dir = () => mkdtempSync(join(tmpdir(), 'agentscan-write-'));

describe('writing reports', () => {
  it('a report rendered as one long string is written whole, emoji and all, whatever falls on a slice boundary', () => {
    const d = dir();
    // Encoded a million characters at a time: pairs of UTF-16 halves straddle every boundary here.
    const text = `${'a'.repeat((1 << 20) - 1)}${'😀é'.repeat(700_000)}\n`;
    writeReports([{ file: join(d, 'long.txt'), text }]);
    expect(readFileSync(join(d, 'long.txt'), 'utf8')).toBe(text);
  });

  it('a report asked for twice (the snapshot beside -o json) is rendered once and copied', () => {
    const d = dir();
    let rendered = 0;
    const report = () => {
      rendered++;
      return ['{"a":', '1}\n'];
    };
    writeReports([
      { file: join(d, 'report.json'), text: report },
      { file: join(d, 'snapshot.json'), text: report, sameAs: join(d, 'report.json') },
      { file: join(d, 'other.json'), text: report, sameAs: join(d, 'not-in-the-list.json') },
    ]);
    expect(rendered).toBe(2);
    expect(readFileSync(join(d, 'snapshot.json'), 'utf8')).toBe('{"a":1}\n');
    expect(readdirSync(d).sort()).toEqual(['other.json', 'report.json', 'snapshot.json']);
    // The CLI's snapshot is the JSON report it also wrote, byte for byte.
    const r = runCli(['scan', '--demo', '-f', 'markdown', '-o', join(d, 'scan.json'), '--save-snapshot', join(d, 'snap.json')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(d, 'snap.json'), 'utf8')).toBe(readFileSync(join(d, 'scan.json'), 'utf8'));
    expect(JSON.parse(readFileSync(join(d, 'snap.json'), 'utf8')).identities.length).toBeGreaterThan(10);
  });

  it('an unwritable second -o leaves the first file untouched (ENOTDIR), exit 2 naming it', () => {
    const d = dir();
    writeFileSync(join(d, 'first.json'), 'previous report');
    writeFileSync(join(d, 'plain-file'), 'x');
    const r = runCli(['scan', '--demo', '-o', join(d, 'first.json'), '-o', `markdown=${join(d, 'plain-file', 'summary.md')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plain-file\/summary\.md: cannot write the report: .*\((ENOTDIR|EEXIST)\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(d, 'first.json'), 'utf8')).toBe('previous report');
    expect(readdirSync(d).sort()).toEqual(['first.json', 'plain-file']);
  });

  it('a folder where the report should go is exit 2 (EISDIR)', () => {
    const d = dir();
    mkdirSync(join(d, 'report.json'));
    const r = runCli(['scan', '--demo', '-o', join(d, 'report.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/report\.json: cannot write the report: a folder of that name is in the way/);
  });

  it('a full disk for -o is exit 2 (ENOSPC), and the device is written to, not replaced', () => {
    const r = runCli(['scan', '--demo', '-o', 'json=/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/dev\/full: cannot write the report: .*ENOSPC/);
    expect(existsSync('/dev/full')).toBe(true);
  });

  it('--format json > /dev/full exits 2, not 1', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'agentscan.js'), 'scan', '--demo', '--format', 'json'], {
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/cannot write to standard output \(ENOSPC\)/);
    } finally {
      closeSync(full);
    }
  });

  it('refuses to write a report over a file of the bundle being scanned', () => {
    const d = dir();
    const bundle = join(d, 'bundle');
    cpSync(join(ROOT, 'fixtures', 'demo'), bundle, { recursive: true });
    const before = readFileSync(join(bundle, 'bundle.json'), 'utf8');
    const r = runCli(['scan', '--from', bundle, '-o', join(bundle, 'bundle.json'), '-o', join(d, 'ok.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bundle\.json: is inside the bundle being scanned; refusing/);
    expect(readFileSync(join(bundle, 'bundle.json'), 'utf8')).toBe(before);
    expect(existsSync(join(d, 'ok.json'))).toBe(false);
  });
});
