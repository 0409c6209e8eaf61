import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOutput } from '../../src/report/formats.js';
import { renderHtml } from '../../src/report/html.js';
import type { PageData } from '../../src/report/html/data.js';
import type { JsonReport } from '../../src/report/json.js';
import { esc, jsonForScript } from '../../src/report/html/escape.js';
import { runCli } from '../helpers/cli.js';
import { hostileScan, makeFinding, makeScan, XSS_IMG, XSS_NAME, XSS_SCRIPT } from '../helpers/html-scan.js';

const GENERATED = '2026-11-21T10:00:00Z';

/** The JSON block the page's script reads, parsed back. */
function embedded(html: string): PageData {
  const m = html.match(/<script type="application\/json" id="agentscan-data">([^<]*)<\/script>/);
  expect(m, 'the data block').not.toBeNull();
  return JSON.parse(m![1]) as PageData;
}

/** The page without its JSON block: what the browser parses as markup. */
const markup = (html: string) => html.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/, '');

describe('escaping', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(esc(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(esc(undefined)).toBe('');
    expect(esc(42)).toBe('42');
  });

  it('writes JSON for a script block with no "<" and reads back unchanged', () => {
    const value = { a: `${XSS_SCRIPT} <!-- & > \u2028` };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(text).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('renders hostile names, messages, evidence and remediation as text', () => {
    const html = renderHtml(hostileScan(), { generatedAt: GENERATED });
    const page = markup(html);
    // Nowhere in the markup does a payload survive as a tag…
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<script>window.__xss');
    expect(page.match(/<script\b/g)).toHaveLength(1); // only the page's own script
    // …while the server-rendered parts show it escaped, as text.
    expect(page).toContain(esc(XSS_NAME));
    // The data block holds the exact values, with every "<" escaped.
    const data = embedded(html);
    expect(html).toContain('\\u003cimg src=x onerror=');
    expect(data.findings[0].message).toBe(`role message ${XSS_IMG}`);
    expect(data.findings[0].evidence).toContainEqual(['via', XSS_SCRIPT]);
    expect(data.identities[0].name).toBe(XSS_NAME);
  });

  it('pins the page script by hash and allows no network access', () => {
    const html = renderHtml(makeScan(), { generatedAt: GENERATED });
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)![1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+';/);
  });
});

describe('HTML report content', () => {
  it('shows drift sections only when the scan has a drift, in reading order', () => {
    const plain = renderHtml(makeScan({ findings: [makeFinding()] }), { generatedAt: GENERATED });
    expect(plain).not.toContain('id="drift');
    expect(plain).not.toContain('id="findings-new-only"');
    expect(plain).not.toContain('data-stat="drift-new"');

    const html = renderHtml(hostileScan(), { generatedAt: GENERATED });
    const order = ['drift-new', 'drift-resolved', 'drift-identities-added', 'drift-identities-removed', 'drift-credentials', 'drift-entitlements', 'drift-verdicts'].map(
      (id) => html.indexOf(`id="${id}"`),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const drift = html.slice(html.indexOf('id="drift"'), html.indexOf('id="findings"'));
    for (const word of ['created', 'rotated', 'deleted', 'newly used', 'expired', 'granted', 'revoked', 'changed']) {
      expect(drift).toContain(`<span class="change">${word}</span>`);
    }
    expect(drift).toContain('AKIAOLD');
    expect(drift).toContain('+ s3:PutObject');
    expect(drift).toContain('level read → write');
    expect(drift).toMatch(/v-unknown">unknown<\/span> → <span class="verdict v-agent">agent/);
    expect(html).toContain('data-stat="drift-new">1<');
    expect(html).toContain('id="findings-new-only"');
    expect(embedded(html).findings.map((f) => f.isNew)).toEqual([true, false, false]);
  });

  it('counts suppressed findings apart and marks them with their reason', () => {
    const html = renderHtml(hostileScan(), { generatedAt: GENERATED });
    expect(html).toContain('data-stat="findings">2<');
    expect(html).toContain('data-stat="suppressed">1<');
    expect(html).toContain('data-stat="severity-high">0<');
    const muted = embedded(html).findings.find((f) => f.fingerprint === 'fp-muted')!;
    expect(muted.suppressed).toEqual({ reason: `owned by the platform team ${XSS_IMG}`, expires: '2027-01-01', source: 'agentscan.yaml' });
  });

  it('says COMPLETE or PARTIAL, naming the failed calls', () => {
    expect(renderHtml(makeScan(), { generatedAt: GENERATED })).toMatch(/class="status ok"[^>]*><strong>Complete<\/strong>/);
    const failed = makeScan({
      coverage: [
        { provider: 'aws', scope: '111111111111', call: 'iam:GetCredentialReport', status: 'error', message: `AccessDenied ${XSS_IMG}` },
      ],
    });
    const html = renderHtml(failed, { generatedAt: GENERATED });
    expect(html).toMatch(/class="status partial"[^>]*><strong>PARTIAL<\/strong>/);
    expect(html).toContain('<code>iam:GetCredentialReport</code>: AccessDenied &lt;img src=x');
  });

  it('draws one bar per family', () => {
    const html = renderHtml(hostileScan(), { generatedAt: GENERATED });
    const bars = html.match(/<g class="bar" data-family="[^"]+">/g) ?? [];
    expect(bars.length).toBeGreaterThanOrEqual(5);
    expect(html).toContain('data-family="over-scoped"');
  });
});

describe('agentscan scan --format html', () => {
  it('is picked by a .html file name', () => {
    expect(parseOutput('out/report.html')).toEqual({ format: 'html', file: 'out/report.html' });
  });

  it('writes one self-contained file for the demo', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'agentscan-html-')), 'report.html');
    const r = runCli(['scan', '--demo', '--format', 'html', '-o', out, '-o', `json=${out}.json`]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    const html = readFileSync(out, 'utf8');
    const report = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as JsonReport;
    // Nothing is loaded from elsewhere: no links, external scripts or images, imports or url().
    expect(html).not.toMatch(/<link\b|<script[^>]+src=|<img\b|<iframe\b|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    const data = embedded(html);
    expect(data.identities.map((i) => i.id)).toEqual(report.identities.map((i) => i.id));
    expect(data.findings.map((f) => f.fingerprint)).toEqual(report.findings.map((f) => f.fingerprint));
    // Light enough to attach to a ticket: a few hundred kilobytes for the demo's ~50 identities.
    expect(html.length).toBeLessThan(600_000);
  });
});
