import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { validateSarif } from '../helpers/sarif-schema.js';

// SARIF results point at something a reviewer can open: the declared agent's entry in
// agents.yaml, the manifest's `agents:` key for an agent nobody declared, else --sarif-artifact.
// Alerts stay matched when the manifest's lines move.

const MANIFEST = join(ROOT, 'fixtures', 'agents.yaml');
const text = readFileSync(MANIFEST, 'utf8');
const lineOf = (t: string, needle: string) => t.split('\n').findIndex((l) => l.includes(needle)) + 1;

interface Located {
  ruleId: string;
  uri: string;
  line: number;
  identityId: string;
  fingerprints: Record<string, string>;
}

function sarifFrom(args: string[], cwd = ROOT): Located[] {
  const r = runCli(['scan', '--demo', '-f', 'sarif', ...args], { cwd });
  expect(r.code, r.stderr).toBe(0);
  const log = JSON.parse(r.stdout);
  expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 2))).toBe(true);
  return log.runs[0].results.map((x: any) => ({
    ruleId: x.ruleId,
    uri: x.locations[0].physicalLocation.artifactLocation.uri,
    line: x.locations[0].physicalLocation.region.startLine,
    identityId: x.properties.identityId,
    fingerprints: x.partialFingerprints,
  }));
}

describe('SARIF locations with an agents manifest', () => {
  let results: Located[];
  beforeAll(() => {
    results = sarifFrom(['--manifest', 'fixtures/agents.yaml']);
  });

  it("points a declared agent's findings at its entry", () => {
    const triage = results.filter((r) => r.identityId === 'aws:314159265358:role/bedrock-triage-agent');
    expect(triage.length).toBeGreaterThan(0);
    for (const r of triage) expect(r).toMatchObject({ uri: 'fixtures/agents.yaml', line: lineOf(text, 'name: support-triage') });
  });

  it("points an undeclared agent at the manifest's agents: key", () => {
    const shadow = results.filter((r) => r.ruleId === 'undeclared-agent');
    expect(shadow.length).toBeGreaterThan(0);
    for (const r of shadow) expect(r).toMatchObject({ uri: 'fixtures/agents.yaml', line: lineOf(text, 'agents:') });
  });

  it('leaves identities that are not agents at the artifact', () => {
    const others = results.filter((r) => r.uri !== 'fixtures/agents.yaml');
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((r) => r.uri))).toEqual(new Set(['fixtures/demo/bundle.json']));
  });

  it('keeps fingerprints when the manifest lines move', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-sarif-'));
    writeFileSync(join(dir, 'agents.yaml'), `# moved down by this comment\n\n\n${text}`);
    const moved = sarifFrom(['--manifest', join(dir, 'agents.yaml')], dir);
    const key = (r: Located) => JSON.stringify(r.fingerprints);
    expect(moved.map(key).sort()).toEqual(results.map(key).sort());
    const before = results.find((r) => r.uri === 'fixtures/agents.yaml')!;
    const after = moved.find((r) => key(r) === key(before))!;
    expect(after.line).toBe(before.line + 3);
    expect(after.uri).toBe('agents.yaml');
  });
});

describe('SARIF locations without a manifest', () => {
  it('uses --sarif-artifact for every result', () => {
    const results = sarifFrom(['--sarif-artifact', 'infra/agentscan.yaml']);
    expect(new Set(results.map((r) => `${r.uri}:${r.line}`))).toEqual(new Set(['infra/agentscan.yaml:1']));
  });
});
