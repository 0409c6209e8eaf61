#!/usr/bin/env node
// Installs Debian's chromium for the HTML report's browser test when it is missing.
// Playwright's own browser download cannot work here (only package registries are reachable),
// so the test drives the distribution's build instead. Runs from `pretest`; it never fails the
// test run: without root or apt-get it does nothing and the browser test explains the skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const APT_GET = '/usr/bin/apt-get';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!existsSync(CHROMIUM) && existsSync(APT_GET) && isRoot) {
  console.log(`ensure-chromium: ${CHROMIUM} is missing; installing Debian's chromium package with apt-get`);
  // Non-interactive so a CI run with no terminal never stops at a prompt.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // apt's output is kept back unless a step fails, so a normal run prints only the line above.
  let failure = '';
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium']]) {
    const r = spawnSync(APT_GET, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) {
      failure = `apt-get ${args[0]} failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' / ')}`;
      break;
    }
  }
  if (failure || !existsSync(CHROMIUM)) {
    console.log(`ensure-chromium: ${failure || 'chromium is still missing'}; the browser test will say why it cannot run`);
  }
}
