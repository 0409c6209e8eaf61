// Regenerates test/emulators/specs/entra/ from Microsoft Graph's published metadata
// (github.com/microsoftgraph/msgraph-metadata): the v1.0 CSDL (schemas/v1.0-Prod.csdl) and, for
// the beta-only sign-in reports and flexible federated credentials, the beta type mappings (schemas/type-mappings/beta-*-types.json;
// the beta CSDL is too large to keep around). Only what the Entra collector and the emulator
// use is kept: the entity and complex types below with their properties, navigation properties
// and base types, the entity sets and singletons, and the getByIds action.
//
// Run: node scripts/extract-graph-metadata.mjs <msgraph-metadata checkout or git dir>
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/extract-graph-metadata.mjs <msgraph-metadata checkout or git dir>');
  process.exit(2);
}
const OUT = join(import.meta.dirname, '..', 'test', 'emulators', 'specs', 'entra');
const isWorkTree = existsSync(join(source, 'schemas'));
const read = (path) => (isWorkTree ? readFileSync(join(source, path), 'utf8') : execFileSync('git', ['-C', source, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 }));
const commit = execFileSync('git', ['-C', source, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

const ENTITY_TYPES = [
  'entity', 'directoryObject', 'servicePrincipal', 'application', 'agentIdentity', 'agentIdentityBlueprint',
  'agentIdentityBlueprintPrincipal', 'federatedIdentityCredential', 'appRoleAssignment', 'oAuth2PermissionGrant',
  'unifiedRoleAssignment', 'unifiedRoleScheduleBase', 'unifiedRoleEligibilitySchedule', 'unifiedRoleDefinition',
  'organization', 'user', 'group', 'roleManagement', 'rbacApplication', 'reportRoot',
];
const COMPLEX_TYPES = [
  'passwordCredential', 'keyCredential', 'appRole', 'verifiedPublisher', 'verifiedDomain', 'requiredResourceAccess',
  'resourceAccess', 'requestSchedule', 'expirationPattern', 'signInActivity',
];
const BETA_TYPES = ['reportRoot', 'servicePrincipalSignInActivity', 'appCredentialSignInActivity', 'signInActivity', 'federatedIdentityCredential', 'federatedIdentityExpression'];

const unqualify = (type) => type?.replace(/microsoft\.graph\.|graph\./g, '');
const attr = (tag, name) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

function typeBlock(csdl, kind, name) {
  const start = new RegExp(`<${kind} Name="${name}"[^>]*?(/?)>`).exec(csdl);
  if (!start) return undefined;
  const open = start[0];
  const body = start[1] === '/' ? '' : csdl.slice(start.index + open.length, csdl.indexOf(`</${kind}>`, start.index));
  const members = (tag) => Object.fromEntries([...body.matchAll(new RegExp(`<${tag} [^>]*>`, 'g'))].map((m) => [attr(m[0], 'Name'), unqualify(attr(m[0], 'Type'))]));
  const out = { properties: members('Property'), navigationProperties: members('NavigationProperty') };
  const base = unqualify(attr(open, 'BaseType'));
  return base ? { baseType: base, ...out } : out;
}

const csdl = read('schemas/v1.0-Prod.csdl');
const entityTypes = {};
for (const name of ENTITY_TYPES) {
  const block = typeBlock(csdl, 'EntityType', name);
  if (!block) throw new Error(`v1.0 CSDL has no EntityType ${name}`);
  entityTypes[name] = block;
}
const complexTypes = {};
for (const name of COMPLEX_TYPES) {
  const block = typeBlock(csdl, 'ComplexType', name);
  if (!block) throw new Error(`v1.0 CSDL has no ComplexType ${name}`);
  complexTypes[name] = block;
}
const container = csdl.slice(csdl.indexOf('<EntityContainer'));
const entitySets = {};
for (const m of container.matchAll(/<EntitySet [^>]*>/g)) {
  const type = unqualify(attr(m[0], 'EntityType'));
  if (ENTITY_TYPES.includes(type)) entitySets[attr(m[0], 'Name')] = type;
}
const singletons = {};
for (const m of container.matchAll(/<Singleton [^>]*>/g)) {
  const type = unqualify(attr(m[0], 'Type'));
  if (ENTITY_TYPES.includes(type)) singletons[attr(m[0], 'Name')] = type;
}
const actions = {};
for (const m of csdl.matchAll(/<Action Name="getByIds"[^>]*>([\s\S]*?)<\/Action>/g)) {
  const params = Object.fromEntries([...m[1].matchAll(/<Parameter [^>]*>/g)].map((p) => [attr(p[0], 'Name'), unqualify(attr(p[0], 'Type'))]));
  if (params.bindingParameter !== 'Collection(directoryObject)') continue;
  actions.getByIds = { boundTo: params.bindingParameter, parameters: params, returns: unqualify(/<ReturnType Type="([^"]*)"/.exec(m[1])?.[1]) };
}
if (!actions.getByIds) throw new Error('v1.0 CSDL has no getByIds bound to Collection(directoryObject)');

const header = (file) => ({ source: `microsoftgraph/msgraph-metadata ${file} @ ${commit}`, generatedBy: 'scripts/extract-graph-metadata.mjs' });
writeFileSync(
  join(OUT, 'graph-v1.0.json'),
  `${JSON.stringify({ ...header('schemas/v1.0-Prod.csdl'), entitySets, singletons, actions, entityTypes, complexTypes }, null, 2)}\n`,
);

// Beta: property and navigation-property names only (the type mappings carry no types).
const betaEntities = JSON.parse(read('schemas/type-mappings/beta-entity-types.json'))['microsoft.graph'];
const betaComplex = JSON.parse(read('schemas/type-mappings/beta-complex-types.json'))['microsoft.graph'];
const beta = {};
for (const name of BETA_TYPES) {
  const found = betaEntities[name] ?? betaComplex[name];
  if (!found) throw new Error(`beta type mappings have no ${name}`);
  beta[name] = { properties: found.properties ?? [], navigationProperties: found.navigationProperties ?? [] };
}
writeFileSync(
  join(OUT, 'graph-beta.json'),
  `${JSON.stringify({ ...header('schemas/type-mappings/beta-entity-types.json, beta-complex-types.json'), singletons: { reports: 'reportRoot' }, types: beta }, null, 2)}\n`,
);
console.log(`wrote ${OUT}/graph-v1.0.json and graph-beta.json from ${commit}`);
