#!/usr/bin/env node
// Builds the trimmed JSON Schema the OCSF test validates against, from the published OCSF
// schema source (github.com/ocsf/ocsf-schema at a release commit; 1.8.0 is 3dcb905d):
//
//   node scripts/extract-ocsf-schema.mjs <ocsf-schema folder> > test/specs/ocsf/detection_finding.schema.json
//
// OCSF publishes its schema as a metaschema: a dictionary of attributes, classes that extend
// one another (base_event → finding → detection_finding) and objects that extend others
// (_entity → _resource → resource_details). This resolves that inheritance for class 2004 and
// for the objects agentscan writes, with OCSF's types, requirements, enums and constraints, and
// leaves every other object as a bare `object`. No profile is applied (agentscan sets none), so
// attributes that only a profile adds are not allowed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) {
  console.error('usage: extract-ocsf-schema.mjs <ocsf-schema folder>');
  process.exit(2);
}
const read = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));
const version = read('version.json').version;
const dictionary = read('dictionary.json');
const types = dictionary.types.attributes;
const categories = read('categories.json').attributes;

/** The objects agentscan's OCSF output uses; each is expanded, everything else stays opaque. */
const EXPANDED = ['metadata', 'product', 'finding_info', 'analytic', 'resource_details', 'remediation', 'user', 'key_value_object'];

const CLASS_FILES = { base_event: 'events/base_event.json', finding: 'events/findings/finding.json', detection_finding: 'events/findings/detection_finding.json' };

/** Attributes along an `extends` chain, nearest last so it wins; enums merge as OCSF's server does. */
function resolve(load, name) {
  const chain = [];
  for (let n = name; n && n !== 'object'; ) {
    const def = load(n);
    chain.unshift(def);
    n = def.extends;
  }
  const attrs = {};
  let constraints;
  for (const def of chain) {
    for (const [k, v] of Object.entries(def.attributes ?? {})) {
      if (k === '$include') continue;
      const prev = attrs[k] ?? {};
      attrs[k] = { ...prev, ...v, enum: v.enum || prev.enum ? { ...(prev.enum ?? {}), ...(v.enum ?? {}) } : undefined };
    }
    if (def.constraints) constraints = def.constraints;
  }
  return { def: chain.at(-1), attrs, constraints };
}

const loadObject = (n) => read(`objects/${n}.json`);
const loadClass = (n) => read(CLASS_FILES[n]);

function baseType(t) {
  let cur = t;
  while (types[cur]?.type && types[cur].type !== cur) cur = types[cur].type;
  return cur;
}

function attributeSchema(name, local) {
  const dict = dictionary.attributes[name];
  if (!dict) throw new Error(`attribute ${name} is not in the dictionary`);
  const type = local.type ?? dict.type;
  const enumKeys = Object.keys({ ...(dict.enum ?? {}), ...(local.enum ?? {}) });
  let schema;
  if (type === 'object' || type === 'json_t') schema = type === 'object' ? { type: 'object' } : {};
  else if (types[type]) {
    const base = baseType(type);
    schema =
      base === 'boolean_t' ? { type: 'boolean' }
      : base === 'integer_t' || base === 'long_t' || base === 'timestamp_t' || base === 'port_t' ? { type: 'integer' }
      : base === 'float_t' ? { type: 'number' }
      : { type: 'string' };
    if (type === 'datetime_t' && types[type].regex) schema.pattern = types[type].regex;
  } else schema = EXPANDED.includes(type) ? { $ref: `#/$defs/${type}` } : { type: 'object' };
  if (enumKeys.length > 0 && schema.type === 'integer') schema.enum = enumKeys.map(Number);
  return dict.is_array ? { type: 'array', items: schema } : schema;
}

function objectSchema({ attrs, constraints }) {
  const properties = {};
  const required = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (v.profile) continue; // belongs to a profile agentscan does not apply
    properties[k] = attributeSchema(k, v);
    if (v.requirement === 'required') required.push(k);
  }
  const schema = { type: 'object', properties, additionalProperties: false };
  if (required.length) schema.required = required.sort();
  if (constraints?.at_least_one) schema.anyOf = constraints.at_least_one.map((k) => ({ required: [k] }));
  return schema;
}

const cls = resolve(loadClass, 'detection_finding');
const categoryUid = categories[cls.def.category ?? 'findings']?.uid ?? categories.findings.uid;
const classUid = categoryUid * 1000 + cls.def.uid;
const top = objectSchema(cls);
top.properties.class_uid = { const: classUid };
top.properties.category_uid = { const: categoryUid };

const out = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $comment: `Trimmed from OCSF ${version} (ocsf/ocsf-schema) by scripts/extract-ocsf-schema.mjs: class detection_finding (${classUid}) and the objects agentscan writes.`,
  title: `OCSF ${version} Detection Finding`,
  ...top,
  $defs: Object.fromEntries(EXPANDED.map((o) => [o, objectSchema(resolve(loadObject, o))])),
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
