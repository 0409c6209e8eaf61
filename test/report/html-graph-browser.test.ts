import { ReachSearch } from '../../src/facts/reach/reach.js';
import { ownLevel } from '../../src/facts/reach/graph.js';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../../src/bundle/load.js';
import { loadPatterns } from '../../src/classify/patterns.js';
import { renderHtml } from '../../src/report/html.js';
import { loadRules } from '../../src/rules/load.js';
import { analyseBundle } from '../../src/scan/analyse.js';
import { chromiumMissing, launchChromium, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { XSS_IMG, XSS_NAME, XSS_SCRIPT } from '../helpers/html-scan.js';
import type { ScanResult } from '../../src/model/scan-result.js';
import { EDGES, GATED_EDGE, IDS, largeScan, reachScan, tangledScan } from '../helpers/reach-scan.js';

// The access-path graph in a real browser: it draws the hand-made chains, highlights what a
// selected identity reaches and the chain to a chosen target, draws a gated hop apart and never
// follows it, reaches exactly what computeReach reaches by the same chains, pans and zooms, runs
// under the page's CSP without a violation, shows hostile names as text, and draws only a
// neighbourhood of a large estate. Skipped without chromium like the other browser tests (and
// failed in CI).

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
      expect(await w.page.locator('#graph-svg g.gnode').count()).toBe(11); // the loner is on no edge
      expect(await w.page.locator('#graph-svg g.gedge').count()).toBe(EDGES.length);
      const names = await drawnWith(w, '');
      expect(names).toContain('claude-agent');
      expect(names).toContain('owner');
      expect(names).not.toContain('loner');
      // Hops that cross a provider are marked: workflow → AWS role, workflow → Entra, and nothing in GCP.
      expect(await w.page.locator('#graph-svg g.gedge.cross').count()).toBe(2);
      expect(await w.page.textContent('#graph-count')).toBe('11 nodes, 9 edges');
      expect(await violations(w)).toEqual([]);
      expect(w.errors).toEqual([]);
      expect(w.external).toEqual([]);
    });

    it('highlights what a selected identity reaches, strongest first', async () => {
      await node('claude-agent').click();
      expect(await drawnWith(w, '.sel')).toEqual(['claude-agent']);
      // The identities it can become; the workflow it passes through is marked apart.
      expect(await drawnWith(w, '.reach')).toEqual(['admin', 'agent-bot', 'deploy', 'graph-admin']);
      expect(await drawnWith(w, '.via')).toEqual(['acme/api workflows']);
      // The GCP chain is not reachable from it, nor break-glass behind MFA: they fade.
      expect(await drawnWith(w, '.dim')).toEqual(['break-glass', 'ci-agent', 'deployer', 'owner', XSS_NAME].sort());
      expect(await w.page.locator('#graph-svg g.gedge.on').count()).toBe(5); // edges 0, 1, 2, 5, 6
      const targets = await w.page.$$eval('#graph-panel .graph-targets li', (lis) => lis.map((li) => li.textContent));
      expect(targets).toEqual(['admin admin 3 hops, AWS', 'graph-admin admin 3 hops, Entra ID', 'deploy write 2 hops, AWS', 'agent-bot read 2 hops, Entra ID']);
      const max = await w.page.$$eval('#graph-panel .dsec:has(h4:text-is("Highest level reached")) li', (lis) => lis.map((li) => li.textContent));
      // Its own write on GitHub counts too.
      expect(max.sort()).toEqual(['AWS: admin', 'Entra ID: admin', 'GitHub: write']);
      expect(await w.page.textContent('#graph-panel')).toContain(IDS.agent);
      // Where its reach stops: the gated hop out of deploy, said, kept in view, not followed.
      expect(await w.page.textContent('#graph-panel .graph-gated')).toBe('deploy → break-glass assume-role: requires MFA — not followed');
      const gated = w.page.locator(`#graph-svg g.gedge[data-edge="${GATED_EDGE}"]`);
      expect(await gated.getAttribute('class')).toMatch(/\bblocked\b/);
      expect(await gated.getAttribute('class')).not.toMatch(/\b(on|dim)\b/);
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

    it('draws the gated hop dotted and pale, says the gate in its tooltip and legend, and never follows it', async () => {
      const style = (edge: number) =>
        w.page.$eval(`#graph-svg g.gedge[data-edge="${edge}"] path.line`, (p) => {
          const s = getComputedStyle(p);
          return { dash: s.strokeDasharray, colour: s.stroke };
        });
      const gated = await style(GATED_EDGE);
      const plain = await style(2); // deploy → admin: the same providers, not gated
      expect(plain.dash).toBe('none');
      expect(gated.dash).not.toBe('none');
      expect(gated.colour).not.toBe(plain.colour);
      // And unlike a hop across providers, which is dashed too.
      const cross = await style(1);
      expect(cross.dash).not.toBe('none');
      expect(gated.dash).not.toBe(cross.dash);
      expect(await w.page.textContent(`#graph-svg g.gedge[data-edge="${GATED_EDGE}"] title`)).toBe(
        "assume-role: break-glass's trust policy names deploy — requires MFA — not followed",
      );
      expect(await w.page.textContent('#paths .graph-legend')).toContain('gated hop (MFA, an external id…): drawn, not followed');
      // deploy reaches admin but not break-glass; break-glass names who could with MFA.
      await w.page.fill('#graph-search', IDS.deploy);
      await w.page.press('#graph-search', 'Enter');
      expect(await drawnWith(w, '.sel')).toEqual(['deploy']);
      expect(await drawnWith(w, '.reach')).toEqual(['admin']);
      expect(await drawnWith(w, '.dim')).toContain('break-glass');
      // A click on break-glass is no chain (it is not reached): it becomes the selection.
      await w.page.click('#graph-fit');
      await node('break-glass').click();
      expect(await drawnWith(w, '.sel')).toEqual(['break-glass']);
      expect(await w.page.textContent('#graph-panel')).toContain('It can act as no other identity.');
      expect(await w.page.textContent('#graph-panel')).toContain('Who can act as it directly (1)deploy assume-role (requires MFA — not followed)');
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

  /** What computeReach gives each identity of a scan, as the panel lists it: strongest first,
   * then the shortest chain, then by name; with the highest level per provider. */
  function expectedPanel(scan: ScanResult) {
    const rank = { read: 1, write: 2, admin: 3 } as const;
    const name = new Map(scan.reach!.nodes.map((n) => [n.id, n.name]));
    const provider = { aws: 'AWS', gcp: 'Google Cloud', github: 'GitHub', entra: 'Entra ID' } as const;
    const collator = new Intl.Collator(undefined, { numeric: true });
    const search = new ReachSearch(scan.reach!.nodes, scan.reach!.edges);
    const byId = new Map(scan.identities.map((i) => [i.id, i]));
    const out: Record<string, { targets: string[]; max: string[]; chains: Record<string, string[]> }> = {};
    for (const identity of scan.identities) {
      if (!scan.reach!.nodes.some((n) => n.id === identity.id) || !scan.reach!.edges.some((e) => e.from === identity.id || e.to === identity.id)) continue;
      const r = scan.reach!.byIdentity[identity.id];
      // The scan keeps the most telling targets; the page lists every one, as a new search does.
      const all = search.search(search.index.get(identity.id)!).map((v) => {
        const id = scan.reach!.nodes[v].id;
        const level = byId.has(id) ? ownLevel(byId.get(id)!) : undefined;
        return { identityId: id, provider: scan.reach!.nodes[v].provider, chain: search.chain(v), ...(level ? { level } : {}) };
      });
      expect(all.length).toBe(r?.count ?? 0);
      const targets = all.sort(
        (a, b) => (b.level ? rank[b.level] : 0) - (a.level ? rank[a.level] : 0) || a.chain.length - b.chain.length || collator.compare(name.get(a.identityId)!, name.get(b.identityId)!),
      );
      out[identity.name] = {
        // The page writes name, level badge and hops with a space between (two without a level).
        targets: targets.map((t) => `${name.get(t.identityId)} ${t.level ?? ''} ${t.chain.length} hop${t.chain.length === 1 ? '' : 's'}, ${provider[t.provider]}`),
        max: Object.entries(r?.maxLevel ?? {}).map(([p, l]) => `${provider[p as keyof typeof provider]}: ${l}`).sort(),
        chains: Object.fromEntries(
          targets.map((t) => [name.get(t.identityId)!, t.chain.map((e) => `${name.get(scan.reach!.edges[e].from)} → ${name.get(scan.reach!.edges[e].to)}`)]),
        ),
      };
    }
    return out;
  }

  /** Selects each named identity through the search box, in the page, and reads the panel: its
   * targets, its highest levels, the identities drawn as reached, and the chain to each of
   * the first `chains` targets (chosen with their buttons). */
  async function panelsOf(w: WatchedPage, ids: Array<{ id: string; name: string }>, chains: number) {
    return w.page.evaluate(
      ({ ids, chains }) => {
        const search = document.getElementById('graph-search') as HTMLInputElement;
        const texts = (sel: string) => [...document.querySelectorAll(sel)].map((e) => e.textContent!);
        const out: Record<string, { targets: string[]; max: string[]; drawn: string[]; selected: string; chains: Record<string, string[]> }> = {};
        for (const { id, name } of ids) {
          search.value = id;
          search.dispatchEvent(new Event('input'));
          search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
          const panel = {
            targets: texts('#graph-panel .graph-targets li').map((t) => t.replace(/ \(not drawn\)$/, '')),
            max: [...document.querySelectorAll('#graph-panel .dsec')]
              .filter((d) => d.querySelector('h4')?.textContent === 'Highest level reached')
              .flatMap((d) => [...d.querySelectorAll('li')].map((li) => li.textContent!))
              .sort(),
            drawn: [...document.querySelectorAll('#graph-svg g.gnode.reach')].map((g) => g.querySelector('text.name')!.textContent!).sort(),
            selected: document.querySelector('#graph-panel h3')!.textContent!,
            chains: {} as Record<string, string[]>,
          };
          const buttons = [...document.querySelectorAll('#graph-panel .graph-targets li button')].slice(0, chains).map((b) => b.textContent!);
          for (const target of buttons) {
            const button = [...document.querySelectorAll('#graph-panel .graph-targets li button')].find((b) => b.textContent === target) as HTMLButtonElement;
            button.click();
            panel.chains[target] = texts('#graph-panel .graph-chain li .hop');
          }
          out[name] = panel;
        }
        return out;
      },
      { ids, chains },
    );
  }

  it('reaches exactly what computeReach reaches, by the same chains, over a tangle with gated hops', async () => {
    // 150 identities and 15 workflows, cycles and parallel routes, one hop in six gated: all drawn.
    const scan = tangledScan(150);
    const expected = expectedPanel(scan);
    const reaching = Object.values(expected).filter((e) => e.targets.length);
    expect(reaching.length).toBeGreaterThan(50);
    expect(Math.max(...reaching.map((e) => e.targets.length))).toBeGreaterThan(20);
    expect(Math.max(...Object.values(expected).flatMap((e) => Object.values(e.chains).map((c) => c.length)))).toBeGreaterThan(3);
    expect(scan.reach!.edges.filter((e) => e.gated).length).toBeGreaterThan(30);
    const file = join(dir, 'tangle.html');
    writeFileSync(file, renderHtml(scan, { generatedAt: GENERATED }));
    const w = await watchedPage(browser);
    await watchCsp(w);
    await w.page.goto(pathToFileURL(file).href);
    expect(await w.page.textContent('#graph-count')).toMatch(/^[\d,]+ nodes, [\d,]+ edges$/);
    const ids = scan.identities.filter((i) => expected[i.name]).map((i) => ({ id: i.id, name: i.name }));
    const seen = await panelsOf(w, ids, 4);
    for (const { name } of ids) {
      const want = expected[name];
      const got = seen[name];
      expect(got.selected, name).toBe(name);
      expect(got.targets, `targets of ${name}`).toEqual(want.targets);
      expect(got.drawn, `drawn as reached from ${name}`).toEqual(want.targets.map((t) => t.split(' ')[0]).sort());
      expect(got.max, `levels of ${name}`).toEqual(want.max);
      for (const [target, chain] of Object.entries(got.chains)) expect(chain, `chain ${name} → ${target}`).toEqual(want.chains[target]);
    }
    expect(await violations(w)).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('reaches what the scan of the demo reaches, identity by identity, and stops at its MFA-gated hop', async () => {
    const rules = loadRules();
    const scan = analyseBundle(loadBundle(join(import.meta.dirname, '..', '..', 'fixtures', 'demo')), {
      rules,
      settings: new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }])),
      patterns: loadPatterns(),
      now: '2026-11-20T09:30:00Z',
    });
    const gated = scan.reach!.edges.filter((e) => e.gated);
    expect(gated.length).toBeGreaterThan(0);
    const expected = expectedPanel(scan);
    expect(Object.values(expected).filter((e) => e.targets.length).length).toBeGreaterThan(10);
    const file = join(dir, 'demo.html');
    writeFileSync(file, renderHtml(scan, { generatedAt: GENERATED }));
    const w = await watchedPage(browser);
    await watchCsp(w);
    await w.page.goto(pathToFileURL(file).href);
    const ids = scan.identities.filter((i) => expected[i.name] && expected[i.name].targets.length).map((i) => ({ id: i.id, name: i.name }));
    const seen = await panelsOf(w, ids, 3);
    for (const { name } of ids) {
      expect(seen[name].targets, `targets of ${name}`).toEqual(expected[name].targets);
      expect(seen[name].max, `levels of ${name}`).toEqual(expected[name].max);
      for (const [target, chain] of Object.entries(seen[name].chains)) expect(chain, `chain ${name} → ${target}`).toEqual(expected[name].chains[target]);
    }
    // Each gated hop is drawn as one, with its gate in the tooltip.
    for (const e of gated) {
      const at = scan.reach!.edges.indexOf(e);
      expect(await w.page.getAttribute(`#graph-svg g.gedge[data-edge="${at}"]`, 'class')).toMatch(/\bgated\b/);
      expect(await w.page.textContent(`#graph-svg g.gedge[data-edge="${at}"] title`)).toContain(`requires ${e.gated} — not followed`);
    }
    expect(await w.page.locator('#graph-svg g.gedge.gated').count()).toBe(gated.length);
    expect(await violations(w)).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('reaches what computeReach reaches in neighbourhood mode too, and draws the neighbourhood whole', async () => {
    // 600 identities, more than one drawing holds; sparser, so a neighbourhood is a few chains
    // rather than a dense tangle that takes the layout seconds.
    const scan = tangledScan(600, 11, 1.2);
    const expected = expectedPanel(scan);
    const file = join(dir, 'tangle-large.html');
    writeFileSync(file, renderHtml(scan, { generatedAt: GENERATED }));
    const w = await watchedPage(browser);
    await watchCsp(w);
    await w.page.goto(pathToFileURL(file).href);
    await w.page.waitForSelector('#graph-svg g.gnode');
    expect(await w.page.textContent('#graph-count')).toMatch(/^Drawing \d+ of \d+ nodes: the neighbourhood of /);
    // The identity the page starts with reaches the most of a few it searched, strongest first.
    const first = (await w.page.textContent('#graph-panel h3'))!;
    const rank: Record<string, number> = { admin: 3, write: 2, read: 1 };
    const strongest = (name: string) => Math.max(0, ...expected[name].targets.map((t) => rank[t.split(' ')[1]] ?? 0));
    const top = Math.max(...Object.keys(expected).map(strongest));
    expect(strongest(first)).toBe(top);
    expect(expected[first].targets.length).toBeGreaterThan(50);
    // It and every hundredth identity (each selection lays out a drawing of up to 300 nodes).
    const ids = scan.identities.filter((i, k) => expected[i.name] && (k % 100 === 0 || i.name === first)).map((i) => ({ id: i.id, name: i.name }));
    expect(ids.length).toBeGreaterThan(4);
    const seen = await panelsOf(w, ids, 2);
    for (const { name } of ids) {
      const want = expected[name];
      const got = seen[name];
      // The panel lists the first 200 and counts the rest.
      expect(got.targets, `targets of ${name}`).toEqual(want.targets.slice(0, 200));
      expect(got.max, `levels of ${name}`).toEqual(want.max);
      for (const [target, chain] of Object.entries(got.chains)) expect(chain, `chain ${name} → ${target}`).toEqual(want.chains[target]);
      // What is drawn as reached is reached; nothing reached is drawn without its chain.
      const reached = new Set(want.targets.map((t) => t.split(' ')[0]));
      for (const d of got.drawn) expect(reached.has(d), `${d} drawn as reached from ${name}`).toBe(true);
    }
    expect(w.errors).toEqual([]);
    expect(await violations(w)).toEqual([]);
  });

  it('draws only the neighbourhood of one identity in a large estate, and says how many are hidden', async () => {
    // 1,000 chains of five plus an owner of 400 repositories: 5,401 nodes.
    const file = join(dir, 'large.html');
    writeFileSync(file, renderHtml(largeScan(1000, 400), { generatedAt: GENERATED }));
    const w = await watchedPage(browser);
    await watchCsp(w);
    const start = Date.now();
    await w.page.goto(pathToFileURL(file).href);
    await w.page.waitForSelector('#graph-svg g.gnode');
    const loaded = Date.now() - start;
    expect(loaded).toBeLessThan(10_000);
    // It starts with the identity that reaches the most: the owner, whose 2,000 targets do not fit.
    expect(await drawnWith(w, '.sel')).toEqual(['org-owner']);
    const drawn = await w.page.locator('#graph-svg g.gnode').count();
    expect(drawn).toBeGreaterThan(200);
    expect(drawn).toBeLessThanOrEqual(300);
    const text = await w.page.textContent('#graph-count');
    expect(text).toContain(`Drawing ${drawn} of 5,401 nodes: the neighbourhood of org-owner. ${(5401 - drawn).toLocaleString('en')} hidden`);
    expect(text).toMatch(/hidden, [\d,]+ of its 2,000 targets among them/);
    // Its strongest targets first: the admins at the ends of the chains, whole chains drawn.
    expect((await w.page.textContent('#graph-panel .graph-targets li'))!).toMatch(/^role-\d+-4 admin 6 hops, AWS/);
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
