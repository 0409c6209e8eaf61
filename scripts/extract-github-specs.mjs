// Trims GitHub's published API descriptions to what agentscan's GitHub collector calls, for
// the emulator tests (test/emulators/specs/github/). Run with the upstream files:
//   node scripts/extract-github-specs.mjs <ghec.json> <schema.graphql>
// - <ghec.json>: GitHub's OpenAPI description for GitHub Enterprise Cloud (github/rest-api-description,
//   descriptions/ghec/ghec.json, also published as @octokit/openapi generated/ghec.json). GHEC is used
//   because it is the superset that includes GET /orgs/{org}/credential-authorizations (SAML SSO).
// - <schema.graphql>: GitHub's public GraphQL schema (octokit/graphql-schema schema.graphql).
// Writes rest-responses.json (each operation's success and error response schemas, $refs resolved,
// descriptions and examples dropped) and graphql-types.json (the fields and argument names of the
// types the repositories query walks).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [openapiPath, graphqlPath] = process.argv.slice(2);
if (!openapiPath || !graphqlPath) {
  console.error('usage: node scripts/extract-github-specs.mjs <ghec.json> <schema.graphql>');
  process.exit(2);
}
const OUT = join(import.meta.dirname, '..', 'test', 'emulators', 'specs', 'github');

const OPERATIONS = [
  ['get', '/orgs/{org}', '200'],
  ['get', '/orgs/{org}/installations', '200'],
  ['get', '/orgs/{org}/installation', '200'],
  ['get', '/app/installations', '200'],
  ['post', '/app/installations/{installation_id}/access_tokens', '201'],
  ['get', '/orgs/{org}/personal-access-tokens', '200'],
  ['get', '/orgs/{org}/personal-access-tokens/{pat_id}/repositories', '200'],
  ['get', '/orgs/{org}/credential-authorizations', '200'],
  ['get', '/repos/{owner}/{repo}/keys', '200'],
  ['get', '/orgs/{org}/members', '200'],
  ['get', '/orgs/{org}/actions/permissions/workflow', '200'],
  ['get', '/orgs/{org}/actions/oidc/customization/sub', '200'],
  ['get', '/orgs/{org}/actions/secrets', '200'],
  ['get', '/user/orgs', '200'],
  ['get', '/user/installations/{installation_id}/repositories', '200'],
  ['get', '/repos/{owner}/{repo}/actions/oidc/customization/sub', '200'],
];

/** Fields kept per GraphQL type; '*' keeps every field. */
const GRAPHQL_TYPES = {
  Query: ['organization'],
  Organization: ['login', 'repositories'],
  RepositoryConnection: '*',
  PageInfo: '*',
  Repository: ['name', 'isArchived', 'deployKeys'],
  DeployKeyConnection: '*',
  DeployKey: '*',
};

const DROP = new Set(['description', 'example', 'examples', 'externalDocs', 'summary']);

function resolver(doc) {
  const lookup = (ref) => ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  const walk = (node, stack) => {
    if (Array.isArray(node)) return node.map((n) => walk(n, stack));
    if (!node || typeof node !== 'object') return node;
    if (typeof node.$ref === 'string') {
      // A schema that contains itself is cut at the second visit (GitHub's schemas used here have none).
      if (stack.includes(node.$ref)) return {};
      return walk(lookup(node.$ref), [...stack, node.$ref]);
    }
    const out = {};
    for (const [k, v] of Object.entries(node)) if (!DROP.has(k) && !k.startsWith('x-')) out[k] = walk(v, stack);
    return out;
  };
  return (node) => walk(node, []);
}

