import type { BundleWriter } from '../../../bundle/write.js';
import { CallLog } from '../../../collect/call-log.js';
import type { LiveRun } from '../../../collect/live.js';
import { mapPool } from '../../../collect/pool.js';
import { silentProgress } from '../../../collect/progress.js';
import { InputError } from '../../../util/errors.js';
import { ancestorScope, CALLS } from '../files.js';
import type { Binding } from '../wire.js';
import { GcpApi, attempt } from './api.js';
import { accountsWithKeys, activeProjects, searchAssets, type AssetResults } from './assets.js';
import { googleAuth, transportFor } from './auth.js';
import { DEFAULT_CONCURRENCY, PLAN_LOG } from './calls.js';
import { describeFailure } from './failure.js';
import { hierarchy, projectsBelow } from './hierarchy.js';
import { createFetch } from './http.js';
import { collectActivity, collectKeys, collectProject, projectMetadata, type ScopeRun } from './project.js';
import { collectRoleDefinitions } from './roles.js';
import { settingsFromEnv, type GcpCollectSettings } from './settings.js';
import { inShard } from '../../../collect/shard.js';

// Live Google Cloud collection into a bundle: listed projects (per-project plan), or every
// active project below a folder or organisation (Cloud Asset plan, falling back to the
// per-project plan when Cloud Asset cannot answer), several projects at a time. The folders
// and organisation above the projects, and the role definitions bindings use, are read too.
// A failed call becomes a coverage entry and the collection goes on; only unusable
// credentials or a bad request stop it.

export interface GcpCollectOptions extends LiveRun {
  /** Project ids (--gcp-projects). */
  projects?: string[];
  /** Every active project below this folder (--gcp-folder). */
  folder?: string;
  /** Every active project of this organization (--gcp-organization). */
  organization?: string;
  /** Call the APIs as this service account (--gcp-impersonate-service-account). */
  impersonateServiceAccount?: string;
  /** One root for every Google API and the token exchange (--gcp-api-root; else AGENTSCAN_GCP_API_ROOT). */
  apiRoot?: string;
}

export interface GcpCollectResult {
  projects: string[];
  plan: 'projects' | 'cloud-asset';
  /** Call logs by scope (projects, folders, organisations, roles). */
  calls: Map<string, CallLog>;
}

