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
});
