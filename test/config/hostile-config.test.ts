import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { loadSuppressionsFile } from '../../src/config/suppressions.js';
import { loadManifest } from '../../src/drift/manifest.js';
import { loadRules } from '../../src/rules/load.js';
import { isRealDateOrTime } from '../../src/util/dates.js';
import { InputError } from '../../src/util/errors.js';
import { runCli } from '../helpers/cli.js';

// Config, rule, manifest and suppression files are input: an alias bomb must end as exit 2
// naming the file (not a stack trace, not a hang), and expiry dates must exist on the calendar.

const dir = mkdtempSync(join(tmpdir(), 'agentscan-hostile-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** The "billion laughs": nine levels of nine aliases each. */
const BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => {
    const prev = 'abcdefghi'[i];
    return `${k}: &${k} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }),
].join('\n');

function inputError(load: () => unknown): InputError {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('YAML alias bombs', () => {
  it.each([
    ['config', () => loadConfig(file('agentscan.yaml', `${BOMB}\n`))],
    ['suppressions', () => loadSuppressionsFile(file('suppressions.yaml', `${BOMB}\nsuppressions: []\n`))],
    ['manifest', () => loadManifest(file('agents.yaml', `${BOMB}\nversion: 1\nagents: []\n`))],
    [
      'rule',
      () => {
        const rules = mkdtempSync(join(dir, 'rules-'));
        writeFileSync(join(rules, 'bomb.yaml'), `${BOMB}\n`);
        return loadRules([rules], { builtin: false });
      },
    ],
  ])('in a %s file is an InputError naming the file', (_kind, load) => {
    const started = Date.now();
    const err = inputError(load);
    expect(err.message).toMatch(/\.yaml: YAML error: .*alias/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('exits 2 from the CLI, with no stack trace', () => {
    const r = runCli(['scan', '--demo', '--config', file('bomb-config.yaml', `${BOMB}\n`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^agentscan: .*bomb-config\.yaml: YAML error/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('real dates', () => {
  it.each(['2025-13-01', '2026-02-30', '2026-04-31', '2025-00-10', '2026-01-01T24:00:00Z', '2026-01-01T10:61:00Z'])('%s is not a date', (v) => {
    expect(isRealDateOrTime(v)).toBe(false);
  });
  it.each(['2028-02-29', '2026-12-31', '2026-01-01T23:59:59Z', '2026-06-01T10:00:00+02:00'])('%s is', (v) => {
    expect(isRealDateOrTime(v)).toBe(true);
  });

  const suppression = (expires: string) => `suppressions:\n  - rule: no-owner\n    identity: "*"\n    reason: r\n    expires: "${expires}"\n`;
  it('a suppression expiring 2025-13-01 is rejected naming the file and line', () => {
    expect(inputError(() => loadSuppressionsFile(file('bad-date.yaml', suppression('2025-13-01')))).message).toMatch(
      /bad-date\.yaml: line 5: suppressions\[0\]\.expires: is not a real date/,
    );
  });
  it('so is one in the config file', () => {
    expect(inputError(() => loadConfig(file('bad-date-config.yaml', suppression('2026-02-30')))).message).toMatch(/suppressions\[0\]\.expires: is not a real date/);
  });
  it('and a manifest declaration expiring 2026-02-30', () => {
    const text = 'version: 1\nagents:\n  - name: x\n    owner: o\n    purpose: p\n    match:\n      - { provider: aws, name: x }\n    expires: "2026-02-30"\n';
    expect(inputError(() => loadManifest(file('bad-date-agents.yaml', text))).message).toMatch(/agents\[0\]\.expires: is not a real date/);
  });
});
