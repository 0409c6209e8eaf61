import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

// The HTML report is checked in Debian's chromium (installed by scripts/ensure-chromium.mjs),
// driven by playwright-core: Playwright's own browser download needs a host this machine
// cannot reach, so the package without browsers is used against the system build.

export const CHROMIUM = '/usr/bin/chromium';

// Headless, and quiet on the network: no first-run, sync, component or background fetches,
// so a test run sends nothing anywhere.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `${CHROMIUM} is missing (run \`node scripts/ensure-chromium.mjs\` as root, or \`apt-get install chromium\`)`;
}

export function launchChromium(): Promise<Browser> {
  // A fresh temporary profile per launch (Playwright's default), so no state leaks between runs.
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /** Every request for something other than a file:// URL: a self-contained page makes none. */
  external: string[];
}

/** A page that records errors and refuses (and records) any request off the local file. */
export async function watchedPage(browser: Browser, viewport = { width: 1400, height: 1000 }): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const external: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  return { page, errors, external };
}
