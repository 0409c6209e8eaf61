#!/usr/bin/env node
// Regenerates test/emulators/specs/gcp/: trimmed extracts of Google's published discovery
// documents, keeping only the methods agentscan calls and the schemas they reach, without
// descriptions. The GCP emulator's routes and response bodies are checked against them.
//
//   node scripts/extract-gcp-discovery.mjs                 # fetch from https://<api>.googleapis.com/$discovery/rest
//   node scripts/extract-gcp-discovery.mjs --from DIR      # read DIR/<api>-<version>.json (google-api-nodejs-client's discovery/ layout)

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'emulators', 'specs', 'gcp');

/** Per API document, the method ids the collector calls. */
const USED = {
  'iam-v1': [
    'iam.projects.serviceAccounts.list',
    'iam.projects.serviceAccounts.keys.list',
    'iam.projects.serviceAccounts.getIamPolicy',
    'iam.projects.locations.workloadIdentityPools.list',
    'iam.projects.locations.workloadIdentityPools.providers.list',
    'iam.projects.roles.list',
    'iam.organizations.roles.list',
    'iam.roles.get',
  ],
  'cloudresourcemanager-v3': [
    'cloudresourcemanager.projects.get',
    'cloudresourcemanager.projects.getIamPolicy',
    'cloudresourcemanager.projects.list',
    'cloudresourcemanager.folders.get',
    'cloudresourcemanager.folders.getIamPolicy',
    'cloudresourcemanager.folders.list',
    'cloudresourcemanager.organizations.get',
    'cloudresourcemanager.organizations.getIamPolicy',
  ],
  'cloudasset-v1': ['cloudasset.searchAllIamPolicies', 'cloudasset.searchAllResources'],
  'policyanalyzer-v1': ['policyanalyzer.projects.locations.activityTypes.activities.query'],
  'iamcredentials-v1': ['iamcredentials.projects.serviceAccounts.generateAccessToken'],
};

async function load(doc, from) {
  if (from) return JSON.parse(readFileSync(join(from, `${doc}.json`), 'utf8'));
  const [api, version] = doc.split('-');
  const url = `https://${api}.googleapis.com/$discovery/rest?version=${version}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

function methodsOf(resource, out = {}) {
  for (const m of Object.values(resource.methods ?? {})) out[m.id] = m;
  for (const r of Object.values(resource.resources ?? {})) methodsOf(r, out);
  return out;
}

/** A property without its prose. */
function trimProperty(p) {
  const out = {};
  for (const k of ['type', '$ref', 'format', 'enum']) if (p[k] !== undefined) out[k] = p[k];
  if (p.items) out.items = trimProperty(p.items);
  if (p.additionalProperties) out.additionalProperties = trimProperty(p.additionalProperties);
  if (p.properties) out.properties = Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, trimProperty(v)]));
  return out;
}

function refsIn(value, found) {
  if (!value || typeof value !== 'object') return;
  if (typeof value.$ref === 'string') found.add(value.$ref);
  for (const v of Object.values(value)) refsIn(v, found);
}

function extract(doc, ids) {
  const all = methodsOf(doc);
  const methods = {};
  const wanted = new Set();
  for (const id of ids) {
    const m = all[id];
    if (!m) throw new Error(`${doc.id}: no method ${id}`);
    methods[id] = {
      httpMethod: m.httpMethod,
      path: m.path,
      flatPath: m.flatPath ?? m.path,
      parameters: Object.fromEntries(
        Object.entries(m.parameters ?? {}).map(([k, p]) => [k, { location: p.location, type: p.type, ...(p.repeated ? { repeated: true } : {}), ...(p.required ? { required: true } : {}), ...(p.pattern ? { pattern: p.pattern } : {}) }]),
      ),
      ...(m.request ? { request: m.request.$ref } : {}),
      ...(m.response ? { response: m.response.$ref } : {}),
    };
    if (m.request) wanted.add(m.request.$ref);
    if (m.response) wanted.add(m.response.$ref);
  }
  const schemas = {};
  const queue = [...wanted];
  while (queue.length) {
    const name = queue.shift();
    if (schemas[name]) continue;
    const s = doc.schemas[name];
    if (!s) throw new Error(`${doc.id}: no schema ${name}`);
    schemas[name] = trimProperty(s);
    const refs = new Set();
    refsIn(schemas[name], refs);
    queue.push(...[...refs].filter((r) => !schemas[r]));
  }
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return { id: doc.id, revision: doc.revision, rootUrl: doc.rootUrl, methods, schemas: sorted };
}

const fromIndex = process.argv.indexOf('--from');
const from = fromIndex > 0 ? process.argv[fromIndex + 1] : undefined;
mkdirSync(OUT, { recursive: true });
for (const [doc, ids] of Object.entries(USED)) {
  const extracted = extract(await load(doc, from), ids);
  writeFileSync(join(OUT, `${doc}.json`), `${JSON.stringify(extracted, null, 2)}\n`);
  console.log(`${doc}: ${Object.keys(extracted.methods).length} methods, ${Object.keys(extracted.schemas).length} schemas (revision ${extracted.revision})`);
}
