import type { SourceWriter } from '../../../bundle/write.js';
import type { CallLog } from '../../../collect/call-log.js';
import { ASSET_SEARCHES, ASSET_TYPES, assetSearchCall, CALLS, FILES, type AssetKind, type AssetSearch } from '../files.js';
import { iamPoliciesSearchPageSchema, resourcesSearchPageSchema, type Binding, type ResourceSearchResult } from '../wire.js';
import { attempt, type GcpApi } from './api.js';

// The organisation plan: Cloud Asset Inventory answers for every project below an organisation
// or folder at once, so calls grow with result pages, not with projects × accounts. Cloud
// Asset has no npm client on the registry we use, so these are REST calls through the auth
// client like the others.

/** Fields asked of resource searches: versionedResources carries each resource's own fields (an account's `disabled`). */
const READ_MASK = 'name,assetType,project,folders,organization,displayName,description,state,parentFullResourceName,additionalAttributes,versionedResources';

export interface AssetResults {
  /** By kind; undefined for the kinds of a search that failed. */
  resources: Partial<Record<AssetKind, ResourceSearchResult[]>>;
  /** Every binding on every resource in scope; undefined when the policy search failed. */
  bindings: Binding[] | undefined;
}

/** `calls` counts the requests; `outcomes` receives each search's coverage outcome, for the caller to judge. */
export async function searchAssets(api: GcpApi, calls: CallLog, outcomes: CallLog, out: SourceWriter, scope: string): Promise<AssetResults> {
  const results: AssetResults = { resources: {}, bindings: undefined };
  for (const search of Object.keys(ASSET_SEARCHES) as AssetSearch[]) {
    const call = assetSearchCall(search);
    const kinds: readonly AssetKind[] = ASSET_SEARCHES[search];
    const pages = await attempt(outcomes, call, () =>
      api.pages(
        calls,
        call,
        // assetTypes is a repeated parameter: one key per type, never a comma-joined value.
        { service: 'cloudasset', path: `/v1/${scope}:searchAllResources`, query: { assetTypes: kinds.map((k) => ASSET_TYPES[k]), readMask: READ_MASK } },
        resourcesSearchPageSchema,
        out,
        (n) => FILES.resourcesSearchPage(search, n),
      ),
    );
    if (pages) Object.assign(results.resources, byKind(kinds, pages.flatMap((p) => p.results)));
  }
  const policies = await attempt(outcomes, CALLS.searchAllIamPolicies, () =>
    api.pages(calls, CALLS.searchAllIamPolicies, { service: 'cloudasset', path: `/v1/${scope}:searchAllIamPolicies` }, iamPoliciesSearchPageSchema, out, FILES.iamPoliciesSearchPage),
  );
  if (policies) results.bindings = policies.flatMap((p) => p.results.flatMap((r) => r.policy.bindings));
  return results;
}

/** Search results split by the asset kinds asked for. */
export function byKind(kinds: readonly AssetKind[], results: ResourceSearchResult[]): Partial<Record<AssetKind, ResourceSearchResult[]>> {
  return Object.fromEntries(kinds.map((k) => [k, results.filter((r) => r.assetType === ASSET_TYPES[k])]));
}

/** ACTIVE projects of the search, by project id. */
export function activeProjects(results: AssetResults): string[] {
  return (results.resources.projects ?? [])
    .filter((p) => (p.state ?? 'ACTIVE') === 'ACTIVE')
    .map((p) => p.additionalAttributes.projectId)
    .filter((id): id is string => typeof id === 'string')
    .sort();
}

/** Accounts of `projectId` that the key search found user-managed keys for (by e-mail). */
export function accountsWithKeys(results: AssetResults, projectId: string): string[] {
  const accounts = results.resources.serviceAccounts ?? [];
  const emailOf = new Map<string, string>();
  for (const a of accounts) {
    const email = a.additionalAttributes.email;
    const uid = /\/serviceAccounts\/([^/]+)$/.exec(a.name)?.[1];
    if (typeof email === 'string' && uid) emailOf.set(uid, email);
  }
  const out = new Set<string>();
  for (const key of results.resources.serviceAccountKeys ?? []) {
    const m = /\/projects\/([^/]+)\/serviceAccounts\/([^/]+)\/keys\//.exec(key.name);
    if (!m || m[1] !== projectId) continue;
    out.add(m[2].includes('@') ? m[2] : (emailOf.get(m[2]) ?? m[2]));
  }
  return [...out].filter((e) => e.includes('@')).sort();
}
