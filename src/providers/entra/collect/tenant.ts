import type { SourceWriter } from '../../../bundle/write.js';
import type { CallLog } from '../../../collect/call-log.js';
import type { Progress } from '../../../collect/progress.js';
import { CALL, DIR, FILE, objectFile } from '../files.js';
import { isFirstParty, sponsorType } from '../principals.js';
import { describeAnswer, describeError, describeMalformed } from './failure.js';
import type { BatchRequest, GraphAnswer, GraphApi, GraphVersion } from './graph.js';
import type { EntraCollectSettings } from './settings.js';

// One tenant's call plan. Whole collections first, with $select and $top, page by page; then
// the per-object reads (owners, sponsors, federated credentials, app role assignments) in JSON
// $batch calls of 20; then the users those point at, in directoryObjects/getByIds calls of up
// to 1000 ids. So the calls grow with pages and with objects ÷ 20, not with every object.
// Every response is written as Graph returned it; every failed call is a coverage entry.

export interface TenantRun {
  tenantId: string;
  graph: GraphApi;
  calls: CallLog;
  out: SourceWriter;
  settings: EntraCollectSettings;
  progress: Progress;
}

export const SELECT = {
  organization: 'id,displayName,verifiedDomains,createdDateTime,tenantType',
  // Only servicePrincipal's own v1.0 properties: Graph refuses $select of a derived type's.
  servicePrincipals:
    'id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId,tags,alternativeNames,description,notes,signInAudience,verifiedPublisher,passwordCredentials,keyCredentials,appRoles,createdByAppId',
  /** What agentIdentity adds to servicePrincipal, read through the type cast. */
  agentIdentities: 'id,agentIdentityBlueprintId,createdDateTime',
  applications:
    'id,appId,displayName,createdDateTime,description,notes,signInAudience,tags,publisherDomain,passwordCredentials,keyCredentials,requiredResourceAccess',
  directoryObject: 'id,displayName,userPrincipalName,accountEnabled',
  roleDefinition: 'roleDefinition($select=id,displayName,templateId,isBuiltIn)',
};

interface Item {
  id?: unknown;
  appId?: unknown;
  '@odata.type'?: unknown;
  servicePrincipalType?: unknown;
  appOwnerOrganizationId?: unknown;
}

/** Collects one tenant into run.out; failures become coverage entries in run.calls. */
export async function collectTenant(run: TenantRun): Promise<void> {
  const key = `entra ${run.tenantId}`;
  run.progress.update(key, 'collections');
  const top = `$top=${run.settings.pageSize}`;
  const [, sps, , apps] = await Promise.all([
    collection(run, CALL.organization, FILE.organization, `/organization?$select=${SELECT.organization}`, 'v1.0', false),
    collection(run, CALL.servicePrincipals, FILE.servicePrincipals, `/servicePrincipals?$select=${SELECT.servicePrincipals}&${top}`, 'v1.0', true),
    collection(run, CALL.agentIdentities, FILE.agentIdentities, `/servicePrincipals/microsoft.graph.agentIdentity?$select=${SELECT.agentIdentities}&${top}`, 'v1.0', true),
    collection(run, CALL.applications, FILE.applications, `/applications?$select=${SELECT.applications}&${top}`, 'v1.0', true),
    collection(run, CALL.oauth2PermissionGrants, FILE.oauth2PermissionGrants, `/oauth2PermissionGrants?${top}`, 'v1.0', true),
    collection(run, CALL.roleAssignments, FILE.roleAssignments, `/roleManagement/directory/roleAssignments?$expand=${SELECT.roleDefinition}`, 'v1.0', false),
    collection(run, CALL.roleEligibilitySchedules, FILE.roleEligibilitySchedules, `/roleManagement/directory/roleEligibilitySchedules?$expand=${SELECT.roleDefinition}`, 'v1.0', false),
    collection(run, CALL.servicePrincipalSignInActivities, FILE.servicePrincipalSignInActivities, `/reports/servicePrincipalSignInActivities`, 'beta', false),
    collection(run, CALL.appCredentialSignInActivities, FILE.appCredentialSignInActivities, `/reports/appCredentialSignInActivities`, 'beta', false),
  ]);

  // Per-object reads for the principals worth judging; Microsoft's first-party ones are resources.
  const judged = (sps ?? []).filter((sp) => typeof sp.id === 'string' && !isFirstParty(sp as never, run.tenantId));
  const appIds = (apps ?? []).filter((a) => typeof a.id === 'string').map((a) => a.id as string);
  const spIds = judged.map((sp) => sp.id as string);
  const sponsored = (type: string) => judged.filter((sp) => sponsorType(sp as never) === type).map((sp) => sp.id as string);
  const select = `?$select=${SELECT.directoryObject}`;
  const plan: PerObject[] = [
    ...perObject(CALL.servicePrincipalOwners, DIR.servicePrincipalOwners, spIds, (id) => `/servicePrincipals/${id}/owners${select}`),
    ...perObject(CALL.appRoleAssignments, DIR.appRoleAssignments, spIds, (id) => `/servicePrincipals/${id}/appRoleAssignments`),
    ...perObject(CALL.sponsors, DIR.sponsors, sponsored('agentIdentity'), (id) => `/servicePrincipals/${id}/microsoft.graph.agentIdentity/sponsors${select}`),
    ...perObject(CALL.blueprintSponsors, DIR.sponsors, sponsored('agentIdentityBlueprintPrincipal'), (id) => `/servicePrincipals/${id}/microsoft.graph.agentIdentityBlueprintPrincipal/sponsors${select}`),
    ...perObject(CALL.applicationOwners, DIR.applicationOwners, appIds, (id) => `/applications/${id}/owners${select}`),
    ...perObject(CALL.federatedIdentityCredentials, DIR.federatedIdentityCredentials, appIds, (id) => `/applications/${id}/federatedIdentityCredentials`, 'beta'),
  ];
  const skippedWith = (call: string, list: unknown[] | undefined, what: string) => {
    if (list === undefined) run.calls.failed(call, `not collected: ${what} could not be listed`, 'skipped');
  };
  // Without the listing the per-object reads cannot be planned; say so rather than look clean.
  for (const call of [CALL.servicePrincipalOwners, CALL.appRoleAssignments, CALL.sponsors, CALL.blueprintSponsors]) skippedWith(call, sps, 'the service principals');
  for (const call of [CALL.applicationOwners, CALL.federatedIdentityCredentials]) skippedWith(call, apps, 'the applications');

  const userIds = await perObjectReads(run, plan, key);
  await referencedUsers(run, userIds, key);
  run.progress.end(key);
}

