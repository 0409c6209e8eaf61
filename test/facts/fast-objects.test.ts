import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/bundle/load.js';
import { prepareAnalysis } from '../../src/cli/analysis-setup.js';
import { analyseBundle } from '../../src/scan/analyse.js';
import { analysePrincipal } from '../../src/providers/aws/analysis/principal.js';
import { computeFacts } from '../../src/facts/stage.js';

// What a scan keeps for its whole length stays in V8's compact object layout: an object a field
// was deleted from turns into a hash table, several times larger (every access-graph edge was one).

setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** How many hidden classes the objects take, per sequence of keys: 1 each when they share. */
function classesPerKeyOrder(objects: object[]): number[] {
  const byKeys = new Map<string, object[]>();
  for (const o of objects) {
    const keys = Object.keys(o).join(',');
    const classes = byKeys.get(keys) ?? [];
    if (!classes.some((c) => haveSameMap(c, o))) classes.push(o);
    byKeys.set(keys, classes);
  }
  return [...byKeys.values()].map((c) => c.length);
}

describe('objects a scan keeps', () => {
  it('access-graph edges and Entra owners are compact objects', () => {
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const scan = analyseBundle(loadBundle('fixtures/demo'), options);
    const edges = scan.reach?.edges ?? [];
    expect(edges.length).toBeGreaterThan(10);
    expect(edges.some((e) => e.condition === undefined && !('condition' in e))).toBe(true);
    expect(edges.filter((e) => !hasFastProperties(e))).toEqual([]);
    const owners = scan.identities.filter((i) => i.provider === 'entra').flatMap((i) => i.owners);
    expect(owners.length).toBeGreaterThan(0);
    expect(owners.filter((o) => !hasFastProperties(o))).toEqual([]);
  });

  it("an AWS summary's per-service and risky-action records are compact however many services they name", () => {
    // Thousands of distinct summaries stay in a big estate's inventory; a read-only holder's
    // names hundreds of services, and a record built field by field past ~128 fields is a hash table.
    const readEverything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['*:Get*', '*:List*', '*:Describe*', 'iam:PassRole', 'iam:CreateAccessKey', 's3:*'], Resource: ['*'] }] };
    const { summary } = analysePrincipal({
      kind: 'iam-role',
      name: 'reader',
      arn: 'arn:aws:iam::111122223333:role/reader',
      account: '111122223333',
      policies: [{ doc: readEverything, via: { type: 'inline-policy', name: 'read' } }],
      groupArns: [],
      managedPolicyArns: [],
    } as Parameters<typeof analysePrincipal>[0]);
    expect(Object.keys(summary.services).length).toBeGreaterThan(200);
    expect(Object.keys(summary.riskyActions).length).toBeGreaterThan(2);
    expect(hasFastProperties(summary.services)).toBe(true);
    expect(hasFastProperties(summary.riskyActions)).toBe(true);
  });

  it('identity facts without shared keys, actors or consumers share one frozen empty list', () => {
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const scan = analyseBundle(loadBundle('fixtures/demo'), options);
    const facts = computeFacts(scan.identities, scan.collectedAt);
    const all = scan.identities.map(facts.identity);
    const lonely = all.filter((f) => f.sharedCredentialWith.length === 0 && f.delegatingUsers.length === 0);
    expect(lonely.length).toBeGreaterThan(10);
    for (const f of lonely) {
      expect(f.sharedCredentialWith).toBe(lonely[0].sharedCredentialWith);
      expect(f.delegatingUsers).toBe(lonely[0].sharedCredentialWith);
    }
    // Frozen: code that pushed onto one would fail loudly, not change every identity's facts.
    expect(Object.isFrozen(lonely[0].sharedCredentialWith)).toBe(true);
    const withActors = all.filter((f) => f.actors.length > 0);
    expect(new Set(withActors.map((f) => f.actors)).size).toBe(withActors.length);
  });

  it('findings folded from several rules, suppressed ones, verdicts and GitHub token attributes share hidden classes', () => {
    // A spread copy ({ ...finding, related }) at a site that sees many shapes gave each copy a
    // class of its own: a map and descriptors, several hundred bytes per finding.
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const scan = analyseBundle(loadBundle('fixtures/demo'), { ...options, suppressions: [{ rule: '*', identity: '*', reason: 'test', source: 'test.yaml' }] });
    const folded = scan.findings.filter((f) => f.related);
    expect(folded.length).toBeGreaterThan(5);
    expect(scan.findings.every((f) => f.suppression)).toBe(true);
    expect(classesPerKeyOrder(scan.findings).every((n) => n === 1)).toBe(true);
    const verdicts = [...new Set(scan.identities.map((i) => i.agent))];
    expect(verdicts.length).toBeGreaterThan(10);
    expect(classesPerKeyOrder(verdicts)).toEqual([1]);
    const github = scan.identities.filter((i) => i.provider === 'github' && 'ownerLogin' in i.attributes).map((i) => i.attributes);
    expect(github.length).toBeGreaterThan(2);
    expect(classesPerKeyOrder(github).every((n) => n === 1)).toBe(true);
  });
});
