import type { SourceWriter } from '../../../bundle/write.js';
import type { CallLog } from '../../../collect/call-log.js';
import { mapPool } from '../../../collect/pool.js';
import { ACTIVITY_TYPES, activityCall, CALLS, FILES, perAccountCall } from '../files.js';
import {
  activitiesPageSchema,
  keysListSchema,
  policySchema,
  projectSchema,
  rolesPageSchema,
  serviceAccountsPageSchema,
  workloadIdentityPoolsPageSchema,
  workloadIdentityProvidersPageSchema,
  type Binding,
  type Project,
} from '../wire.js';
import { attempt, type GcpApi } from './api.js';

// One project's calls. The per-project plan lists the accounts and reads every policy here; the
// organisation plan has those from Cloud Asset and asks a project only what Cloud Asset cannot
// answer: key details of the accounts that have keys, and last-authentication activity.

export interface ScopeRun {
  api: GcpApi;
  calls: CallLog;
  out: SourceWriter;
}

export interface ProjectResult {
  project?: Project;
  /** Bindings read, for the role definitions they use. */
  bindings: Binding[];
}

const enc = encodeURIComponent;
const IAM_POLICY_V3 = { options: { requestedPolicyVersion: 3 } };

export async function projectMetadata(run: ScopeRun, projectId: string): Promise<Project | undefined> {
  return attempt(run.calls, CALLS.projectGet, async () => {
    const { raw, body } = await run.api.call(run.calls, CALLS.projectGet, { service: 'cloudresourcemanager', path: `/v3/projects/${enc(projectId)}` }, projectSchema);
    run.out.json(FILES.project, raw);
    return body;
  });
}

/** The per-project plan: everything from the project's own APIs. */
export async function collectProject(run: ScopeRun, projectId: string, project: Project | undefined): Promise<ProjectResult> {
  const { api, calls, out } = run;
  const bindings: Binding[] = [];
  const p = enc(projectId);
  const policy = await attempt(calls, CALLS.projectGetIamPolicy, async () => {
    const { raw, body } = await api.call(
      calls,
      CALLS.projectGetIamPolicy,
      { service: 'cloudresourcemanager', path: `/v3/projects/${p}:getIamPolicy`, method: 'POST', body: IAM_POLICY_V3 },
      policySchema,
    );
    out.json(FILES.projectIamPolicy, raw);
    return body;
  });
  bindings.push(...(policy?.bindings ?? []));
  const pages = await attempt(calls, CALLS.serviceAccountsList, () =>
    api.pages(calls, CALLS.serviceAccountsList, { service: 'iam', path: `/v1/projects/${p}/serviceAccounts` }, serviceAccountsPageSchema, out, FILES.serviceAccountsPage),
  );
  const emails = (pages ?? []).flatMap((pg) => pg.accounts).map((a) => a.email);
  await mapPool(emails, api.settings.accountConcurrency, async (email) => {
    await collectKeys(run, projectId, email);
    const accountPolicy = await collectAccountPolicy(run, projectId, email);
    bindings.push(...(accountPolicy?.bindings ?? []));
  });
  await collectActivity(run, projectId);
  await collectPoolsAndRoles(run, projectId, project);
  return { project, bindings };
}

export async function collectKeys(run: ScopeRun, projectId: string, email: string): Promise<void> {
  const call = perAccountCall(CALLS.keysList, email);
  await attempt(run.calls, call, async () => {
    const { raw } = await run.api.call(
      run.calls,
      call,
      { service: 'iam', path: `/v1/projects/${enc(projectId)}/serviceAccounts/${enc(email)}/keys` },
      keysListSchema,
    );
    run.out.json(FILES.keys(email), raw);
  });
}

async function collectAccountPolicy(run: ScopeRun, projectId: string, email: string) {
  const call = perAccountCall(CALLS.serviceAccountGetIamPolicy, email);
  return attempt(run.calls, call, async () => {
    const { raw, body } = await run.api.call(
      run.calls,
      call,
      {
        service: 'iam',
        path: `/v1/projects/${enc(projectId)}/serviceAccounts/${enc(email)}:getIamPolicy`,
        method: 'POST',
        query: { 'options.requestedPolicyVersion': 3 },
      },
      policySchema,
    );
    run.out.json(FILES.serviceAccountIamPolicy(email), raw);
    return body;
  });
}

/** Policy Analyzer last-authentication activity: both plans ask each project, Cloud Asset does not hold it. */
export async function collectActivity(run: ScopeRun, projectId: string): Promise<void> {
  const { api, calls, out } = run;
  const p = enc(projectId);
  for (const type of Object.values(ACTIVITY_TYPES)) {
    const call = activityCall(type);
    await attempt(calls, call, () =>
      api.pages(
        calls,
        call,
        { service: 'policyanalyzer', path: `/v1/projects/${p}/locations/global/activityTypes/${type}/activities:query` },
        activitiesPageSchema,
        out,
        (n) => FILES.activitiesPage(type, n),
      ),
    );
  }
}

/** The per-project plan's workload identity pools and custom roles (the organisation plan has them from Cloud Asset). */
async function collectPoolsAndRoles(run: ScopeRun, projectId: string, project: Project | undefined): Promise<void> {
  const { api, calls, out } = run;
  const p = enc(projectId);
  // Pools are named by project number in policies; the API accepts the id too.
  const parent = `/v1/projects/${project ? project.name.slice('projects/'.length) : p}/locations/global/workloadIdentityPools`;
  const pools = await attempt(calls, CALLS.workloadIdentityPoolsList, () =>
    api.pages(calls, CALLS.workloadIdentityPoolsList, { service: 'iam', path: parent }, workloadIdentityPoolsPageSchema, out, FILES.workloadIdentityPoolsPage),
  );
  for (const pool of (pools ?? []).flatMap((pg) => pg.workloadIdentityPools)) {
    const id = pool.name.slice(pool.name.lastIndexOf('/') + 1);
    const call = perAccountCall(CALLS.workloadIdentityProvidersList, id);
    await attempt(calls, call, () =>
      api.pages(calls, call, { service: 'iam', path: `${parent}/${enc(id)}/providers` }, workloadIdentityProvidersPageSchema, out, (n) =>
        FILES.workloadIdentityProvidersPage(id, n),
      ),
    );
  }
  await attempt(calls, CALLS.projectRolesList, () =>
    api.pages(calls, CALLS.projectRolesList, { service: 'iam', path: `/v1/projects/${p}/roles`, query: { view: 'FULL' } }, rolesPageSchema, out, FILES.projectRolesPage),
  );
}
