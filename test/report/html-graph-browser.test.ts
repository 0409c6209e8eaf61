import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { chromiumMissing, launchChromium, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { XSS_IMG, XSS_NAME, XSS_SCRIPT } from '../helpers/html-scan.js';
import { EDGES, IDS, largeReach, reachScan } from '../helpers/reach-scan.js';

// The access-path graph in a real browser: it draws the hand-made chains, highlights what a
// selected identity reaches and the chain to a chosen target, pans and zooms, runs under the
// page's CSP without a violation, shows hostile names as text, and draws only a neighbourhood
// of a large estate. Skipped without chromium like the other browser tests (and failed in CI).

const missing = chromiumMissing();
const dir = mkdtempSync(join(tmpdir(), 'agentscan-html-graph-'));
const GENERATED = '2026-11-21T10:00:00Z';

/** Records CSP violations before any of the page's scripts run. */
async function watchCsp(w: WatchedPage): Promise<void> {
  await w.page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}
const violations = (w: WatchedPage) => w.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
const transform = (w: WatchedPage) => w.page.getAttribute('#graph-viewport', 'transform');
/** The full names (aria-labels start with them) of the drawn nodes carrying a class. */
const drawnWith = (w: WatchedPage, cls: string) =>
  w.page.$$eval(`#graph-svg g.gnode${cls}`, (gs) => gs.map((g) => g.getAttribute('aria-label')!.replace(/, [^,]+$/, '')).sort());

describe.skipIf(missing !== undefined)(`HTML graph view in headless chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('a small estate with chains in every provider', () => {
    let w: WatchedPage;
    const node = (name: string) => w.page.locator('#graph-svg g.gnode', { has: w.page.locator('text.name', { hasText: new RegExp(`^${name}$`) }) });

    beforeAll(async () => {
      const file = join(dir, 'small.html');
      writeFileSync(file, renderHtml(reachScan(), { generatedAt: GENERATED }));
      w = await watchedPage(browser);
      await watchCsp(w);
      await w.page.goto(pathToFileURL(file).href);
    });

    it('draws every node on an edge and every edge, and nothing else', async () => {
      expect(await w.page.locator('#graph-svg g.gnode').count()).toBe(10); // the loner is on no edge
      expect(await w.page.locator('#graph-svg g.gedge').count()).toBe(EDGES.length);
      const names = await drawnWith(w, '');
      expect(names).toContain('claude-agent');
      expect(names).toContain('owner');
      expect(names).not.toContain('loner');
      // Hops that cross a provider are marked: workflow → AWS role, workflow → Entra, and nothing in GCP.
      expect(await w.page.locator('#graph-svg g.gedge.cross').count()).toBe(2);
      expect(await w.page.textContent('#graph-count')).toBe('10 nodes, 8 edges');
      expect(await violations(w)).toEqual([]);
      expect(w.errors).toEqual([]);
      expect(w.external).toEqual([]);
    });

    it('highlights what a selected identity reaches, strongest first', async () => {
      await node('claude-agent').click();
      expect(await drawnWith(w, '.sel')).toEqual(['claude-agent']);
      expect(await drawnWith(w, '.reach')).toEqual(['acme/api workflows', 'admin', 'agent-bot', 'deploy', 'graph-admin']);
      // The GCP chain is not reachable from it, and fades.
      expect(await drawnWith(w, '.dim')).toEqual(['ci-agent', 'deployer', 'owner', XSS_NAME].sort());
      expect(await w.page.locator('#graph-svg g.gedge.on').count()).toBe(5); // edges 0, 1, 2, 5, 6
      const targets = await w.page.$$eval('#graph-panel .graph-targets li', (lis) => lis.map((li) => li.textContent));
      expect(targets[0]).toMatch(/^(admin|graph-admin) admin/);
      expect(targets).toHaveLength(5);
      expect(await w.page.textContent('#graph-panel')).toContain(IDS.agent);
    });

    it('shows the chain to a chosen target with each hop and its evidence', async () => {
      await w.page.click('#graph-panel .graph-targets button:text-is("admin")');
      const hops = await w.page.$$eval('#graph-panel .graph-chain li', (lis) => lis.map((li) => li.querySelector('.hop')!.textContent));
      expect(hops).toEqual(['claude-agent → acme/api workflows', 'acme/api workflows → deploy', 'deploy → admin']);
      const chain = await w.page.textContent('#graph-panel .graph-chain');
      for (const e of EDGES.slice(0, 3)) expect(chain).toContain(e.evidence);
      expect(chain).toContain('only if sub matches repo:acme/api:*');
      const chainEdges = await w.page.$$eval('#graph-svg g.gedge.chain', (gs) => gs.map((g) => Number(g.getAttribute('data-edge'))).sort());
      expect(chainEdges).toEqual([0, 1, 2]);
      expect(await drawnWith(w, '.chain')).toEqual(['acme/api workflows', 'admin', 'claude-agent', 'deploy']);
      // Clicking a reached node in the drawing chooses it as the target too.
      await node('graph-admin').click();
      const entra = await w.page.$$eval('#graph-panel .graph-chain li .hop', (hs) => hs.map((h) => h.textContent));
      expect(entra).toEqual(['claude-agent → acme/api workflows', 'acme/api workflows → agent-bot', 'agent-bot → graph-admin']);
      // A node it cannot reach becomes the selection instead.
      await node('ci-agent').click();
      expect(await drawnWith(w, '.sel')).toEqual(['ci-agent']);
      expect(await drawnWith(w, '.reach')).toEqual(['deployer', 'owner']);
      expect(await w.page.locator('#graph-panel .graph-chain').count()).toBe(0);
    });

    it('pans with a drag and zooms with the wheel and the buttons', async () => {
      const box = (await w.page.locator('#graph-svg').boundingBox())!;
      // The last selection zoomed in on itself; Fit shows the whole drawing again.
      await w.page.click('#graph-fit');
      const before = await transform(w);
      // Drag from the top-left corner, where the layout leaves empty margin.
      await w.page.mouse.move(box.x + 5, box.y + 5);
      await w.page.mouse.down();
      await w.page.mouse.move(box.x + 85, box.y + 45, { steps: 4 });
      await w.page.mouse.up();
      const panned = await transform(w);
      const at = (t: string | null) => t!.match(/translate\(([-\d.]+),([-\d.]+)\) scale\(([\d.]+)\)/)!.slice(1).map(Number);
      const [x0, y0, k0] = at(before);
      const [x1, y1, k1] = at(panned);
      expect(x1 - x0).toBeCloseTo(80, 0);
      expect(y1 - y0).toBeCloseTo(40, 0);
      expect(k1).toBe(k0);
      await w.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await w.page.mouse.wheel(0, -300);
      await expect.poll(async () => at(await transform(w))[2]).toBeGreaterThan(k1);
      const k2 = at(await transform(w))[2];
      await w.page.click('#graph-zoom-out');
      expect(at(await transform(w))[2]).toBeLessThan(k2);
      await w.page.click('#graph-fit');
      expect(at(await transform(w))[2]).toBeCloseTo(k0, 3);
    });

    it('selects a node from the keyboard', async () => {
      await w.page.click('#graph-fit');
      await node('deploy').focus();
      await w.page.keyboard.press('Enter');
      expect(await drawnWith(w, '.sel')).toEqual(['deploy']);
      expect(await drawnWith(w, '.reach')).toEqual(['admin']);
    });

    it('finds an identity from the search box', async () => {
      await w.page.fill('#graph-search', 'graph-admin');
      expect(await w.page.locator('#graph-matches li button').count()).toBe(1);
      await w.page.press('#graph-search', 'Enter');
      expect(await drawnWith(w, '.sel')).toEqual(['graph-admin']);
      expect(await w.page.textContent('#graph-panel')).toContain('It can act as no other identity.');
      expect(await w.page.textContent('#graph-panel')).toContain('Who can act as it directly (1)');
      await w.page.fill('#graph-search', 'no-such-identity');
      expect(await w.page.textContent('#graph-matches')).toContain('No identity in the graph matches.');
    });

    it('shows a hostile node name and evidence as text and runs none of it', async () => {
      await w.page.fill('#graph-search', 'hostile');
      await w.page.click('#graph-matches li button');
      expect(await w.page.textContent('#graph-panel h3')).toBe(XSS_NAME);
      await w.page.click('#graph-panel .graph-targets button:text-is("admin")');
      expect(await w.page.textContent('#graph-panel .graph-chain')).toContain(`hostile: Allow sts:AssumeRole ${XSS_IMG}`);
      expect(await w.page.textContent('#graph-panel .graph-chain')).toContain(`only if ${XSS_SCRIPT}`);
      expect(await w.page.getAttribute(`#graph-svg g.gnode[aria-label^="${XSS_NAME}"]`, 'aria-label')).toBe(`${XSS_NAME}, AWS identity`);
      expect(await w.page.locator('#paths img, #paths script, #paths foreignObject').count()).toBe(0);
      expect(await w.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(await violations(w)).toEqual([]);
      expect(w.errors).toEqual([]);
    });

    it('takes a screenshot of a selection and its chain', async () => {
      await w.page.click('#graph-fit');
      await node('claude-agent').click();
      await w.page.click('#graph-panel .graph-targets button:text-is("admin")');
      const png = join(dir, 'graph.png');
      await w.page.locator('#paths').screenshot({ path: png });
      expect(statSync(png).size).toBeGreaterThan(20_000);
      if (process.env.AGENTSCAN_KEEP_SCREENSHOT) writeFileSync(process.env.AGENTSCAN_KEEP_SCREENSHOT, await w.page.locator('#paths').screenshot());
    });
  });

  it('draws only the neighbourhood of one identity in a large estate, and says how many are hidden', async () => {
    // 1,000 chains of five plus an owner of 400 repositories: 5,401 nodes.
    const reach = largeReach(1000, 400);
    const file = join(dir, 'large.html');
    writeFileSync(file, renderHtml(reachScan(reach), { generatedAt: GENERATED }));
    const w = await watchedPage(browser);
    await watchCsp(w);
    const start = Date.now();
    await w.page.goto(pathToFileURL(file).href);
    await w.page.waitForSelector('#graph-svg g.gnode');
    const loaded = Date.now() - start;
    expect(loaded).toBeLessThan(10_000);
    // It starts with the identity that reaches the most: the owner, whose 2,400 targets do not fit.
    expect(await drawnWith(w, '.sel')).toEqual(['org-owner']);
    const drawn = await w.page.locator('#graph-svg g.gnode').count();
    expect(drawn).toBeGreaterThan(200);
    expect(drawn).toBeLessThanOrEqual(300);
    const text = await w.page.textContent('#graph-count');
    expect(text).toContain(`Drawing ${drawn} of 5,401 nodes: the neighbourhood of org-owner. ${(5401 - drawn).toLocaleString('en')} hidden`);
    expect(text).toMatch(/hidden, [\d,]+ of its 2,400 targets among them/);
    expect(await w.page.locator('#graph-panel .graph-targets li', { hasText: '(not drawn)' }).count()).toBeGreaterThan(0);
    // Another identity from the search box: its chain and who can act as it, nothing else.
    await w.page.fill('#graph-search', 'role-42-0');
    await w.page.press('#graph-search', 'Enter');
    expect(await drawnWith(w, '.sel')).toEqual(['role-42-0']);
    expect(await drawnWith(w, '')).toEqual(['acme/repo-42', 'role-42-0', 'role-42-1', 'role-42-2', 'role-42-3', 'role-42-4']);
    expect(await w.page.textContent('#graph-count')).toContain('Drawing 6 of 5,401 nodes: the neighbourhood of role-42-0. 5,395 hidden.');
    // Who can act as it is drawn in full, not faded: the workflow of its repository.
    expect(await drawnWith(w, '.dim')).toEqual([]);
    expect(await violations(w)).toEqual([]);
    expect(w.errors).toEqual([]);
    console.log(`graph view: 5,401-node estate drawn in ${loaded} ms (neighbourhood of ${drawn} nodes)`);
  });
});
