import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/bundle/load.js';
import { prepareAnalysis } from '../../src/cli/analysis-setup.js';
import { FAMILIES, SEVERITIES } from '../../src/model/finding.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { analyseBundle } from '../../src/scan/analyse.js';

describe('markdown summary', () => {
  it('counts each family and severity in its table as the findings have them', () => {
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const scan = analyseBundle(loadBundle('fixtures/demo'), options);
    const rows = renderMarkdown(scan)
      .split('\n')
      .filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| Family'));
    expect(rows).toHaveLength(FAMILIES.length);
    let nonZero = 0;
    FAMILIES.forEach((family, i) => {
      const cells = rows[i].split('|').slice(2, -1).map((c) => Number(c.trim()));
      const expected = SEVERITIES.map((sev) => scan.findings.filter((f) => f.family === family && f.severity === sev).length);
      expect(cells).toEqual([...expected, expected.reduce((a, b) => a + b, 0)]);
      nonZero += expected.filter(Boolean).length;
    });
    expect(nonZero).toBeGreaterThan(4);
  });
});
