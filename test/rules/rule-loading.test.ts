import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { InputError } from '../../src/util/errors.js';

const GOOD = `id: my-rule
title: Test rule
family: over-scoped
severity: low
owasp: [NHI5]
target: identity
description: A test rule.
remediation:
  text: Fix it.
condition: identity.kind == 'iam-role'
message: "role {{ identity.name }}"
`;

function ruleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentscan-rules-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function loadError(files: Record<string, string>): InputError {
  const dir = ruleDir(files);
  try {
    loadRules([dir], { builtin: false });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected the rules to be rejected');
}

describe('loading rule files', () => {
  it('loads a user rule folder next to the built-ins', () => {
    const dir = ruleDir({ 'custom/my-rule.yaml': GOOD });
    const rules = loadRules([dir]);
    expect(rules.find((r) => r.id === 'my-rule')?.builtin).toBe(false);
    expect(rules.find((r) => r.id === 'credential-too-old')?.builtin).toBe(true);
  });

  it('names the file and line of a YAML syntax error', () => {
    const err = loadError({ 'bad.yaml': `${GOOD}parameters: [unclosed\n` });
    expect(err.message).toMatch(/bad\.yaml: line 1[0-9]: YAML error/);
  });

  it('names the file and the CEL problem', () => {
    const err = loadError({ 'bad.yaml': GOOD.replace("identity.kind == 'iam-role'", 'identity.kind == ') });
    expect(err.message).toMatch(/bad\.yaml: condition: CEL error: Unexpected token/);
  });

  it('rejects an unknown variable in a condition', () => {
    const err = loadError({ 'bad.yaml': GOOD.replace("identity.kind == 'iam-role'", "identiy.kind == 'iam-role'") });
    expect(err.message).toContain('Unknown variable: identiy');
  });

  it('rejects an unknown field, naming it and its line', () => {
    const err = loadError({ 'bad.yaml': `${GOOD}severty: high\n` });
    expect(err.message).toMatch(/bad\.yaml: line 12: severty: unknown field "severty"/);
  });

  it('rejects a wrong type, naming the field', () => {
    const err = loadError({ 'bad.yaml': GOOD.replace('owasp: [NHI5]', 'owasp: NHI5') });
    expect(err.message).toMatch(/bad\.yaml: line 5: owasp: .*expected array/i);
  });

  it('rejects an unknown severity and OWASP id', () => {
    expect(loadError({ 'a.yaml': GOOD.replace('severity: low', 'severity: urgent') }).message).toMatch(/severity: Invalid option/);
    expect(loadError({ 'a.yaml': GOOD.replace('[NHI5]', '[NHI11]') }).message).toMatch(/owasp\[0\]: must be an OWASP NHI/);
  });

  it('rejects a bad placeholder in the message', () => {
    const err = loadError({ 'bad.yaml': GOOD.replace('{{ identity.name }}', '{{ identity.name + }}') });
    expect(err.message).toMatch(/bad\.yaml: message: CEL error/);
  });

  it('rejects two rules with one id', () => {
    const err = loadError({ 'a.yaml': GOOD, 'b.yaml': GOOD });
    expect(err.message).toMatch(/b\.yaml: rule id "my-rule" is already defined in .*a\.yaml/);
  });

  it('rejects a user rule that reuses a built-in id', () => {
    const dir = ruleDir({ 'x.yaml': GOOD.replace('id: my-rule', 'id: credential-too-old') });
    expect(() => loadRules([dir])).toThrow(/already defined in rules\/stale-credential\/credential-too-old\.yaml/);
  });

  it('rejects a missing or empty folder', () => {
    expect(() => loadRules(['/nonexistent/rules'])).toThrow(/rules folder does not exist/);
    expect(() => loadRules([ruleDir({})], { builtin: false })).toThrow(/holds no \.yaml rule files/);
  });
});
