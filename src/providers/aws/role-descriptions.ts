import type { SourceReader } from '../../bundle/source-reader.js';
import { CALLS, FILES } from './files.js';
import { listRolesPageSchema } from './wire.js';

// Role descriptions from iam:ListRoles, by role name. Bundles written before the collector made
// this call have no listing and no coverage entry for it: no descriptions, not an error. A
// listing whose call failed (or a later page that is missing for that reason) gives what it has.

export function readRoleDescriptions(source: SourceReader): Map<string, string> {
  const out = new Map<string, string>();
  if (!source.exists(FILES.listRolesPage(1)) && !source.callRecorded(CALLS.listRoles)) return out;
  for (let n = 1; ; n++) {
    const page = source.json(FILES.listRolesPage(n), listRolesPageSchema, { call: CALLS.listRoles });
    if (!page) return out;
    for (const role of page.Roles) if (role.Description?.trim()) out.set(role.RoleName, role.Description);
    if (!page.IsTruncated) return out;
  }
}
