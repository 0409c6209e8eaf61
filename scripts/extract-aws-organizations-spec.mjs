// Trims the AWS Organizations Smithy model (models/organizations/service/2016-11-28/
// organizations-2016-11-28.json in github.com/aws/api-models-aws) to the operations the
// collector calls and the shapes their inputs and outputs reach, without documentation, into
// test/emulators/specs/aws/organizations.json. The emulator's answers are checked against it.
// Run: node scripts/extract-aws-organizations-spec.mjs PATH/TO/organizations-2016-11-28.json
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OPERATIONS = [
  'DescribeOrganization',
  'ListAccounts',
  'ListRoots',
  'ListOrganizationalUnitsForParent',
  'ListAccountsForParent',
  'ListPolicies',
  'DescribePolicy',
  'ListTargetsForPolicy',
];
const NS = 'com.amazonaws.organizations#';
const KEEP_TRAITS = ['smithy.api#required', 'smithy.api#enumValue', 'smithy.api#paginated', 'smithy.api#length', 'smithy.api#pattern'];

const [, , file] = process.argv;
if (!file) {
  console.error('usage: node scripts/extract-aws-organizations-spec.mjs organizations-2016-11-28.json');
  process.exit(2);
}
const model = JSON.parse(readFileSync(file, 'utf8'));
const shapes = {};
const trimTraits = (traits = {}) => Object.fromEntries(Object.entries(traits).filter(([k]) => KEEP_TRAITS.includes(k)));
function visit(id) {
  if (!id.startsWith(NS) || shapes[id]) return;
  const shape = model.shapes[id];
  if (!shape) throw new Error(`shape ${id} not in the model`);
  const out = { type: shape.type };
  const traits = trimTraits(shape.traits);
  if (Object.keys(traits).length) out.traits = traits;
  shapes[id] = out;
  if (shape.members) {
    out.members = {};
    for (const [name, m] of Object.entries(shape.members)) {
      out.members[name] = { target: m.target, ...(Object.keys(trimTraits(m.traits)).length ? { traits: trimTraits(m.traits) } : {}) };
      visit(m.target);
    }
  }
  if (shape.member) {
    out.member = { target: shape.member.target };
    visit(shape.member.target);
  }
  for (const key of ['input', 'output']) {
    if (shape[key]) {
      out[key] = shape[key];
      visit(shape[key].target);
    }
  }
}
for (const op of OPERATIONS) visit(NS + op);
const sorted = Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b)));
const target = join(import.meta.dirname, '..', 'test', 'emulators', 'specs', 'aws', 'organizations.json');
writeFileSync(target, `${JSON.stringify({ source: 'aws/api-models-aws models/organizations/service/2016-11-28/organizations-2016-11-28.json', operations: OPERATIONS, shapes: sorted }, null, 1)}\n`);
console.log(`wrote ${target}: ${OPERATIONS.length} operations, ${Object.keys(sorted).length} shapes`);
