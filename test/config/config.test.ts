import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOverrides, loadConfig } from '../../src/config/config.js';
import { loadRules } from '../../src/rules/load.js';

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentscan-config-'));
  const file = join(dir, 'agentscan.yaml');
  writeFileSync(file, text);
  return file;
}

const rules = loadRules();

describe('agentscan.yaml', () => {
  it('disables a rule, changes a severity and overrides a parameter', () => {
    const config = loadConfig(
      configFile(`overrides:
  no-owner: { enabled: false }
  credential-too-old:
    severity: high
    parameters: { maxAgeDays: 180 }
failOn: high
`),
    );
    const { rules: active, settings } = applyOverrides(rules, config);
    expect(active.map((r) => r.id)).not.toContain('no-owner');
    expect(settings.get('credential-too-old')).toMatchObject({ severity: 'high', parameters: { maxAgeDays: 180 } });
    expect(settings.get('credential-unused')).toMatchObject({ severity: 'medium', parameters: { maxUnusedDays: 90 } });
    expect(config.failOn).toBe('high');
  });

  it('resolves rule folders relative to the config file', () => {
    const file = configFile('rules: [./my-rules]\n');
    expect(loadConfig(file).rules).toEqual([join(file, '..', 'my-rules')]);
  });

  it('rejects unknown rules, parameters and wrongly typed values', () => {
    const bad = (text: string) => () => applyOverrides(rules, loadConfig(configFile(text)));
    expect(bad('overrides:\n  no-such-rule: { enabled: false }\n')).toThrow(/overrides\.no-such-rule: no rule has the id/);
    expect(bad('overrides:\n  credential-too-old: { parameters: { maxAge: 1 } }\n')).toThrow(
      /parameters\.maxAge: rule credential-too-old has no such parameter \(it has: maxAgeDays, types\)/,
    );
    expect(bad('overrides:\n  credential-too-old: { parameters: { maxAgeDays: "ninety" } }\n')).toThrow(/expected number, got string/);
  });

  it('rejects an unknown top-level field with its line', () => {
    expect(() => loadConfig(configFile('failOn: high\nfail_on: high\n'))).toThrow(/agentscan\.yaml: line 2: fail_on: unknown field/);
    expect(() => loadConfig(configFile('failOn: urgent\n'))).toThrow(/line 1: failOn: Invalid option/);
  });

  it('rejects a config file that does not exist', () => {
    expect(() => loadConfig('/nonexistent/agentscan.yaml')).toThrow(/agentscan\.yaml: config file does not exist/);
  });
});
