#!/usr/bin/env node
// Runs the test suite a second time on the current Node LTS line, so a dependency that breaks
// on either the oldest supported Node (the machine's, 20.19+) or the newest LTS is caught in CI.
// The LTS binary comes from the npm registry (node-<platform>-<arch>, the package the `node`
// package installs), into .cache/, not from a download of its own: only registries are reachable.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const LTS_MAJOR = process.env.AGENTSCAN_LTS_NODE ?? '24';
const root = join(import.meta.dirname, '..');
const prefix = join(root, '.cache', `node${LTS_MAJOR}`);
const pkg = `node-${process.platform}-${process.arch}`;
const bin = join(prefix, 'node_modules', pkg, 'bin');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

if (!existsSync(join(bin, 'node'))) {
  mkdirSync(prefix, { recursive: true });
  const code = run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, `${pkg}@${LTS_MAJOR}`]);
  if (code !== 0) {
    console.error(`test-on-lts: could not install ${pkg}@${LTS_MAJOR} from the npm registry`);
    process.exit(code);
  }
}
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
const version = spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`test-on-lts: running the test suite on Node ${version}`);
// `npm test` under the LTS node: npm's own script and every child process pick it from PATH.
process.exit(run('npm', ['test'], { env, cwd: root }));
