import type { z } from 'zod';
import type { BundleWriter } from '../../../bundle/write.js';
import { CallLog } from '../../../collect/call-log.js';
import { ancestorScope, CALLS, FILES } from '../files.js';
import { folderSchema, foldersPageSchema, organizationSchema, policySchema, projectsPageSchema, rolesPageSchema, type Binding } from '../wire.js';
import { attempt, type GcpApi } from './api.js';

// The folders and organisation above the collected projects: their metadata (for the parent
// chain) and IAM policies (bindings there are inherited by every project below), each in its
// own source folder. Many projects share ancestors, so each is read once however many
// projects lead to it.

export interface Hierarchy {
  /** Reads `resource` (`folders/<id>` or `organizations/<id>`) and everything above it, once. */
  walk(resource: string | undefined): Promise<void>;
  /** Bindings read on every ancestor so far. */
  bindings(): Binding[];
  /** Call logs by scope, for coverage and --verbose. */
  logs: Map<string, CallLog>;
}

const IAM_POLICY_V3 = { options: { requestedPolicyVersion: 3 } };

/** `logs` may already hold the log of a scope whose other calls were made elsewhere (the collected folder or organisation). */
export function hierarchy(api: GcpApi, writer: BundleWriter, logs = new Map<string, CallLog>()): Hierarchy {
  const seen = new Map<string, Promise<void>>();
  const found: Binding[] = [];

  const read = async (resource: string): Promise<string | undefined> => {
    const scope = ancestorScope(resource);
    const calls = logs.get(scope) ?? new CallLog('gcp');
    logs.set(scope, calls);
    const out = writer.source('gcp', scope);
    const isOrg = resource.startsWith('organizations/');
    const getCall = isOrg ? CALLS.organizationGet : CALLS.folderGet;
    const meta = await attempt(calls, getCall, async () => {
      const { raw, body } = await api.call(calls, getCall, { service: 'cloudresourcemanager', path: `/v3/${resource}` }, isOrg ? organizationSchema : folderSchema);
      out.json(isOrg ? FILES.organization : FILES.folder, raw);
      return body;
    });
    const policyCall = isOrg ? CALLS.organizationGetIamPolicy : CALLS.folderGetIamPolicy;
    const policy = await attempt(calls, policyCall, async () => {
      const { raw, body } = await api.call(
        calls,
        policyCall,
        { service: 'cloudresourcemanager', path: `/v3/${resource}:getIamPolicy`, method: 'POST', body: IAM_POLICY_V3 },
        policySchema,
      );
      out.json(isOrg ? FILES.organizationIamPolicy : FILES.folderIamPolicy, raw);
      return body;
    });
    found.push(...(policy?.bindings ?? []));
    if (isOrg) {
      await attempt(calls, CALLS.organizationRolesList, () =>
        api.pages(calls, CALLS.organizationRolesList, { service: 'iam', path: `/v1/${resource}/roles`, query: { view: 'FULL' } }, rolesPageSchema, out, FILES.organizationRolesPage),
      );
    }
    return meta && 'parent' in meta ? meta.parent : undefined;
  };

  const walk = async (resource: string | undefined): Promise<void> => {
    if (!resource || !/^(folders|organizations)\/\d+$/.test(resource)) return;
    let pending = seen.get(resource);
    if (!pending) {
      pending = read(resource).then((parent) => walk(parent));
      seen.set(resource, pending);
    }
    await pending;
  };
  return { walk, bindings: () => found, logs };
}

/**
 * Every ACTIVE project below `resource`, by walking folders.list and projects.list: the plan
 * when Cloud Asset cannot answer. Calls grow with folders and pages of projects.
 */
export async function projectsBelow(api: GcpApi, calls: CallLog, resource: string): Promise<string[]> {
  const ids: string[] = [];
  const queue = [resource];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    let token: string | undefined;
    do {
      const { body }: { body: z.infer<typeof projectsPageSchema> } = await api.call(calls, CALLS.projectsList, { service: 'cloudresourcemanager', path: '/v3/projects', query: { parent, pageSize: api.settings.pageSize, pageToken: token } }, projectsPageSchema);
      ids.push(...body.projects.filter((p) => (p.state ?? 'ACTIVE') === 'ACTIVE').map((p) => p.projectId));
      token = body.nextPageToken || undefined;
    } while (token);
    token = undefined;
    do {
      const { body }: { body: z.infer<typeof foldersPageSchema> } = await api.call(calls, CALLS.foldersList, { service: 'cloudresourcemanager', path: '/v3/folders', query: { parent, pageSize: api.settings.pageSize, pageToken: token } }, foldersPageSchema);
      queue.push(...body.folders.filter((f) => (f.state ?? 'ACTIVE') === 'ACTIVE').map((f) => f.name));
      token = body.nextPageToken || undefined;
    } while (token);
  }
  return [...new Set(ids)].sort();
}
