import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/bundle/load.js';
import { prepareAnalysis } from '../../src/cli/analysis-setup.js';
import { analyseBundle } from '../../src/scan/analyse.js';

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
});
