import { describe, expect, it } from 'vitest';
import { CALL } from '../../../src/providers/entra/files.js';
import { COLLECTED_CALLS, needsOf } from '../../../src/providers/entra/collect/calls.js';
import { neededPermissions, permissionsText } from '../../../src/providers/entra/collect/permissions.js';
import { runCli } from '../../helpers/cli.js';

// `agentscan permissions entra`: the Graph application permissions the collector's calls need,
// read-only, derived from the same table a refused call names its missing permission from.

describe('agentscan permissions entra', () => {
  it('lists a permission for every call the collector makes, and only read permissions', () => {
    const permissions = neededPermissions().map((n) => n.permission);
    expect(permissions).toEqual(expect.arrayContaining(['Application.Read.All', 'RoleManagement.Read.Directory', 'AuditLog.Read.All', 'AgentIdentity.Read.All', 'AgentIdentityBlueprintPrincipal.Read.All']));
    for (const p of permissions) expect(p).toMatch(/\.Read\./);
    const covered = neededPermissions().flatMap((n) => n.calls).sort();
    expect(covered).toEqual(Object.keys(COLLECTED_CALLS).map((k) => CALL[k as keyof typeof CALL]).sort());
    expect(covered).not.toContain(CALL.deletedUsers);
  });

  it('names the licence PIM and the sign-in reports need', () => {
    expect(needsOf(CALL.roleEligibilitySchedules)?.requires).toMatch(/P2/);
    expect(needsOf(CALL.servicePrincipalSignInActivities)?.requires).toMatch(/P1/);
  });

  it('prints them with the commands that grant them, as the CLI', () => {
    const r = runCli(['permissions', 'entra']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(permissionsText({}));
    expect(r.stdout).toMatch(/^ {2}Application\.Read\.All +GET \/servicePrincipals, GET \/applications/m);
    expect(r.stdout).toMatch(/az ad app permission admin-consent/);
    expect(r.stdout).toContain('00000003-0000-0000-c000-000000000000');
  });
});
