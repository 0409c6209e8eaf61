import type { BundleWriter } from '../../../bundle/write.js';
import { CallLog } from '../../../collect/call-log.js';
import { CALLS, FILES, perAccountCall, ROLES_SCOPE } from '../files.js';
import { roleSchema } from '../wire.js';
import { type GcpApi } from './api.js';
import { describeFailure, httpStatus } from './failure.js';
import { mapPool } from '../../../collect/pool.js';

// The definitions of the predefined roles that bindings use, so grants are judged on the
// permissions the role holds today. One call per distinct role, however many bindings use it.
// Custom roles come with their project's or organisation's roles.list.

export async function collectRoleDefinitions(api: GcpApi, writer: BundleWriter, roles: Iterable<string>): Promise<CallLog | undefined> {
  const predefined = [...new Set(roles)].filter((r) => /^roles\/[A-Za-z0-9._]+$/.test(r)).sort();
  if (predefined.length === 0) return undefined;
  const calls = new CallLog('gcp');
  const out = writer.source('gcp', ROLES_SCOPE);
  await mapPool(predefined, api.settings.accountConcurrency, async (role) => {
    const call = perAccountCall(CALLS.roleGet, role);
    try {
      const { raw } = await api.call(calls, call, { service: 'iam', path: `/v1/${role}` }, roleSchema);
      out.json(FILES.role(role), raw);
      calls.ok(CALLS.roleGet);
    } catch (err) {
      // A role that no longer exists (deleted, or retired by Google) is judged by its name.
      if (httpStatus(err) === 404) calls.failed(call, `${describeFailure(err, call)}; judged by its name`, 'skipped');
      else calls.failed(call, describeFailure(err, call));
    }
  });
  return calls;
}
