import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES, SEVERITY_RANK, type Severity } from '../../src/model/finding.js';
import { renderHtml } from '../../src/report/html.js';
import type { JsonReport } from '../../src/report/json.js';
import { chromiumMissing, launchChromium, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { hostileScan, makeFinding, makeScan, XSS_IMG, XSS_NAME } from '../helpers/html-scan.js';
import { handReach } from '../helpers/reach-scan.js';

// The HTML report in a real browser: the demo as the CLI writes it, and a page full of
// hostile values with a drift and a suppressed finding. Without chromium the suite is skipped
// on a laptop, but fails in CI, where a missing browser would otherwise hide a broken report.

const missing = chromiumMissing();
if (missing && process.env.CI) {
  describe('HTML report in headless chromium', () => {
    it('needs chromium in CI', () => {
      throw new Error(`cannot run the browser tests: ${missing}`);
    });
  });
} else if (missing) {
  console.warn(`skipping the HTML browser tests: ${missing}`);
}

const dir = mkdtempSync(join(tmpdir(), 'agentscan-html-browser-'));
const RANK = SEVERITY_RANK as Record<string, number>;
/** Big enough that the page has a hundred pages, small enough to scan in seconds. */
const LARGE = Number(process.env.AGENTSCAN_HTML_TEST_IDENTITIES ?? 1000);

describe.skipIf(missing !== undefined)(`HTML report in headless chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('the demo report', () => {
    let report: JsonReport;
    let w: WatchedPage;
    const file = join(dir, 'demo.html');

    beforeAll(async () => {
      const r = runCli(['scan', '--demo', '-f', 'json', '-o', `html=${file}`]);
      expect(r.code).toBe(0);
      report = JSON.parse(r.stdout) as JsonReport;
      w = await watchedPage(browser);
      await w.page.goto(pathToFileURL(file).href);
    });

    /** The severities (or any column's text) of the visible findings rows, top to bottom. */
    const column = (n: number) => w.page.$$eval(`#findings-table tbody tr.row td:nth-child(${n})`, (tds) => tds.map((td) => td.textContent!.trim()));

    it('loads with no errors and no request off the file', () => {
      expect(w.errors).toEqual([]);
      expect(w.external).toEqual([]);
    });

    it('shows the right summary counts', async () => {
      const stat = (name: string) => w.page.textContent(`[data-stat="${name}"]`);
      // Suppressed findings are counted apart from the open ones.
      const open = report.findings.filter((f) => !f.suppression);
      expect(await stat('identities')).toBe(String(report.identities.length));
      expect(await stat('findings')).toBe(String(open.length));
      for (const [verdict, n] of Object.entries(report.summary.byVerdict)) expect(await stat(`verdict-${verdict}`)).toBe(String(n));
      for (const severity of Object.keys(SEVERITY_RANK)) {
        expect(await stat(`severity-${severity}`)).toBe(String(open.filter((f) => f.severity === severity).length));
      }
      for (const family of FAMILIES) {
        expect(await stat(`family-${family}`)).toBe(String(open.filter((f) => f.family === family).length));
      }
      expect(await w.page.textContent('#status')).toContain('Complete');
      expect(await w.page.textContent('#findings-count')).toBe(`${report.findings.length} findings`);
      expect(await w.page.locator('#identities-table tbody tr.row').count()).toBe(report.identities.length);
    });

    it('filters the findings table as you type', async () => {
      const rule = 'no-owner';
      await w.page.fill('#findings-search', rule);
      expect(await column(3)).toEqual(report.findings.filter((f) => f.ruleId === rule).map((f) => f.ruleId));
      // Every word must match: a provider and a family together.
      await w.page.fill('#findings-search', 'entra stale-credential');
      const expected = report.findings.filter((f) => f.provider === 'entra' && f.family === 'stale-credential');
      expect(expected.length).toBeGreaterThan(0);
      expect(await column(4)).toEqual(expected.map((f) => f.family));
      expect(await w.page.textContent('#findings-count')).toBe(`${expected.length} of ${report.findings.length} findings`);
      await w.page.fill('#findings-search', 'no-such-thing-anywhere');
      expect(await w.page.textContent('#findings-table tbody')).toContain('Nothing matches');
      await w.page.fill('#findings-search', '');
      expect(await w.page.locator('#findings-table tbody tr.row').count()).toBe(report.findings.length);
    });

    it('sorts by severity rank when the header is clicked, then reverses', async () => {
      const header = w.page.locator('#findings-table th', { hasText: 'Severity' });
      await w.page.click('#findings-table th button:text("Rule")'); // leave the default order first
      await header.locator('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('descending');
      const down = (await column(2)).map((s) => RANK[s.toLowerCase()]);
      expect(down[0]).toBe(SEVERITY_RANK.critical);
      expect(down).toEqual([...down].sort((a, b) => b - a));
      await header.locator('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('ascending');
      const up = (await column(2)).map((s) => RANK[s.toLowerCase()]);
      const lowest = Math.min(...report.findings.map((f) => SEVERITY_RANK[f.severity as Severity]));
      expect(up[0]).toBe(lowest);
      expect(up).toEqual([...up].sort((a, b) => a - b));
      expect(await w.page.locator('#findings-table th[aria-sort]').count()).toBe(1);
    });

    it('expands a finding to show its evidence and remediation command', async () => {
      await w.page.click('#findings-table th button:text("Severity")'); // critical first again
      const first = w.page.locator('#findings-table tbody tr.row').first();
      const rule = await first.locator('td:nth-child(3)').textContent();
      const finding = report.findings.find((f) => f.ruleId === rule && f.remediation.command)!;
      await w.page.fill('#findings-search', finding.fingerprint);
      await w.page.click('#findings-table tbody tr.row button.expand');
      const detail = w.page.locator('#findings-table tbody tr.detail');
      await expect.poll(() => detail.isVisible()).toBe(true);
      expect(await w.page.getAttribute('#findings-table tbody tr.row button.expand', 'aria-expanded')).toBe('true');
      expect(await detail.textContent()).toContain(finding.remediation.text);
      expect(await detail.locator('pre code').textContent()).toBe(finding.remediation.command);
      await w.page.fill('#findings-search', '');
    });

    it('draws the chart with one bar group per family', async () => {
      expect(await w.page.locator('#chart svg g.bar').count()).toBe(FAMILIES.length);
      const total = await w.page.$$eval('#chart svg g.bar text.total', (ts) => ts.reduce((n, t) => n + Number(t.textContent), 0));
      expect(total).toBe(report.findings.filter((f) => !f.suppression).length);
    });

    it('takes a screenshot that is not empty', async () => {
      expect(w.errors).toEqual([]);
      const png = join(dir, 'demo.png');
      await w.page.screenshot({ path: png, fullPage: true });
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(png).size).toBeGreaterThan(50_000);
    });
  });

  describe('a report with hostile values, a suppression and a drift', () => {
    let w: WatchedPage;

    beforeAll(async () => {
      const file = join(dir, 'hostile.html');
      // With an access-path graph too, so its script meets the same payloads.
      writeFileSync(file, renderHtml({ ...hostileScan(), reach: handReach() }, { generatedAt: '2026-11-21T10:00:00Z' }));
      w = await watchedPage(browser);
      await w.page.goto(pathToFileURL(file).href);
    });

    it('never runs injected code and shows the payloads as text', async () => {
      expect(await w.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(await w.page.locator('main img, main script').count()).toBe(0);
      expect(await w.page.textContent('#findings-table tbody')).toContain(`role message ${XSS_IMG}`);
      expect(await w.page.textContent('#identities-table tbody')).toContain(XSS_NAME);
      expect(await w.page.textContent('#drift')).toContain(XSS_NAME);
      await w.page.fill('#graph-search', 'hostile');
      await w.page.press('#graph-search', 'Enter');
      expect(await w.page.textContent('#graph-panel h3')).toBe(XSS_NAME);
      await w.page.click('#findings-table tbody tr.row button.expand');
      expect(await w.page.textContent('#findings-table tr.detail')).toContain(`Restrict the trust policy ${XSS_IMG}`);
      expect(w.errors).toEqual([]);
      expect(w.external).toEqual([]);
    });

    it('marks suppressed findings with their reason and new ones with a badge', async () => {
      const muted = w.page.locator('#findings-table tbody tr.row.suppressed');
      expect(await muted.count()).toBe(1);
      expect(await muted.textContent()).toContain(`Suppressed: owned by the platform team ${XSS_IMG}`);
      expect(await w.page.textContent('[data-stat="suppressed"]')).toBe('1');
      expect(await w.page.locator('#findings-table .new-badge').count()).toBe(1);
      await w.page.check('#findings-new-only');
      expect(await w.page.locator('#findings-table tbody tr.row').count()).toBe(1);
      await w.page.uncheck('#findings-new-only');
    });

    it('shows the drift, findings first', async () => {
      const headings = await w.page.$$eval('#drift h3', (hs) => hs.map((h) => h.firstChild!.textContent!.trim()));
      expect(headings).toEqual([
        'New findings',
        'Resolved findings',
        'Identities added',
        'Identities removed',
        'Credentials',
        'Entitlements',
        'Verdict and status changes',
      ]);
      expect(await w.page.textContent('#drift-credentials')).toContain('AKIAROTATED');
      const png = join(dir, 'hostile.png');
      await w.page.screenshot({ path: png, fullPage: true });
      expect(statSync(png).size).toBeGreaterThan(20_000);
    });
  });

  it('draws a large estate a page of rows at a time', async () => {
    const findings = Array.from({ length: 1200 }, (_, n) => makeFinding({ message: `finding ${n}`, fingerprint: `fp-${n}` }));
    const file = join(dir, 'large.html');
    writeFileSync(file, renderHtml(makeScan({ findings }), { generatedAt: '2026-11-21T10:00:00Z' }));
    const w = await watchedPage(browser);
    await w.page.goto(pathToFileURL(file).href);
    const rows = w.page.locator('#findings-table tbody tr.row');
    expect(await rows.count()).toBe(200);
    await expect.poll(() => w.page.textContent('#findings-pager .page-of')).toContain('page 1 of 6');
    await w.page.click('#findings-pager button:has-text("Next")');
    expect(await rows.count()).toBe(200);
    expect(await rows.first().textContent()).toContain('finding 200');
    await w.page.fill('#findings-search', 'finding 1199');
    expect(await rows.count()).toBe(1);
    expect(await w.page.isHidden('#findings-pager')).toBe(true);
    expect(w.errors).toEqual([]);
  });

  it('opens a generated AWS scan of LARGE identities, pages it and searches across pages', async () => {
    const bundle = join(dir, 'aws-large');
    const file = join(dir, 'aws-large.html');
    execFileSync(process.execPath, ['scripts/bench/generate.mjs', '--out', bundle, '--aws', String(LARGE)], { stdio: 'ignore' });
    const r = runCli(['scan', '--from', bundle, '-f', 'markdown', '-o', `html=${file}`, '-o', `json=${join(dir, 'aws-large.json')}`, '--fail-on', 'none', '-q']);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'aws-large.json'), 'utf8')) as JsonReport;
    const w = await watchedPage(browser);
    const started = Date.now();
    await w.page.goto(pathToFileURL(file).href);
    const rows = w.page.locator('#identities-table tbody tr.row');
    expect(await rows.count()).toBe(200);
    const opened = Date.now() - started;
    expect(await w.page.textContent('#identities-count')).toBe(`${report.identities.length} identities`);
    // The last page, then an identity from it found by search from the first page.
    const pages = Math.ceil(report.identities.length / 200);
    for (let p = 1; p < 3; p++) await w.page.click('#identities-pager button:has-text("Next")');
    await expect.poll(() => w.page.textContent('#identities-pager .page-of')).toContain(`page 3 of ${pages}`);
    const last = report.identities.at(-1)!;
    await w.page.fill('#identities-search', last.id);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-key')).toBe(last.id);
    // Findings: the most severe first after a sort, across every page.
    await w.page.click('#findings-table th:nth-child(2) button');
    const top = await w.page.$$eval('#findings-table tbody tr.row td:nth-child(2)', (tds) => tds.map((td) => td.textContent!.trim()));
    const worst = report.findings.reduce((m, f) => Math.max(m, RANK[f.severity]), 0);
    expect(RANK[top[0]]).toBe(worst);
    expect(w.errors).toEqual([]);
    console.log(`HTML of ${report.identities.length} AWS identities: ${(statSync(file).size / 1e6).toFixed(1)} MB, first page drawn in ${opened} ms`);
  }, 300_000);
});
