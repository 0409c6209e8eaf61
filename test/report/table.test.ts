import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { renderTable, TABLE_ROWS_PER_SECTION } from '../../src/report/table.js';
import { COMPACT, compactTable } from '../../src/report/text.js';
import { makeFinding, makeScan } from '../helpers/html-scan.js';

// The table for people stays readable and linear on big estates: drawn in chunks that join
// into exactly the table cli-table3 would draw, and each severity shows its first rows with a
// count of the rest by rule.

describe('compactTable', () => {
  it('draws the same text as one cli-table3 table, for any number of rows', () => {
    for (const n of [0, 1, 199, 200, 201, 450]) {
      const rows = Array.from({ length: n }, (_, i) => [`rule-${i % 7}`, `identity-${i}`, `a message long enough to wrap ${i} `.repeat(2)]);
      const one = new Table({ head: ['Rule', 'Identity', 'Finding'], chars: COMPACT, style: { head: [], border: [] }, wordWrap: true, colWidths: [12, 16, 30] });
      for (const r of rows) one.push(r);
      expect(compactTable(['Rule', 'Identity', 'Finding'], [12, 16, 30], rows), `${n} rows`).toBe(one.toString());
    }
  });
});

describe('renderTable on a large estate', () => {
  it('shows the first rows of a severity and counts the rest by rule', () => {
    const extra = 1234;
    const findings = Array.from({ length: TABLE_ROWS_PER_SECTION + extra }, (_, i) =>
      makeFinding({ ruleId: i % 3 === 0 ? 'credential-unused' : 'credential-too-old', identityName: `id-${i}`, fingerprint: `fp-${i}` }),
    );
    const text = renderTable(makeScan({ findings }), { color: false, width: 120 });
    expect(text).toContain(`MEDIUM (${findings.length})`);
    const rest = findings.slice(TABLE_ROWS_PER_SECTION);
    const unused = rest.filter((f) => f.ruleId === 'credential-unused').length;
    expect(text).toContain(`… and 1,234 more: credential-too-old ${(extra - unused).toLocaleString('en-US')}, credential-unused ${unused}`);
    expect(text).toContain('id-499 ');
    expect(text).not.toContain('id-500 ');
    expect(text).toContain(`${findings.length} findings`);
  });
});
