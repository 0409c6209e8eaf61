import type { SourceReader } from '../../bundle/source-reader.js';
import { ancestorOfScope, ASSET_SEARCHES, ASSET_TYPES, assetSearchCall, CALLS, FILES, perAccountCall, ROLES_SCOPE, type AssetKind, type AssetSearch } from './files.js';
import type { ProjectRef } from './members.js';
import { readPages, readPerAccount } from './read.js';
import {
  folderSchema,
  iamPoliciesSearchPageSchema,
  keysListSchema,
  organizationSchema,
  policySchema,
  projectSchema,
  resourcesSearchPageSchema,
  roleSchema,
  rolesPageSchema,
  serviceAccountSchema,
  serviceAccountsPageSchema,
  workloadIdentityPoolSchema,
  workloadIdentityPoolsPageSchema,
  workloadIdentityProviderSchema,
  workloadIdentityProvidersPageSchema,
  type Binding,
  type Policy,
  type ResourceSearchResult,
  type ServiceAccount,
  type ServiceAccountKey,
  type WorkloadIdentityPool,
  type WorkloadIdentityProvider,
} from './wire.js';

// Every gcp source of one bundle read into one view: projects with their accounts and
// policies, the folders and organisations above them with theirs, and the role definitions.
// Grants cross source folders (an organisation binding reaches every project below it; a
// binding in one project may name another project's account), so the normalizer of one
// project reads this view of the whole bundle.
//
// A project's accounts and policies come from its own per-project calls or, when the
// collection used the organisation plan, from the organisation's Cloud Asset searches.

export interface ProjectView {
  source: SourceReader;
  ref: ProjectRef;
  displayName?: string;
  /** `folders/<id>` or `organizations/<id>`, when known. */
  parent?: string;
  /** undefined when the account list could not be read. */
  accounts: ServiceAccount[] | undefined;
  policy: Policy | undefined;
  accountPolicies: Map<string, Policy | undefined>;
  /** Keys of one account; undefined when they could not be read. */
  keysOf(email: string): ServiceAccountKey[] | undefined;
  pools: { pool: WorkloadIdentityPool; providers: WorkloadIdentityProvider[] }[];
}

export interface AncestorView {
  /** `folders/<id>` or `organizations/<id>` */
  resource: string;
  displayName?: string;
  parent?: string;
  policy: Policy | undefined;
}

export interface GcpEstate {
  projects: Map<string, ProjectView>;
  ancestors: Map<string, AncestorView>;
  /** Role name → its permissions, for every role definition in the bundle. */
  roles: Map<string, string[]>;
  siblings: { ids: Set<string>; numbers: Set<string> };
}

/** The folders and organisation above `parent`, nearest first, as far as the bundle knows them. */
export function ancestry(estate: GcpEstate, parent: string | undefined): string[] {
  const chain: string[] = [];
  for (let at = parent; at && !chain.includes(at); at = estate.ancestors.get(at)?.parent) chain.push(at);
  return chain;
}

const cache = new WeakMap<readonly SourceReader[], GcpEstate>();

/** The estate of the gcp sources among `sources`, read once per bundle. */
export function gcpEstate(sources: readonly SourceReader[]): GcpEstate {
  let estate = cache.get(sources);
  if (!estate) {
    estate = readEstate(sources.filter((s) => s.source.provider === 'gcp'));
    cache.set(sources, estate);
  }
  return estate;
}