function scopeOf(opts: GcpCollectOptions): { resource?: string; projects?: string[] } {
  const given = [opts.projects?.length ? '--gcp-projects' : '', opts.folder ? '--gcp-folder' : '', opts.organization ? '--gcp-organization' : ''].filter(Boolean);
  if (given.length > 1) throw new InputError(`give one of --gcp-projects, --gcp-folder or --gcp-organization, not ${given.join(' and ')}`);
  if (given.length === 0) throw new InputError('Google Cloud: say what to collect with --gcp-projects ID[,ID…], --gcp-folder ID or --gcp-organization ID');
  const numeric = (flag: string, value: string) => {
    const id = value.replace(/^(folders|organizations)\//, '');
    if (!/^\d+$/.test(id)) throw new InputError(`${flag} ${value}: expected a numeric id`);
    return id;
  };
  if (opts.folder) return { resource: `folders/${numeric('--gcp-folder', opts.folder)}` };
  if (opts.organization) return { resource: `organizations/${numeric('--gcp-organization', opts.organization)}` };
  return { projects: [...new Set(opts.projects)] };
}

export async function collectGcp(writer: BundleWriter, opts: GcpCollectOptions): Promise<GcpCollectResult> {
  const log = opts.log ?? (() => {});
  const progress = opts.progress ?? silentProgress;
  const target = scopeOf(opts);
  if (target.resource && opts.shard) {
    // The organisation plan reads every project in a few Cloud Asset pages held by the
    // organisation's folder: there is nothing to split, and a split would duplicate that folder.
    throw new InputError('--shard splits --gcp-projects; --gcp-organization and --gcp-folder read the whole scope in a few Cloud Asset calls, so collect them in one job');
  }
  const settings: GcpCollectSettings = settingsFromEnv(opts.apiRoot);
  // With redirected endpoints nothing may reach Google, and the auth library's metadata-server
  // probe is not ours to redirect: turn it off unless the user chose otherwise.
  if (settings.redirected && process.env.METADATA_SERVER_DETECTION === undefined) process.env.METADATA_SERVER_DETECTION = 'none';
  const fetcher = createFetch(settings);
  try {
    const auth = await googleAuth(settings, transportFor(fetcher), { impersonate: opts.impersonateServiceAccount });
    log(`gcp: calling Google APIs with ${auth.describe}`);
    const api = new GcpApi(auth.client, settings);
    const calls = new Map<string, CallLog>();
    const bindings: Binding[] = [];
    const logs = new Map<string, CallLog>();
    const above = hierarchy(api, writer, logs);

    let projects: string[];
    let assets: AssetResults | undefined;
    if (target.resource) {
      const scope = ancestorScope(target.resource);
      const scopeCalls = new CallLog('gcp');
      logs.set(scope, scopeCalls);
      calls.set(scope, scopeCalls);
      const searches = new CallLog('gcp');
      assets = await searchAssets(api, scopeCalls, searches, writer.source('gcp', scope), target.resource);
      // The scope's own metadata, policy and parents, as for any ancestor.
      await above.walk(target.resource);
      const usable = assets.resources.projects && assets.resources.serviceAccounts && assets.bindings;
      // A search whose answer was then got another way is skipped, not failed: the data is complete.
      for (const e of searches.coverage(scope)) {
        if (e.status === 'ok') scopeCalls.ok(e.call);
        else if (!usable) scopeCalls.failed(e.call, `${e.message}; collected per project instead`, 'skipped');
        else scopeCalls.failed(e.call, e.message ?? 'failed', e.status);
      }
      if (usable) {
        projects = activeProjects(assets);
        bindings.push(...assets.bindings!);
        log(`gcp ${scope}: ${PLAN_LOG.asset(projects.length)}`);
      } else {
        log(`gcp ${scope}: Cloud Asset could not answer; ${PLAN_LOG.fallback}`);
        assets = undefined;
        projects = (await attempt(scopeCalls, CALLS.projectsList, () => projectsBelow(api, scopeCalls, target.resource!))) ?? [];
      }
    } else {
      projects = inShard('gcp', target.projects!, opts.shard);
      if (opts.shard) log(`gcp: shard ${opts.shard.index}/${opts.shard.count}: ${projects.length} of ${target.projects!.length} projects`);
    }

    const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
    if (projects.length > 1) log(`gcp: collecting ${projects.length} projects, ${Math.min(concurrency, projects.length)} at a time`);
    let done = 0;
    progress.update('gcp', `0/${projects.length} projects`);
    await mapPool(projects, concurrency, async (projectId) => {
      const projectCalls = new CallLog('gcp');
      calls.set(projectId, projectCalls);
      const run: ScopeRun = { api, calls: projectCalls, out: writer.source('gcp', projectId) };
      if (assets) {
        await collectFromAssets(run, projectId, assets);
      } else {
        const project = await projectMetadata(run, projectId);
        const result = await collectProject(run, projectId, project);
        bindings.push(...result.bindings);
        await above.walk(project?.parent);
      }
      log(`gcp ${projectId}: ${projectCalls.summary()}`);
      progress.update('gcp', `${++done}/${projects.length} projects`);
    });
    progress.end('gcp');
    for (const [scope, l] of logs) if (!calls.has(scope)) calls.set(scope, l);
    bindings.push(...above.bindings());

    const roleCalls = await collectRoleDefinitions(api, writer, bindings.map((b) => b.role));
    if (roleCalls) {
      calls.set('roles', roleCalls);
      log(`gcp roles: ${roleCalls.summary()}`);
    }
    for (const [scope, l] of calls) writer.addCoverage(...l.coverage(scope));
    for (const [scope, l] of logs) log(`gcp ${scope}: ${l.summary()}`);
    return { projects, plan: assets ? 'cloud-asset' : 'projects', calls };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`Google Cloud: ${describeFailure(err, 'collection')}`);
  } finally {
    fetcher.destroy();
  }
}

/** The organisation plan per project: only what Cloud Asset cannot tell, key details of the accounts with keys and activity. */
async function collectFromAssets(run: ScopeRun, projectId: string, assets: AssetResults): Promise<void> {
  await mapPool(accountsWithKeys(assets, projectId), run.api.settings.accountConcurrency, (email) => collectKeys(run, projectId, email));
  await collectActivity(run, projectId);
}

