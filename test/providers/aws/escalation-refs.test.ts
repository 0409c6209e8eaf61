import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESCALATION_METHODS, type EscalationMethod } from '../../../src/providers/aws/analysis/escalation-methods.js';

// The escalation methods cite Datadog's pathfinding.cloud path ids. The trimmed catalogue
// (scripts/extract-pathfinding-catalogue.mjs) says what each path needs; a method may cite a path
// only when the path is one way to meet the method's requirements exactly — every permission the
// path needs is one the method asks for, and the path's permissions satisfy every requirement.
// (A read the catalogue lists only to find the target is declared as the method's `lookups`.)
// A method the catalogue does not hold cites Rhino Security Labs' numbers or HackTricks Cloud.

interface CataloguePath {
  id: string;
  name: string;
  category: string;
  required: string[];
  parent?: string;
}
const catalogue = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'emulators', 'specs', 'aws', 'pathfinding-catalogue.json'), 'utf8'),
) as { source: string; paths: CataloguePath[] };
const byId = new Map(catalogue.paths.map((p) => [p.id, p]));

const RHINO = /^rhino-([1-9]|1\d|2[01])$/;
const HACKTRICKS = /^hacktricks-[a-z][a-z0-9-]*$/;
const pathfindingRefs = (m: EscalationMethod) => m.refs.filter((r) => !RHINO.test(r) && !HACKTRICKS.test(r));

/** Does holding exactly these permissions meet every requirement of the method? */
const satisfies = (m: EscalationMethod, held: string[]) => m.requires.every((req) => [req].flat().some((a) => held.includes(a)));
const asked = (m: EscalationMethod) => new Set([...m.requires.flat(), ...(m.lookups ?? [])]);

// Catalogue paths no method is built for, and why.
const NOT_MODELLED: Record<string, string> = {};

describe('pathfinding.cloud path ids cited by the escalation methods', () => {
  it('the extract is the catalogue, not an empty file', () => {
    expect(catalogue.source).toMatch(/^DataDog\/pathfinding\.cloud docs\/paths\.json/);
    expect(catalogue.paths.length).toBeGreaterThan(60);
    expect(byId.get('bedrock-001')?.required).toContain('bedrock-agentcore:CreateCodeInterpreter');
  });

  it('every ref is a Rhino number, a HackTricks page or a path id the catalogue holds', () => {
    const unknown = ESCALATION_METHODS.flatMap((m) => pathfindingRefs(m).filter((r) => !byId.has(r)).map((r) => `${m.id}: ${r}`));
    expect(unknown).toEqual([]);
  });

  it('every method cites at least one source', () => {
    expect(ESCALATION_METHODS.filter((m) => m.refs.length === 0).map((m) => m.id)).toEqual([]);
  });

  it('a cited path needs exactly what the method requires', () => {
    const wrong: string[] = [];
    for (const m of ESCALATION_METHODS) {
      for (const ref of pathfindingRefs(m)) {
        const path = byId.get(ref);
        if (!path) continue;
        const extra = path.required.filter((p) => !asked(m).has(p));
        if (extra.length) wrong.push(`${m.id} cites ${ref}, which also needs ${extra.join(', ')}`);
        if (!satisfies(m, path.required)) wrong.push(`${m.id} cites ${ref} (${path.required.join(' + ')}), which does not meet its requirements`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every catalogue path is found by some method (cited, or a variant needing more than a method asks), or is listed as not modelled', () => {
    const cited = new Set(ESCALATION_METHODS.flatMap((m) => m.refs));
    const missed = catalogue.paths
      .filter((p) => !cited.has(p.id) && !ESCALATION_METHODS.some((m) => satisfies(m, p.required)) && !(p.id in NOT_MODELLED))
      .map((p) => `${p.id}: ${p.required.join(' + ')}`);
    expect(missed).toEqual([]);
  });

  it('the check catches a wrong citation', () => {
    // iam-002 is CreateAccessKey in the catalogue: citing it for SetDefaultPolicyVersion (as the
    // Rhino numbering suggests) must fail.
    const m = ESCALATION_METHODS.find((x) => x.id === 'iam-set-default-policy-version')!;
    const path = byId.get('iam-002')!;
    expect(path.required).toEqual(['iam:CreateAccessKey']);
    expect(satisfies(m, path.required)).toBe(false);
  });
});