const openapi = JSON.parse(readFileSync(openapiPath, 'utf8'));
const resolve = resolver(openapi);
const operations = {};
for (const [method, path, status] of OPERATIONS) {
  const op = openapi.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in ${openapiPath}`);
  const responses = resolve(op.responses);
  const body = (r) => r?.content?.['application/json']?.schema;
  const errors = Object.fromEntries(
    Object.entries(responses)
      .filter(([code]) => /^[45]/.test(code) && body(responses[code]))
      .map(([code, r]) => [code, body(r)]),
  );
  operations[`${method.toUpperCase()} ${path}`] = { operationId: op.operationId, status, schema: body(responses[status]), errors };
}
writeFileSync(
  join(OUT, 'rest-responses.json'),
  `${JSON.stringify({ source: `${openapi.info?.title ?? 'GitHub OpenAPI'} ${openapi.info?.version ?? ''}`.trim(), operations }, null, 2)}\n`,
);

// ── GraphQL SDL: the fields (type, argument names) of the types kept ──────────────────────
const sdl = readFileSync(graphqlPath, 'utf8')
  .replace(/"""[\s\S]*?"""/g, '')
  .replace(/"(?:[^"\\\n]|\\.)*"/g, '')
  .replace(/#[^\n]*/g, '');

function typeBody(name) {
  const m = new RegExp(`\\btype ${name}\\b[^{]*\\{`).exec(sdl);
  if (!m) throw new Error(`type ${name} is not in ${graphqlPath}`);
  let depth = 1;
  let i = m.index + m[0].length;
  const start = i;
  for (; depth > 0 && i < sdl.length; i++) depth += sdl[i] === '{' ? 1 : sdl[i] === '}' ? -1 : 0;
  return sdl.slice(start, i - 1);
}

/** name(args): Type @directives … as [{name, type, args}]. */
function fields(body) {
  const out = [];
  let i = 0;
  const skipSpace = () => {
    while (i < body.length && /\s/.test(body[i])) i++;
  };
  const balanced = (open, close) => {
    let depth = 0;
    const s = i;
    do {
      if (body[i] === open) depth++;
      else if (body[i] === close) depth--;
      i++;
    } while (depth > 0 && i < body.length);
    return body.slice(s + 1, i - 1);
  };
  while (i < body.length) {
    skipSpace();
    const name = /^[A-Za-z_]\w*/.exec(body.slice(i))?.[0];
    if (!name) break;
    i += name.length;
    skipSpace();
    let args = [];
    if (body[i] === '(') {
      // Names inside default values ({field: NAME}) are not arguments: keep those at depth 0 only.
      args = topLevelArgs(balanced('(', ')'));
    }
    skipSpace();
    if (body[i] !== ':') throw new Error(`cannot parse field ${name}`);
    i++;
    skipSpace();
    const type = /^[[\]A-Za-z_0-9!]+/.exec(body.slice(i))[0];
    i += type.length;
    skipSpace();
    while (body[i] === '@') {
      i += /^@\w+/.exec(body.slice(i))[0].length;
      skipSpace();
      if (body[i] === '(') balanced('(', ')');
      skipSpace();
    }
    out.push({ name, type, args });
  }
  return out;
}

function topLevelArgs(inner) {
  const names = [];
  let depth = 0;
  let token = '';
  for (const ch of inner) {
    if (ch === '{' || ch === '[' || ch === '(') depth++;
    else if (ch === '}' || ch === ']' || ch === ')') depth--;
    if (depth === 0 && ch === ':' && token.trim()) names.push(token.trim().split(/[\s,]+/).pop());
    token = /[\w]/.test(ch) ? token + ch : depth === 0 && ch !== ':' ? `${token}${ch}` : '';
    if (!/[\w]/.test(ch)) token = '';
  }
  return names;
}

const types = {};
for (const [name, keep] of Object.entries(GRAPHQL_TYPES)) {
  const all = fields(typeBody(name));
  const kept = keep === '*' ? all : keep.map((f) => all.find((x) => x.name === f) ?? (() => { throw new Error(`${name}.${f} is not in the schema`); })());
  types[name] = Object.fromEntries(kept.map((f) => [f.name, f.args.length ? { type: f.type, args: f.args } : { type: f.type }]));
}
writeFileSync(join(OUT, 'graphql-types.json'), `${JSON.stringify({ source: 'GitHub GraphQL public schema (schema.graphql)', types }, null, 2)}\n`);
console.log(`wrote ${Object.keys(operations).length} operations and ${Object.keys(types).length} GraphQL types to ${OUT}`);
