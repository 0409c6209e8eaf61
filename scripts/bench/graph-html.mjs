#!/usr/bin/env node
// What the HTML report's access-path graph costs at scale: size and write time of the page with
// and without the graph, and (with --browser) how long chromium takes to open it and draw the
// first neighbourhood. The estate is made here, not read from a bundle, so the number measured
// is the report's and not the analysis's: N identities in AWS accounts of 1,000 roles shaped
// like scripts/bench/gen/aws.mjs makes them (a few wildcard assumers reaching every role that
// trusts the account through one hub node, and 1% of roles trusting the whole organisation, which
// every wildcard assumer reaches: millions of targets at 100,000; peer chains, MFA-gated trusts,
// roles trusting GitHub workflows that apps can change), with reach from computeReach. Not a test.
//
//   npm run build && node --expose-gc scripts/bench/graph-html.mjs [--identities 10000] [--dist DIR] [--browser]
//
// --dist points at another build's dist/ (a copy of the tree before a change) to compare.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from './gen/rng.mjs';

const REPO = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: { identities: { type: 'string', default: '10000' }, dist: { type: 'string' }, browser: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const dist = resolve(values.dist ?? join(REPO, 'dist'));
const N = Number(values.identities);
const out = values.out ?? join(tmpdir(), `agentscan-graph-html-${N}`);
const { htmlChunks } = await import(pathToFileURL(join(dist, 'report/html.js')).href);
const { computeReach } = await import(pathToFileURL(join(dist, 'facts/reach/reach.js')).href);

function estate(n) {
  const rng = new Rng(`graph-html-${n}`);
  const identities = [];
  const nodes = [];
  const edges = [];
  const level = () => { const r = rng.next(); return r < 0.1 ? 'admin' : r < 0.5 ? 'write' : r < 0.9 ? 'read' : undefined; };
  const identity = (id, provider, kind, name) => {
    const l = level();
    identities.push({
      id, provider, kind, name, container: { type: 'account', id: id.split(':')[1] }, owners: [], tags: {}, enabled: true, human: false,
      agent: { verdict: rng.next() < 0.05 ? 'agent' : 'automation', confidence: 0.6, signals: [] }, credentials: [], trustedBy: [], attributes: {},
      entitlements: l ? [{ permissions: [`bench:${l}`], resource: '*', scope: 'global', via: { type: 'managed-policy', name: `Bench${l}` }, level: l, standing: true, risks: [] }] : [],
    });
    nodes.push({ id, provider, kind: 'identity', name });
    return id;
  };
  const githubApps = Array.from({ length: Math.max(2, Math.round(n / 5000)) }, (_, i) => identity(`github:acme:app/agent-${i}`, 'github', 'github-app', `agent-${i}`));
  const accounts = Math.ceil(n / 1000);
  // Roles anywhere in the organisation that trust "any principal of the organisation": every
  // wildcard assumer of every account reaches them all, so reach grows with the square of the estate.
  const org = 'aws:org:any-role';
  nodes.push({ id: org, provider: 'aws', kind: 'principal', name: 'any role that trusts the whole organisation' });
  for (let a = 0; a < accounts; a++) {
    const account = String(100000000000 + a);
    const roles = [];
    for (let i = 0; i < 1000 && identities.length < n; i++) roles.push(identity(`aws:${account}:role/r${a}-${i}`, 'aws', 'iam-role', `team-${i % 40}-role-${a}-${i}`));
    const hub = `aws:${account}:any-role`;
    nodes.push({ id: hub, provider: 'aws', kind: 'principal', name: `any role of ${account} that trusts it` });
    edges.push({ from: hub, to: org, kind: 'assume-role', evidence: `a wildcard assumer of ${account} may assume any role that trusts the organisation` });
    roles.forEach((role, i) => {
      const r = rng.next();
      if (r < 0.02) edges.push({ from: role, to: hub, kind: 'assume-role', evidence: `${role}: Allow sts:AssumeRole on *` });
      if (rng.next() < 0.2) edges.push({ from: hub, to: role, kind: 'assume-role', evidence: `${role}'s trust policy names the account root` });
      if (rng.next() < 0.01) edges.push({ from: org, to: role, kind: 'assume-role', evidence: `${role}'s trust policy admits aws:PrincipalOrgID` });
      if (i > 0 && rng.next() < 0.1) edges.push({ from: roles[Math.floor(rng.next() * i)], to: role, kind: 'assume-role', evidence: `${role}'s trust policy names an earlier role` });
      if (i > 0 && rng.next() < 0.05) {
        edges.push({ from: roles[Math.floor(rng.next() * i)], to: role, kind: 'assume-role', evidence: `${role}'s trust policy needs MFA`, condition: 'requires MFA', gated: 'MFA' });
      }
      if (rng.next() < 0.05) {
        const wf = `github:workflow:acme/repo-${a}-${i}`;
        nodes.push({ id: wf, provider: 'github', kind: 'workflow', name: `acme/repo-${a}-${i} workflows` });
        edges.push({ from: githubApps[i % githubApps.length], to: wf, kind: 'workflow-write', evidence: `installation has workflows: write on acme/repo-${a}-${i}` });
        edges.push({ from: wf, to: role, kind: 'oidc-trust', evidence: `${role} trusts repo:acme/repo-${a}-${i}:*`, condition: `sub matches repo:acme/repo-${a}-${i}:*` });
      }
    });
  }
  return { identities, nodes, edges };
}

const mib = (b) => `${(b / 1024 ** 2).toFixed(1)} MiB`;
const t0 = performance.now();
const { identities, nodes, edges } = estate(N);
const reach = computeReach({ nodes, edges }, identities);
const targets = Object.values(reach.byIdentity).reduce((k, r) => k + r.targets.length, 0);
console.error(`estate: ${identities.length} identities, ${nodes.length} nodes, ${edges.length} edges (${edges.filter((e) => e.gated).length} gated), ${targets} reach targets; made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const scan = {
  collectedAt: '2026-11-20T09:30:00Z', bundleTool: { name: 'agentscan', version: 'bench' }, scope: [{ provider: 'aws', scope: 'bench' }],
  coverage: [], identities, findings: [], ruleErrors: [], rules: [],
};
function write(name, s) {
  globalThis.gc?.();
  const file = join(out + `-${name}.html`);
  const t = performance.now();
  const fd = openSync(file, 'w');
  for (const chunk of htmlChunks(s, { generatedAt: '2026-11-20T09:30:00Z' })) writeSync(fd, chunk);
  closeSync(fd);
  const seconds = (performance.now() - t) / 1000;
  return { file, seconds, size: statSync(file).size, peak: process.resourceUsage().maxRSS * 1024 };
}
const without = write('without-graph', scan);
const withGraph = write('with-graph', { ...scan, reach });
const row = { dist, identities: identities.length, nodes: nodes.length, edges: edges.length, targets, without, withGraph, graphBytes: withGraph.size - without.size };
console.log(`| ${identities.length.toLocaleString('en')} identities | ${edges.length.toLocaleString('en')} edges | ${targets.toLocaleString('en')} targets | page ${mib(withGraph.size)} (graph ${mib(row.graphBytes)}) | written in ${withGraph.seconds.toFixed(2)} s (${without.seconds.toFixed(2)} s without the graph) | peak RSS so far ${mib(withGraph.peak)} |`);

if (values.browser) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (r) => (r.request().url().startsWith('file:') ? r.continue() : r.abort()));
  const t = performance.now();
  await page.goto(pathToFileURL(withGraph.file).href, { timeout: 600_000 });
  await page.waitForSelector('#graph-svg g.gnode', { timeout: 600_000 });
  const loaded = (performance.now() - t) / 1000;
  const count = await page.textContent('#graph-count');
  const t2 = performance.now();
  await page.fill('#graph-search', identities[Math.floor(identities.length / 2)].id);
  await page.press('#graph-search', 'Enter');
  const selected = (performance.now() - t2) / 1000;
  console.log(`| chromium | opened and drew the first neighbourhood in ${loaded.toFixed(1)} s | another selection ${selected.toFixed(2)} s | ${count} | errors: ${errors.length ? errors.join('; ') : 'none'} |`);
  await browser.close();
}
