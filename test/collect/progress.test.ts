import { describe, expect, it } from 'vitest';
import { progressOn } from '../../src/collect/progress.js';

// The progress line: rewritten in place on a terminal, log lines with --verbose, and nothing
// when standard error is not a terminal (CI logs, the step summary) or with --quiet.

function target(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 40, write: (t: string) => writes.push(t), writes };
}

describe('progressOn', () => {
  it('draws one line on a terminal, cut to its width, and clears it at the end', () => {
    const t = target(true);
    const p = progressOn(t);
    p.update('github acme-corp', 'repositories 300/5000');
    p.update('aws', '2/40 accounts and a long tail that does not fit the terminal');
    p.end('aws');
    p.close();
    expect(t.writes[0]).toBe('\r\x1b[Kgithub acme-corp: repositories 300/5000');
    expect(t.writes.every((w) => w.startsWith('\r\x1b[K') && w.length <= '\r\x1b[K'.length + 39)).toBe(true);
    expect(t.writes.at(-1)).toBe('\r\x1b[K');
    expect(t.writes.join('')).not.toContain('\n');
  });

  it('is silent when not a terminal, and with quiet even on one', () => {
    for (const [t, opts] of [[target(false), {}], [target(true), { quiet: true }]] as const) {
      const p = progressOn(t, opts);
      p.update('gcp', '3/200 projects');
      p.close();
      expect(t.writes).toEqual([]);
    }
  });

  it('logs lines with --verbose, at most one a second per scope', () => {
    const t = target(false);
    const p = progressOn(t, { verbose: true });
    p.update('entra 7f3c', 'service principals 999');
    p.update('entra 7f3c', 'service principals 1998');
    p.update('gcp', '1/2 projects');
    expect(t.writes).toEqual(['entra 7f3c: service principals 999\n', 'gcp: 1/2 projects\n']);
  });
});
