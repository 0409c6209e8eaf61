import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../src/model/inventory.js';
import { evaluateRules, type EvaluationInputs } from '../../src/rules/evaluate.js';
import { manifestSchema, matchManifest } from '../../src/drift/manifest.js';
import { applySuppressions, suppressionSchema } from '../../src/config/suppressions.js';
import { loadRules } from '../../src/rules/load.js';
import { makeIdentity } from '../helpers/identity.js';

// Every built-in rule has a case file in test/rule-cases/<id>.yaml with at least one case
// where it fires and one where it does not.

interface Case {
  name: string;
  fires: boolean | number;
  identity: Partial<Identity> & { verdict?: Identity['agent']['verdict'] };
  others?: Array<Partial<Identity> & { verdict?: Identity['agent']['verdict'] }>;
  params?: Record<string, unknown>;
  collectedAt?: string;
  /** The severity every finding of the case must have (rules may set it per item). */
  severity?: string;
  /** Substrings the finding's message must contain. */
  message?: string[];
  /** An agents manifest (as agents.yaml holds it) to evaluate with. */
  manifest?: unknown;
  /** Suppressions (as agentscan.yaml holds them) to evaluate with. */
  suppressions?: unknown[];
  /** Whose findings to count, when not the subject identity (manifest:agents/NAME, config:SOURCE). */
  findingsOf?: string;
}

const CASES_DIR = join(import.meta.dirname, '..', 'rule-cases');
const NOW = '2026-11-20T09:30:00Z';
const rules = loadRules();

describe('built-in rules', () => {
  it('number at least 24 and cover every family', () => {
    expect(rules.length).toBeGreaterThanOrEqual(24);
    expect(new Set(rules.map((r) => r.family))).toEqual(
      new Set(['shared-account', 'standing-privilege', 'stale-credential', 'over-scoped', 'ownership', 'drift']),
    );
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      const file = join(CASES_DIR, `${rule.id}.yaml`);
      it('has a case file with a firing and a non-firing case', () => {
        expect(existsSync(file), `missing ${file}`).toBe(true);
        const cases = (parse(readFileSync(file, 'utf8')) as { cases: Case[] }).cases;
        expect(cases.some((c) => c.fires !== false && c.fires !== 0)).toBe(true);
        expect(cases.some((c) => c.fires === false || c.fires === 0)).toBe(true);
      });
      if (!existsSync(file)) return;
      const spec = parse(readFileSync(file, 'utf8')) as { rule: string; cases: Case[] };
      it('case file names the rule', () => expect(spec.rule).toBe(rule.id));
      for (const c of spec.cases) {
        it(`${c.fires === false || c.fires === 0 ? 'does not fire' : 'fires'}: ${c.name}`, () => {
          const subject = makeIdentity(c.identity);
          const others = (c.others ?? []).map((o, i) => makeIdentity({ id: `${subject.id}-other-${i}`, ...o }));
          const settings = new Map([
            [rule.id, { severity: rule.severity, parameters: { ...rule.parameters, ...(c.params ?? {}) } as typeof rule.parameters }],
          ]);
          const now = c.collectedAt ?? NOW;
          const all = [subject, ...others];
          const inputs: EvaluationInputs = {};
          if (c.manifest) inputs.manifest = matchManifest(all, manifestSchema.parse(c.manifest), now);
          if (c.suppressions) {
            const list = c.suppressions.map((x, i) => ({ ...suppressionSchema.parse(x), source: `agentscan.yaml#${i}` }));
            inputs.suppressions = applySuppressions([], list, now).views;
          }
          const { findings, errors } = evaluateRules(all, [rule], now, settings, inputs);
          expect(errors).toEqual([]);
          const mine = findings.filter((f) => f.identityId === (c.findingsOf ?? subject.id));
          const expected = c.fires === true ? undefined : c.fires === false ? 0 : c.fires;
          if (expected === undefined) expect(mine.length).toBeGreaterThan(0);
          else expect(mine.length).toBe(expected);
          for (const text of c.message ?? []) expect(mine.map((f) => f.message).join('\n')).toContain(text);
          if (c.severity) expect(mine.map((f) => f.severity)).toEqual(mine.map(() => c.severity));
          for (const f of mine) {
            expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
            expect(f.message).not.toMatch(/undefined|null/);
          }
        });
      }
    });
  }
});
