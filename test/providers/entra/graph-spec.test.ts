import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELECT } from '../../../src/providers/entra/collect/tenant.js';
import beta from '../../emulators/specs/entra/graph-beta.json' with { type: 'json' };
import v1 from '../../emulators/specs/entra/graph-v1.0.json' with { type: 'json' };
import { filesUnder, removeScratch, scratchDir } from '../aws/collect-helpers.js';
import { TENANT } from './helpers.js';
import { DEMO_SOURCE, runLive, startLive, stopLive, type LiveSetup } from './live-helpers.js';

// The emulator against Microsoft Graph's published metadata (trimmed extracts of the v1.0 CSDL
// and the beta type mappings, test/emulators/specs/entra/, made by
// scripts/extract-graph-metadata.mjs): every path the collector asked resolves to an entity
// set, singleton, navigation property, type cast or action Graph declares; every property of
// every object the emulator answered (as the bundle stored it) is declared on its type; and the
// collector's $select lists name only declared properties.

type TypeDef = { baseType?: string; properties: Record<string, string>; navigationProperties: Record<string, string> };
const entityTypes = v1.entityTypes as Record<string, TypeDef>;
const complexTypes = v1.complexTypes as Record<string, TypeDef>;
const betaTypes = beta.types as Record<string, { properties: string[]; navigationProperties: string[] }>;

function chain(type: string): TypeDef[] {
  const t = entityTypes[type] ?? complexTypes[type];
  if (!t) throw new Error(`type ${type} is not in the extract`);
  return [t, ...(t.baseType ? chain(t.baseType) : [])];
}
const propertiesOf = (type: string) => Object.assign({}, ...chain(type).map((t) => t.properties)) as Record<string, string>;
const navigationsOf = (type: string) => Object.assign({}, ...chain(type).map((t) => t.navigationProperties)) as Record<string, string>;
const elementType = (type: string) => /^Collection\((.+)\)$/.exec(type)?.[1] ?? type;
const typeOfCast = (segment: string) => /^microsoft\.graph\.(\w+)$/.exec(segment)?.[1];
const derivesFrom = (type: string, base: string) => chain(type).some((t) => t === entityTypes[base]);

/** The type a v1.0 path template addresses, or an error saying which segment Graph does not declare. */
function resolve(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const first = segments.shift()!;
  let type: string | undefined = (v1.entitySets as Record<string, string>)[first];
  let collection = !!type;
  if (!type) type = (v1.singletons as Record<string, string>)[first];
  if (!type) throw new Error(`${path}: no entity set or singleton ${first}`);
  for (const segment of segments) {
    const cast = typeOfCast(segment);
    if (segment === '{id}' && collection) collection = false;
    else if (cast) {
      if (!derivesFrom(cast, type)) throw new Error(`${path}: ${cast} does not derive from ${type}`);
      type = cast;
    } else if (collection && segment === 'getByIds') {
      expect(v1.actions.getByIds.boundTo).toBe(`Collection(${type})`);
      return elementType(v1.actions.getByIds.returns);
    } else {
      const nav = navigationsOf(type)[segment];
      if (!nav) throw new Error(`${path}: ${type} has no navigation property ${segment}`);
      collection = nav.startsWith('Collection(');
      type = elementType(nav);
    }
  }
  return type;
}

/** Properties of `value` that `type` does not declare, as JSON paths (complex values checked one level down). */
function undeclared(value: Record<string, unknown>, type: string, at: string, expanded: string[] = []): string[] {
  const derived = typeof value['@odata.type'] === 'string' ? (value['@odata.type'] as string).replace('#microsoft.graph.', '') : type;
  const props = propertiesOf(derived);
  const navs = navigationsOf(derived);
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (k === '@odata.type') continue;
    if (expanded.includes(k) && navs[k]) {
      out.push(...undeclared(v as Record<string, unknown>, elementType(navs[k]), `${at}.${k}`));
      continue;
    }
    const declared = props[k];
    if (!declared) {
      out.push(`${at}.${k} (not on ${derived})`);
      continue;
    }
    const element = elementType(declared);
    if (complexTypes[element] && v !== null && typeof v === 'object') {
      for (const [i, item] of (Array.isArray(v) ? v : [v]).entries()) {
        for (const key of Object.keys(item as object)) {
          if (!(key in propertiesOf(element)) && key !== '@odata.type') out.push(`${at}.${k}[${i}].${key} (not on ${element})`);
        }
      }
    }
  }
  return out;
}

function undeclaredBeta(value: Record<string, unknown>, type: string, at: string): string[] {
  const known = new Set([...betaTypes[type].properties, ...betaTypes[type].navigationProperties]);
  return Object.keys(value).filter((k) => !known.has(k) && !k.startsWith('@odata') && k !== 'id').map((k) => `${at}.${k} (not on beta ${type})`);
}

