import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest, matchManifest } from '../../src/drift/manifest.js';
import { jsonSchema, SCHEMA_FILES } from '../../scripts/json-schemas.mjs';
import { makeIdentity } from '../helpers/identity.js';
import { ROOT } from '../helpers/cli.js';

function manifestFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'agentscan-manifest-')), 'agents.yaml');
  writeFileSync(file, text);
  return file;
}

describe('agents manifest', () => {
  it('loads the demo manifest', () => {
    const m = loadManifest(join(ROOT, 'fixtures', 'agents.yaml'));
    expect(m.agents.map((a) => a.name)).toContain('support-triage');
  });

  it('names the line and the problem in a bad manifest', () => {
    const bad = (text: string) => () => loadManifest(manifestFile(text));
    expect(bad('version: 1\nagents:\n  - name: a\n    match: [{ provider: aws, name: x }]\n    owner: [ ]\n')).toThrow(
      /agents\.yaml: line 5: agents\[0\]\.owner: /,
    );
    expect(bad('version: 1\nagents:\n  - name: a\n    match: [{ provider: azure, name: x }]\n')).toThrow(/line 4: agents\[0\]\.match\[0\]\.provider: Invalid option/);
    expect(bad('version: 1\nagents:\n  - name: a\n    match: [{ provider: aws }]\n')).toThrow(/a match needs at least one of id, name or tag/);
    expect(bad('version: 1\nagents:\n  - name: a\n    matches: [{ name: x }]\n')).toThrow(/line 4: agents\[0\]\.matches: unknown field "matches"/);
    expect(bad('version: 1\nagents:\n  - name: a\n    match: [{ name: x }]\n    expires: next week\n')).toThrow(/line 5: agents\[0\]\.expires: must be a date/);
    expect(bad('version: 1\nagents:\n  - { name: a, match: [{ name: x }] }\n  - { name: a, match: [{ name: y }] }\n')).toThrow(/line 4: agents\[1\]\.name: agent "a" is declared twice/);
    expect(bad('version: 2\nagents: []\n')).toThrow(/line 1: version: /);
    expect(bad('agents: [\n')).toThrow(/YAML error/);
  });

  it('matches by id, name and tag, with wildcards, and merges what several agents declare', () => {
    const role = makeIdentity({ id: 'aws:1:role/triage-agent', name: 'triage-agent', tags: { team: 'support' } });
    const other = makeIdentity({ id: 'github:acme:app/claude', provider: 'github', name: 'claude' });
    const facts = matchManifest(
      [role, other],
      {
        version: 1,
        agents: [
          { name: 'triage', match: [{ provider: 'aws', id: 'aws:1:role/triage-*' }], owner: 'a@x', maxCredentialAgeDays: 90, allow: ['bedrock:*'] },
          { name: 'support', match: [{ tag: 'team=supp*' }], owner: ['b@x'], maxCredentialAgeDays: 30 },
          { name: 'nothing', match: [{ provider: 'github', name: 'copilot-*' }] },
        ],
      },
      '2026-11-20T00:00:00Z',
    );
    expect(facts.declared.get(role.id)).toEqual({ agents: ['triage', 'support'], owners: ['a@x', 'b@x'], allow: ['bedrock:*'], maxCredentialAgeDays: 30 });
    expect(facts.declared.has(other.id)).toBe(false);
    expect(facts.declarations.find((d) => d.name === 'nothing')?.matches).toEqual([]);
  });
});

describe('published JSON Schemas', () => {
  it.each(SCHEMA_FILES)('schemas/%s is up to date (npm run schemas)', (file) => {
    expect(readFileSync(join(ROOT, 'schemas', file), 'utf8')).toBe(jsonSchema(file));
  });
});