/** `//cloudresourcemanager.googleapis.com/projects/123` → `projects/123` */
const shortName = (full: string) => full.replace(/^\/\/[^/]+\//, '');

interface AssetIndex {
  /** Policy bindings by resource, e.g. `projects/123`, `folders/9`, `projects/p/serviceAccounts/<unique id>`. */
  policies: Map<string, Binding[]>;
  /** By kind; a kind is absent when its search failed. */
  resources: Partial<Record<AssetKind, ResourceSearchResult[]>>;
}

function readAssets(source: SourceReader): AssetIndex | undefined {
  if (!source.exists(FILES.iamPoliciesSearchPage(1)) && !source.callFailed(CALLS.searchAllIamPolicies)) return undefined;
  const index: AssetIndex = { policies: new Map(), resources: {} };
  const pages = readPages(source, FILES.iamPoliciesSearchPage, iamPoliciesSearchPageSchema, CALLS.searchAllIamPolicies) ?? [];
  for (const result of pages.flatMap((p) => p.results)) {
    const key = shortName(result.resource);
    index.policies.set(key, [...(index.policies.get(key) ?? []), ...result.policy.bindings]);
  }
  for (const search of Object.keys(ASSET_SEARCHES) as AssetSearch[]) {
    const found = readPages(source, (n) => FILES.resourcesSearchPage(search, n), resourcesSearchPageSchema, assetSearchCall(search));
    if (!found) continue;
    const results = found.flatMap((p) => p.results);
    for (const kind of ASSET_SEARCHES[search]) index.resources[kind] = results.filter((r) => r.assetType === ASSET_TYPES[kind]);
  }
  return index;
}

/** The IAM ServiceAccount a Cloud Asset search result describes: its versioned resource, else its summary fields. */
function assetAccount(result: ResourceSearchResult): ServiceAccount | undefined {
  const parsed = serviceAccountSchema.safeParse(result.versionedResources[0]?.resource);
  if (parsed.success) return parsed.data;
  const email = result.additionalAttributes.email;
  const m = /projects\/([^/]+)\/serviceAccounts\/(\d+)$/.exec(result.name);
  if (typeof email !== 'string' || !m) return undefined;
  return {
    name: `projects/${m[1]}/serviceAccounts/${email}`,
    projectId: m[1],
    uniqueId: m[2],
    email,
    ...(result.displayName ? { displayName: result.displayName } : {}),
    ...(result.description ? { description: result.description } : {}),
    disabled: result.state === 'DISABLED',
  };
}

function readRoles(sources: SourceReader[]): Map<string, string[]> {
  const roles = new Map<string, string[]>();
  for (const source of sources) {
    if (source.scope === ROLES_SCOPE) {
      for (const file of source.list('iam-roles-get')) {
        const role = source.json(file, roleSchema);
        roles.set(role.name, role.includedPermissions);
      }
      continue;
    }
    const ancestor = ancestorOfScope(source.scope);
    const page = ancestor?.startsWith('organizations/') ? FILES.organizationRolesPage : ancestor ? undefined : FILES.projectRolesPage;
    const call = ancestor ? CALLS.organizationRolesList : CALLS.projectRolesList;
    if (!page || (!source.exists(page(1)) && !source.callFailed(call))) continue;
    for (const role of (readPages(source, page, rolesPageSchema, call) ?? []).flatMap((p) => p.roles)) {
      if (!role.deleted) roles.set(role.name, role.includedPermissions);
    }
  }
  return roles;
}

function readPools(source: SourceReader): ProjectView['pools'] {
  if (!source.exists(FILES.workloadIdentityPoolsPage(1))) return [];
  const pages = readPages(source, FILES.workloadIdentityPoolsPage, workloadIdentityPoolsPageSchema, CALLS.workloadIdentityPoolsList) ?? [];
  return pages
    .flatMap((p) => p.workloadIdentityPools)
    .map((pool) => {
      const id = pool.name.slice(pool.name.lastIndexOf('/') + 1);
      const call = perAccountCall(CALLS.workloadIdentityProvidersList, id);
      const providers = readPages(source, (n) => FILES.workloadIdentityProvidersPage(id, n), workloadIdentityProvidersPageSchema, call) ?? [];
      return { pool, providers: providers.flatMap((p) => p.workloadIdentityPoolProviders) };
    });
}

function readEstate(sources: SourceReader[]): GcpEstate {
  const estate: GcpEstate = { projects: new Map(), ancestors: new Map(), roles: readRoles(sources), siblings: { ids: new Set(), numbers: new Set() } };
  let assets: AssetIndex | undefined;
  for (const source of sources) {
    const ancestor = ancestorOfScope(source.scope);
    if (!ancestor) continue;
    const isOrg = ancestor.startsWith('organizations/');
    const meta = isOrg
      ? source.json(FILES.organization, organizationSchema, { call: CALLS.organizationGet })
      : source.json(FILES.folder, folderSchema, { call: CALLS.folderGet });
    const policy = source.json(isOrg ? FILES.organizationIamPolicy : FILES.folderIamPolicy, policySchema, {
      call: isOrg ? CALLS.organizationGetIamPolicy : CALLS.folderGetIamPolicy,
    });
    estate.ancestors.set(ancestor, {
      resource: ancestor,
      ...(meta?.displayName ? { displayName: meta.displayName } : {}),
      ...(meta && 'parent' in meta && meta.parent ? { parent: meta.parent } : {}),
      policy,
    });
    // The Cloud Asset searches sit in the folder or organisation the collection was scoped to.
    assets = readAssets(source) ?? assets;
  }
  // Custom roles of every project and the organisation, from Cloud Asset.
  for (const r of assets?.resources.roles ?? []) {
    const role = roleSchema.safeParse(r.versionedResources[0]?.resource);
    if (role.success && !role.data.deleted && !estate.roles.has(role.data.name)) estate.roles.set(role.data.name, role.data.includedPermissions);
  }
  // Folders the asset search found but that have no source folder of their own still place projects in the hierarchy.
  for (const f of assets?.resources.folders ?? []) {
    const resource = shortName(f.name);
    if (!estate.ancestors.has(resource)) {
      const parent = f.parentFullResourceName ? shortName(f.parentFullResourceName) : undefined;
      const bindings = assets?.policies.get(resource);
      estate.ancestors.set(resource, { resource, ...(parent ? { parent } : {}), policy: bindings ? { bindings } : undefined });
    }
  }
  const assetProjects = new Map((assets?.resources.projects ?? []).map((p) => [String(p.additionalAttributes.projectId ?? ''), p]));

  for (const source of sources) {
    if (source.scope === ROLES_SCOPE || ancestorOfScope(source.scope)) continue;
    const fromAsset = assetProjects.get(source.scope);
    const project = source.exists(FILES.project) || !fromAsset ? source.json(FILES.project, projectSchema, { call: CALLS.projectGet }) : undefined;
    const projectNumber = project?.name.slice('projects/'.length) ?? (fromAsset ? shortName(fromAsset.name).slice('projects/'.length) : undefined);
    const ref: ProjectRef = { projectId: project?.projectId ?? source.scope, ...(projectNumber ? { projectNumber } : {}), siblings: estate.siblings };
    estate.siblings.ids.add(ref.projectId);
    if (projectNumber) estate.siblings.numbers.add(projectNumber);
    const parent = project?.parent ?? (fromAsset?.parentFullResourceName ? shortName(fromAsset.parentFullResourceName) : undefined);
    const displayName = project?.displayName ?? fromAsset?.displayName;
    const view: ProjectView = {
      source,
      ref,
      ...(displayName ? { displayName } : {}),
      ...(parent ? { parent } : {}),
      accounts: undefined,
      policy: undefined,
      accountPolicies: new Map(),
      keysOf: () => undefined,
      pools: readPools(source),
    };
    const perProject = source.exists(FILES.serviceAccountsPage(1)) || !assets;
    if (perProject) readProjectCalls(source, view);
    else readFromAssets(source, view, assets!);
    estate.projects.set(ref.projectId, view);
  }
  return estate;
}

function readKeys(source: SourceReader, email: string): ServiceAccountKey[] | undefined {
  return readPerAccount(source, FILES.keys(email), keysListSchema, CALLS.keysList, perAccountCall(CALLS.keysList, email))?.keys;
}

/** The per-project plan: serviceAccounts.list, getIamPolicy per project and per account, keys.list per account. */
function readProjectCalls(source: SourceReader, view: ProjectView): void {
  const pages = readPages(source, FILES.serviceAccountsPage, serviceAccountsPageSchema, CALLS.serviceAccountsList);
  view.policy = source.json(FILES.projectIamPolicy, policySchema, { call: CALLS.projectGetIamPolicy });
  if (!pages) return;
  view.accounts = pages.flatMap((p) => p.accounts);
  for (const { email } of view.accounts) {
    view.accountPolicies.set(
      email,
      readPerAccount(source, FILES.serviceAccountIamPolicy(email), policySchema, CALLS.serviceAccountGetIamPolicy, perAccountCall(CALLS.serviceAccountGetIamPolicy, email)),
    );
  }
  view.keysOf = (email) => readKeys(source, email);
}

/**
 * The organisation plan: accounts and policies from Cloud Asset; keys.list was called only for
 * accounts the key search found keys for, so an account without a keys file has none.
 */
function readFromAssets(source: SourceReader, view: ProjectView, assets: AssetIndex): void {
  const number = view.ref.projectNumber;
  const accountResults = assets.resources.serviceAccounts && ofProject(assets.resources.serviceAccounts, { number, names: [view.ref.projectId] });
  if (accountResults) view.accounts = accountResults.map(assetAccount).filter((a): a is ServiceAccount => a !== undefined);
  const projectBindings = number ? assets.policies.get(`projects/${number}`) : undefined;
  const policiesRead = !source.callFailed(CALLS.searchAllIamPolicies);
  view.policy = projectBindings ? { bindings: projectBindings } : policiesRead ? { bindings: [] } : undefined;
  for (const account of view.accounts ?? []) {
    const bindings =
      assets.policies.get(`projects/${view.ref.projectId}/serviceAccounts/${account.uniqueId}`) ??
      assets.policies.get(`projects/${view.ref.projectId}/serviceAccounts/${account.email}`);
    view.accountPolicies.set(account.email, bindings ? { bindings } : policiesRead ? { bindings: [] } : undefined);
  }
  view.pools = assetPools(assets, view);
  const keySearch = assets.resources.serviceAccountKeys;
  const withKeys = accountsWithKeys(keySearch ?? []);
  // The first account of each e-mail, as a search of the list would find it: keysOf is asked once per account.
  let byEmail: Map<string, ServiceAccount> | undefined;
  view.keysOf = (email) => {
    if (!byEmail) {
      byEmail = new Map();
      for (const a of view.accounts ?? []) if (!byEmail.has(a.email)) byEmail.set(a.email, a);
    }
    const account = byEmail.get(email);
    const listed = keySearch !== undefined && !withKeys.has(email) && !(account && withKeys.has(account.uniqueId));
    if (listed && !source.exists(FILES.keys(email))) return [];
    return readKeys(source, email);
  };
}

/** Workload identity pools of one project and their providers, from Cloud Asset's versioned resources. */
function assetPools(assets: AssetIndex, view: ProjectView): ProjectView['pools'] {
  const mine = { names: [String(view.ref.projectNumber), view.ref.projectId] };
  const providers = ofProject(assets.resources.workloadIdentityPoolProviders ?? [], mine);
  const out: ProjectView['pools'] = [];
  for (const r of ofProject(assets.resources.workloadIdentityPools ?? [], mine)) {
    const pool = workloadIdentityPoolSchema.safeParse(r.versionedResources[0]?.resource);
    if (!pool.success) continue;
    const id = pool.data.name.slice(pool.data.name.lastIndexOf('/') + 1);
    const own = providers
      .filter((p) => p.name.includes(`/workloadIdentityPools/${id}/providers/`))
      .map((p) => workloadIdentityProviderSchema.safeParse(p.versionedResources[0]?.resource))
      .flatMap((p) => (p.success ? [p.data] : []));
    out.push({ pool: pool.data, providers: own });
  }
  return out;
}

/** Accounts (e-mail or unique id) the key search found keys of; the same for every project. */
const keyHolders = new WeakMap<ResourceSearchResult[], Set<string>>();
function accountsWithKeys(keySearch: ResourceSearchResult[]): Set<string> {
  let holders = keyHolders.get(keySearch);
  if (!holders) {
    holders = new Set(keySearch.map((k) => /\/serviceAccounts\/([^/]+)\/keys\//.exec(k.name)?.[1]).filter((x): x is string => x !== undefined));
    keyHolders.set(keySearch, holders);
  }
  return holders;
}

/** An organisation's search results by the project each names: `projects/<number>` in its
 * project field (`#…`) and each `/projects/<x>/` in its name (`/x`), as positions in the list,
 * so that every project finds its own without going through the organisation's. */
const projectIndexes = new WeakMap<ResourceSearchResult[], Map<string, number[]>>();
function projectIndex(results: ResourceSearchResult[]): Map<string, number[]> {
  let index = projectIndexes.get(results);
  if (index) return index;
  index = new Map();
  const add = (key: string, i: number) => {
    const list = index!.get(key);
    if (list) list.push(i);
    else index!.set(key, [i]);
  };
  results.forEach((r, i) => {
    if (typeof r.project === 'string') add(`#${r.project}`, i);
    for (let at = r.name.indexOf('/projects/'); at >= 0; at = r.name.indexOf('/projects/', at + 1)) {
      const start = at + '/projects/'.length;
      const end = r.name.indexOf('/', start);
      if (end < 0) break;
      add(`/${r.name.slice(start, end)}`, i);
    }
  });
  projectIndexes.set(results, index);
  return index;
}

/** The results whose project field is `projects/<number>` (when a number is given) or whose name
 * holds `/projects/<name>/` for one of `names`, in their order. */
function ofProject(results: ResourceSearchResult[], where: { number?: string; names: string[] }): ResourceSearchResult[] {
  // A name with a slash in it is no project id; such a bundle is judged by reading every result.
  if (where.names.some((n) => n.includes('/'))) {
    return results.filter((r) => (where.number && r.project === `projects/${where.number}`) || where.names.some((n) => r.name.includes(`/projects/${n}/`)));
  }
  const index = projectIndex(results);
  const hits = new Set<number>();
  if (where.number) for (const i of index.get(`#projects/${where.number}`) ?? []) hits.add(i);
  for (const n of where.names) for (const i of index.get(`/${n}`) ?? []) hits.add(i);
  return [...hits].sort((a, b) => a - b).map((i) => results[i]);
}