// ---- collections ----

/** Reads every page of a collection and writes it; undefined when the first page failed. */
async function collection(
  run: TenantRun,
  call: string,
  base: string,
  path: string,
  version: GraphVersion,
  alwaysPaged: boolean,
): Promise<Item[] | undefined> {
  const items: Item[] = [];
  const bodies: unknown[] = [];
  const seen = new Set<string>();
  let next: string | undefined = path;
  const versioned = version === 'beta' ? ' (beta)' : '';
  for (let page = 1; next; page++) {
    const detail = `${versioned}${page > 1 ? ` page ${page}` : ''}`;
    let answer: GraphAnswer;
    try {
      answer = await run.graph.request(call, version, next);
    } catch (err) {
      run.calls.failed(call, describeError(call, err, detail));
      break;
    }
    if (answer.status < 200 || answer.status >= 300) {
      run.calls.failed(call, describeAnswer(call, answer, detail));
      break;
    }
    const problem = collectionProblem(answer);
    if (problem) {
      run.calls.failed(call, describeMalformed(call, answer, problem, detail));
      break;
    }
    const body = answer.body as { value: Item[]; '@odata.nextLink'?: string };
    bodies.push(body);
    items.push(...body.value);
    next = body['@odata.nextLink'];
    if (next && seen.has(next)) {
      run.calls.failed(call, describeMalformed(call, answer, 'repeated an @odata.nextLink', detail));
      break;
    }
    if (next) seen.add(next);
    if (!next) run.calls.ok(call);
    if (page % 5 === 0) run.progress.update(`entra ${run.tenantId}`, `${base} page ${page}`);
  }
  const paged = alwaysPaged || bodies.length > 1 || (bodies.length === 1 && !!(bodies[0] as { '@odata.nextLink'?: string })['@odata.nextLink']);
  bodies.forEach((body, i) => run.out.json(paged ? `${base}.page-${i + 1}.json` : `${base}.json`, body));
  return bodies.length > 0 ? items : undefined;
}

/** Why a 2xx body is not a Graph collection page, or undefined when it is one. */
function collectionProblem(answer: GraphAnswer): string | undefined {
  const body = answer.body as { value?: unknown; '@odata.nextLink'?: unknown } | undefined;
  if (body === undefined) return answer.text.trim() ? 'returned a body that is not JSON' : 'returned an empty body';
  if (typeof body !== 'object' || body === null || !Array.isArray(body.value)) return 'has no value array';
  if (body['@odata.nextLink'] !== undefined && typeof body['@odata.nextLink'] !== 'string') return 'has an @odata.nextLink that is not a URL';
  return undefined;
}

// ---- per-object reads in $batch ----

interface PerObject {
  /** v1.0, except federated credentials: flexible ones (claimsMatchingExpression) are beta only. */
  version: GraphVersion;
  call: string;
  dir: string;
  objectId: string;
  url: string;
}

function perObject(call: string, dir: string, ids: string[], url: (id: string) => string, version: GraphVersion = 'v1.0'): PerObject[] {
  return ids.map((objectId) => ({ version, call, dir, objectId, url: url(objectId) }));
}

