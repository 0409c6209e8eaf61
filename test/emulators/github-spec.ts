import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Checks the GitHub emulator's answers against GitHub's published descriptions, trimmed by
// scripts/extract-github-specs.mjs: REST bodies against the OpenAPI response schemas (ajv), and
// GraphQL data against the schema's field names and types.

const SPECS = join(import.meta.dirname, 'specs', 'github');
const rest = JSON.parse(readFileSync(join(SPECS, 'rest-responses.json'), 'utf8')) as {
  operations: Record<string, { operationId: string; status: string; schema: object; errors: Record<string, object> }>;
};
const graphql = JSON.parse(readFileSync(join(SPECS, 'graphql-types.json'), 'utf8')) as {
  types: Record<string, Record<string, { type: string; args?: string[] }>>;
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
// OpenAPI 3.0 schemas: `nullable` is Ajv's own keyword; other OpenAPI words are not JSON Schema.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const compiled = new Map<string, ValidateFunction>();

/** OpenAPI 3.0's `nullable` as JSON Schema: null allowed beside the type (Ajv accepts the keyword only next to `type`). */
function jsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, jsonSchema(s)])) : jsonSchema(v)]));
  if (nullable !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'], ...(Array.isArray(out.enum) ? { enum: [...out.enum, null] } : {}) };
  return { anyOf: [out, { type: 'null' }] };
}

export const restOperations = (): string[] => Object.keys(rest.operations);

/**
 * Where GitHub's description contradicts itself, the reading its other operations give: GET
 * /app/installations declares the installation's account as allOf [simple-user, enterprise]
 * (no account is both), where GET /orgs/{org}/installations has anyOf for the same schema.
 */
function upstreamFixes(route: string, schema: any): any {
  if (route !== 'GET /app/installations' || !schema?.items?.properties?.account?.allOf) return schema;
  const { allOf, ...account } = schema.items.properties.account;
  return { ...schema, items: { ...schema.items, properties: { ...schema.items.properties, account: { ...account, anyOf: allOf } } } };
}

/** Problems with a REST body for `route` (e.g. GET /orgs/{org}) answered with `status`; [] when it fits. */
export function restProblems(route: string, status: number, body: unknown): string[] {
  const op = rest.operations[route];
  if (!op) return [`${route} is not in the trimmed OpenAPI extract`];
  const schema = status < 300 ? op.schema : (op.errors[String(status)] ?? op.errors['404'] ?? Object.values(op.errors)[0]);
  if (!schema) return [];
  const key = `${route} ${status < 300 ? 'ok' : status}`;
  if (!compiled.has(key)) compiled.set(key, ajv.compile(jsonSchema(upstreamFixes(route, schema)) as object));
  const validate = compiled.get(key)!;
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${route} ${status}: ${e.instancePath || '(body)'} ${e.message}`);
}

const SCALARS: Record<string, (v: unknown) => boolean> = {
  String: (v) => typeof v === 'string',
  ID: (v) => typeof v === 'string',
  Int: (v) => Number.isInteger(v),
  Boolean: (v) => typeof v === 'boolean',
  DateTime: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /T.*(Z|[+-]\d\d:\d\d)$/.test(v),
};

function checkValue(typeRef: string, value: unknown, path: string, out: string[]): void {
  const nonNull = typeRef.endsWith('!');
  const inner = nonNull ? typeRef.slice(0, -1) : typeRef;
  if (value === null || value === undefined) {
    if (nonNull) out.push(`${path}: ${typeRef} is null`);
    return;
  }
  if (inner.startsWith('[')) {
    if (!Array.isArray(value)) return void out.push(`${path}: expected a list ${typeRef}`);
    value.forEach((v, i) => checkValue(inner.slice(1, -1), v, `${path}[${i}]`, out));
    return;
  }
  if (SCALARS[inner]) {
    if (!SCALARS[inner](value)) out.push(`${path}: ${JSON.stringify(value)} is not a ${inner}`);
    return;
  }
  const fields = graphql.types[inner];
  if (!fields) return void out.push(`${path}: type ${inner} is not in the trimmed schema`);
  if (typeof value !== 'object' || Array.isArray(value)) return void out.push(`${path}: expected an object ${inner}`);
  for (const [name, v] of Object.entries(value)) {
    const field = fields[name];
    if (!field) out.push(`${path}.${name}: ${inner} has no field ${name}`);
    else checkValue(field.type, v, `${path}.${name}`, out);
  }
}

/** Problems with a GraphQL response body's data against the schema, from the Query root; [] when it fits. */
export function graphqlProblems(body: unknown): string[] {
  const out: string[] = [];
  const data = (body as { data?: unknown })?.data;
  if (data !== undefined && data !== null) checkValue('Query', data, 'data', out);
  return out;
}

/** The arguments a field accepts, for checking the query the collector sends. */
export function graphqlArgs(type: string, field: string): string[] {
  return graphql.types[type]?.[field]?.args ?? [];
}

/** Fields a query selects that its types do not have, and arguments the fields do not take; [] when it fits. */
export function graphqlQueryProblems(query: string): string[] {
  const out: string[] = [];
  // The operation's own variable list is not a selection: start at the first selection set.
  const body = query.slice(query.indexOf('{'));
  const stack: string[] = [];
  let last: { name: string; type?: string } | undefined;
  const named = (ref: string) => ref.replace(/[[\]!]/g, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '{') {
      // Inside an unknown field nothing more can be checked ('?').
      stack.push(last ? (last.type ?? '?') : 'Query');
      last = undefined;
    } else if (ch === '}') {
      stack.pop();
      last = undefined;
    } else if (ch === '(') {
      const close = body.indexOf(')', i);
      const args = [...body.slice(i + 1, close).matchAll(/([A-Za-z_]\w*)\s*:\s*(?:\$|\{|[A-Za-z0-9"])/g)].map((m) => m[1]);
      // Only top-level argument names: those inside an input object ({field: NAME}) belong to it.
      const topLevel = body.slice(i + 1, close).replace(/\{[^}]*\}/g, '{}');
      for (const arg of args.filter((a) => new RegExp(`(^|[\\s,(])${a}\\s*:`).test(topLevel))) {
        const type = stack.at(-1)!;
        if (last && type !== '?' && !(graphql.types[type]?.[last.name]?.args ?? []).includes(arg)) out.push(`${type}.${last.name} takes no argument ${arg}`);
      }
      i = close;
    } else if (/[A-Za-z_]/.test(ch)) {
      const name = /^[A-Za-z_]\w*/.exec(body.slice(i))![0];
      i += name.length - 1;
      const type = stack.at(-1)!;
      const field = graphql.types[type]?.[name];
      if (!field && type !== '?') out.push(`${type} has no field ${name}`);
      last = { name, type: field ? named(field.type) : undefined };
    }
  }
  return out;
}