/** Which type each bundle file's items are, by file name. */
function fileType(file: string): { type: string; beta?: boolean; expanded?: string[] } | undefined {
  const base = file.replace(/(\.page-\d+|\.part-\d+)?\.json$/, '');
  const dir = base.includes('/') ? base.slice(0, base.indexOf('/')) : base;
  const table: Record<string, { type: string; beta?: boolean; expanded?: string[] }> = {
    organization: { type: 'organization' },
    servicePrincipals: { type: 'servicePrincipal' },
    'servicePrincipals-agentIdentity': { type: 'agentIdentity' },
    applications: { type: 'application' },
    oauth2PermissionGrants: { type: 'oAuth2PermissionGrant' },
    'roleManagement-directory-roleAssignments': { type: 'unifiedRoleAssignment', expanded: ['roleDefinition'] },
    'roleManagement-directory-roleEligibilitySchedules': { type: 'unifiedRoleEligibilitySchedule', expanded: ['roleDefinition'] },
    'servicePrincipals-owners': { type: 'directoryObject' },
    'applications-owners': { type: 'directoryObject' },
    'servicePrincipals-sponsors': { type: 'directoryObject' },
    'directoryObjects-getByIds': { type: 'directoryObject' },
    'servicePrincipals-appRoleAssignments': { type: 'appRoleAssignment' },
    'applications-federatedIdentityCredentials': { type: 'federatedIdentityCredential', beta: true },
    'reports-servicePrincipalSignInActivities': { type: 'servicePrincipalSignInActivity', beta: true },
    'reports-appCredentialSignInActivities': { type: 'appCredentialSignInActivity', beta: true },
  };
  return table[dir];
}

function bundleViolations(sourceDir: string): string[] {
  const out: string[] = [];
  for (const file of filesUnder(sourceDir)) {
    const kind = fileType(file);
    if (!kind) {
      out.push(`${file}: no type known for this file`);
      continue;
    }
    const body = JSON.parse(readFileSync(join(sourceDir, file), 'utf8')) as { value: Record<string, unknown>[] };
    for (const [i, item] of body.value.entries()) {
      const at = `${file} value[${i}]`;
      out.push(...(kind.beta ? undeclaredBeta(item, kind.type, at) : undeclared(item, kind.type, at, kind.expanded)));
    }
  }
  return out;
}

let live: LiveSetup;
let out: string;

beforeAll(async () => {
  live = await startLive();
  out = join(scratchDir(), 'bundle');
  const run = await runLive(live, ['collect', '--provider', 'entra', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(async () => {
  await stopLive(live);
  removeScratch();
});

describe('the Entra emulator against Microsoft Graph\'s metadata', () => {
  it('is checked against a real extract', () => {
    expect(v1.source).toMatch(/^microsoftgraph\/msgraph-metadata schemas\/v1\.0-Prod\.csdl @ [0-9a-f]{40}$/);
    expect(Object.keys(propertiesOf('servicePrincipal'))).toContain('appRoles');
    // The resolver refuses what Graph does not declare.
    expect(() => resolve('/servicePrincipals/{id}/sponsors')).toThrow(/no navigation property sponsors/);
    expect(undeclared({ id: 'x', publisherName: 'Acme' }, 'servicePrincipal', 'sp')).toEqual(['sp.publisherName (not on servicePrincipal)']);
  });

  it('answers only on paths Graph declares', () => {
    const routes = new Set(
      live.emulator.requests.flatMap((r) => [r.route, ...(r.inner ?? [])]).filter((r) => !/token|openid|\$batch/.test(r)),
    );
    expect(routes.size).toBeGreaterThanOrEqual(14);
    for (const route of routes) {
      const [, version, path] = /^(?:GET|POST) (beta )?(.*)$/.exec(route)!;
      if (version && path.startsWith('/reports/')) {
        expect(beta.singletons.reports).toBe('reportRoot');
        expect(betaTypes.reportRoot.navigationProperties).toContain(path.split('/')[2]);
      } else {
        expect(() => resolve(path), route).not.toThrow();
      }
    }
  });

  it('serves only properties Graph declares, on every object the collector stored', () => {
    expect(bundleViolations(join(out, 'entra', TENANT))).toEqual([]);
  });

  it('keeps the demo bundle within the published properties too', () => {
    expect(bundleViolations(DEMO_SOURCE).filter((v) => !v.startsWith('directory-deletedItems-users'))).toEqual([]);
  });

  it('has the collector $select only declared properties', () => {
    const check = (select: string, type: string) => select.split(',').filter((p) => !(p in propertiesOf(type)));
    expect(check(SELECT.servicePrincipals, 'servicePrincipal')).toEqual([]);
    expect(check(SELECT.agentIdentities, 'agentIdentity')).toEqual([]);
    expect(check(SELECT.applications, 'application')).toEqual([]);
    expect(check(SELECT.organization, 'organization')).toEqual([]);
    // Owners and sponsors are directoryObjects of any type; Graph accepts their common properties.
    expect(check(SELECT.directoryObject, 'user')).toEqual([]);
  });
});
