import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/bundle/load.js';
import { loadPatterns } from '../../src/classify/patterns.js';
import { loadRules } from '../../src/rules/load.js';
import { analyseBundle } from '../../src/scan/analyse.js';

// A fix command fits the identity it is for: user commands for users, role commands for roles,
// nothing IAM cannot do for the root user, and no placeholder left empty.

const rules = loadRules();
const settings = new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }]));
const { identities, findings } = analyseBundle(loadBundle(join(import.meta.dirname, '..', '..', 'fixtures', 'demo')), {
  rules,
  settings,
  patterns: loadPatterns(),
});
const kindOf = new Map(identities.map((i) => [i.id, i.kind]));

describe('remediation commands on the demo', () => {
  const aws = findings.filter((f) => f.provider === 'aws' && f.remediation.command);
  it('are there to check', () => expect(aws.length).toBeGreaterThan(10));
  for (const f of aws) {
    it(`${f.ruleId} on ${f.identityName}: fits a ${kindOf.get(f.identityId)}`, () => {
      const command = f.remediation.command!;
      expect(command).not.toMatch(/undefined|null|\{\{|\(the /);
      const kind = kindOf.get(f.identityId);
      if (kind === 'iam-user') expect(command).not.toMatch(/--role-name|-role-policy|tag-role/);
      if (kind === 'iam-role') expect(command).not.toMatch(/--user-name|-user-policy|tag-user|access-key/);
      if (kind === 'root') expect(command).not.toMatch(/^aws iam .*--user-name/);
      if (command.startsWith('aws ')) expect(command).toMatch(/^aws [a-z-]+ [a-z-]+( |$)/);
    });
  }
});
