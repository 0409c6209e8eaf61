#!/usr/bin/env node
// Generates a deterministic agentscan bundle in the documented layouts (docs/bundle/*.md) for
// benchmarking: a provider mix, an identity count per provider and a number of scopes
// (accounts, projects, organisations, tenants) the identities are spread over.
//
//   node scripts/bench/generate.mjs --out DIR [--aws N] [--gcp N] [--github N] [--entra N]
//                                   [--scopes S] [--seed TEXT]
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { generateAwsAccount } from './gen/aws.mjs';
import { generateEntraTenant } from './gen/entra.mjs';
import { generateGcpProject } from './gen/gcp.mjs';
import { generateGithubOrg } from './gen/github.mjs';
import { GeneratedBundle, split } from './gen/writer.mjs';

export const PROVIDERS = ['aws', 'gcp', 'github', 'entra'];
const GENERATORS = { aws: generateAwsAccount, gcp: generateGcpProject, github: generateGithubOrg, entra: generateEntraTenant };

/**
 * Writes the bundle into `out` (replacing it) and returns what it wrote.
 * @param {{out: string, counts: Record<string, number>, scopes?: number, seed?: string}} opts
 */
export function generateBundle({ out, counts, scopes = 1, seed = 'agentscan-bench' }) {
  rmSync(out, { recursive: true, force: true });
  const bundle = new GeneratedBundle(out);
  const summary = { scopes: {}, identities: {} };
  const githubOrg = (i) => `acme-bench-${i}`;
  for (const provider of PROVIDERS) {
    const total = counts[provider] ?? 0;
    if (total <= 0) continue;
    summary.scopes[provider] = [];
    summary.identities[provider] = 0;
    split(total, Math.min(scopes, total)).forEach((identities, scopeIndex) => {
      const r = GENERATORS[provider](bundle, { scopeIndex, identities, seed, githubOrg: githubOrg(scopeIndex) });
      summary.scopes[provider].push(r.scope);
      summary.identities[provider] += r.identities;
    });
  }
  bundle.finish();
  return { ...summary, files: bundle.files, bytes: bundle.bytes };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      aws: { type: 'string' },
      gcp: { type: 'string' },
      github: { type: 'string' },
      entra: { type: 'string' },
      scopes: { type: 'string', default: '1' },
      seed: { type: 'string', default: 'agentscan-bench' },
    },
  });
  if (!values.out) {
    console.error('usage: generate.mjs --out DIR [--aws N] [--gcp N] [--github N] [--entra N] [--scopes S] [--seed TEXT]');
    process.exit(2);
  }
  const counts = Object.fromEntries(PROVIDERS.map((p) => [p, Number(values[p] ?? 0)]));
  const started = performance.now();
  const r = generateBundle({ out: values.out, counts, scopes: Number(values.scopes), seed: values.seed });
  console.log(JSON.stringify({ ...r, seconds: +((performance.now() - started) / 1000).toFixed(2) }));
}