/** Runs the plan in $batch calls and writes one file per object; returns the user ids they name. */
async function perObjectReads(run: TenantRun, plan: PerObject[], key: string): Promise<Set<string>> {
  const userIds = new Set<string>();
  const answers = new Map<string, GraphAnswer>();
  let done = 0;
  for (const version of ['v1.0', 'beta'] as const) {
    const requests: BatchRequest[] = plan.flatMap((p, i) => (p.version === version ? [{ id: String(i + 1), method: 'GET' as const, url: p.url }] : []));
    if (requests.length === 0) continue;
    const base = done;
    const got = await run.graph.batch(requests, version, (n) => run.progress.update(key, `per-object reads ${base + n}/${plan.length}`));
    for (const [id, a] of got) answers.set(id, a);
    done += requests.length;
  }
  const succeeded = new Set<string>();
  const calls = new Set(plan.map((p) => p.call));
  for (const [i, p] of plan.entries()) {
    const answer = answers.get(String(i + 1));
    const detail = ` for ${p.objectId}`;
    if (!answer) {
      run.calls.failed(p.call, `not collected: ${p.call}${detail} was never answered`);
      continue;
    }
    if (answer.status === 404) {
      // Deleted between the listing and this read: nothing to miss.
      run.calls.failed(p.call, describeAnswer(p.call, answer, `${detail} (deleted during collection)`), 'skipped');
      continue;
    }
    if (answer.status < 200 || answer.status >= 300) {
      run.calls.failed(p.call, describeAnswer(p.call, answer, detail));
      continue;
    }
    // Inside a $batch the body is already parsed JSON (or missing): only its shape can be wrong.
    const problem = answer.body === undefined ? 'has no body in the $batch response' : collectionProblem({ ...answer, text: 'json' });
    if (problem) {
      run.calls.failed(p.call, describeMalformed(p.call, answer, problem, detail));
      continue;
    }
    const body = await restOfPages(run, p, answer.body as { value: Item[]; '@odata.nextLink'?: string });
    if (!body) continue;
    run.out.json(objectFile(p.dir, p.objectId), body);
    succeeded.add(p.call);
    if (p.dir !== DIR.appRoleAssignments && p.dir !== DIR.federatedIdentityCredentials) {
      for (const o of body.value) if (o['@odata.type'] === '#microsoft.graph.user' && typeof o.id === 'string') userIds.add(o.id);
    }
  }
  for (const call of calls) if (succeeded.has(call)) run.calls.ok(call);
  // Calls with nothing to ask (no agent identities, no applications) are still complete.
  const perObjectCalls = [CALL.servicePrincipalOwners, CALL.appRoleAssignments, CALL.sponsors, CALL.blueprintSponsors, CALL.applicationOwners, CALL.federatedIdentityCredentials];
  for (const call of perObjectCalls) {
    if (!calls.has(call)) run.calls.ok(call);
  }
  return userIds;
}

/** A per-object list longer than one page (an app with hundreds of owners): the rest of its
 * pages are read directly and joined into the one file the bundle keeps per object. */
async function restOfPages(run: TenantRun, p: PerObject, first: { value: Item[]; '@odata.nextLink'?: string }) {
  let next = first['@odata.nextLink'];
  const value = [...first.value];
  for (let page = 2; next; page++) {
    const detail = ` for ${p.objectId} page ${page}`;
    try {
      const answer = await run.graph.request(p.call, p.version, next);
      if (answer.status < 200 || answer.status >= 300) {
        run.calls.failed(p.call, describeAnswer(p.call, answer, detail));
        return undefined;
      }
      const problem = collectionProblem(answer);
      if (problem) {
        run.calls.failed(p.call, describeMalformed(p.call, answer, problem, detail));
        return undefined;
      }
      const body = answer.body as { value: Item[]; '@odata.nextLink'?: string };
      value.push(...body.value);
      next = body['@odata.nextLink'];
    } catch (err) {
      run.calls.failed(p.call, describeError(p.call, err, detail));
      return undefined;
    }
  }
  const { '@odata.nextLink': _dropped, ...rest } = first;
  void _dropped;
  return { ...rest, value };
}

// ---- the users owners and sponsors point at ----

async function referencedUsers(run: TenantRun, ids: Set<string>, key: string): Promise<void> {
  const call = CALL.referencedUsers;
  const all = [...ids].sort();
  if (all.length === 0) {
    run.calls.ok(call);
    return;
  }
  run.progress.update(key, `users ${all.length}`);
  let part = 0;
  for (let i = 0; i < all.length; i += run.settings.idsPerCall) {
    part++;
    const chunk = all.slice(i, i + run.settings.idsPerCall);
    const detail = ` (${chunk.length} ids, part ${part})`;
    let answer: GraphAnswer;
    try {
      answer = await run.graph.request(call, 'v1.0', `/directoryObjects/getByIds?$select=${SELECT.directoryObject}`, {
        ids: chunk,
        types: ['user'],
      });
    } catch (err) {
      run.calls.failed(call, describeError(call, err, detail));
      return;
    }
    if (answer.status < 200 || answer.status >= 300) {
      run.calls.failed(call, describeAnswer(call, answer, detail));
      return;
    }
    const problem = collectionProblem(answer);
    if (problem) {
      run.calls.failed(call, describeMalformed(call, answer, problem, detail));
      return;
    }
    // An owner or sponsor id Graph did not return is a user that no longer exists.
    run.out.json(`${FILE.referencedUsers}.part-${part}.json`, answer.body);
  }
  run.calls.ok(call);
}
