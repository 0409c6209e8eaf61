import { describe, expect, it } from 'vitest';
import {
  applicationPermissionScope,
  builtInRoleName,
  rateDirectoryRole,
  ratePermission,
  ratePermissions,
} from '../../../src/providers/entra/permissions.js';

describe('entra permission ratings', () => {
  it('rates tier-0 Graph permissions as admin privilege escalation', () => {
    for (const p of ['RoleManagement.ReadWrite.Directory', 'AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All', 'Directory.ReadWrite.All']) {
      expect(ratePermission(p)).toMatchObject({ level: 'admin', risks: expect.arrayContaining(['privilege-escalation']) });
    }
  });

  it('falls back to the permission name for unlisted permissions, with no risk', () => {
    expect(ratePermission('Tasks.ReadWrite.All')).toEqual({ level: 'write', risks: [] });
    expect(ratePermission('Organization.Read.All')).toEqual({ level: 'read', risks: [] });
  });

  it('takes the highest level and all risks of a delegated grant', () => {
    expect(ratePermissions(['User.Read', 'Mail.Send', 'Files.Read.All', 'offline_access'])).toEqual({
      level: 'write',
      risks: ['data-exfiltration'],
    });
  });

  it('scopes Selected and OwnedBy application permissions to resources', () => {
    expect(applicationPermissionScope('Sites.Selected')).toBe('resource');
    expect(applicationPermissionScope('Application.ReadWrite.OwnedBy')).toBe('resource');
    expect(applicationPermissionScope('Sites.Read.All')).toBe('organization');
  });

  it('rates built-in directory roles by template id and custom roles by name', () => {
    expect(rateDirectoryRole('158C047A-C907-4556-B7EF-446551A6B5F7', 'Cloud Application Administrator')).toEqual({
      level: 'admin',
      risks: ['privilege-escalation', 'credential-exposure'],
    });
    expect(rateDirectoryRole('0b2a8f1e-aaaa-4bbb-8ccc-000000000001', 'Acme Helpdesk Reader')).toEqual({ level: 'read', risks: [] });
    expect(rateDirectoryRole(undefined, 'Acme App Onboarder')).toEqual({ level: 'write', risks: [] });
    expect(builtInRoleName('7be44c8a-adaf-4e2a-84d6-ab2649e08a13')).toBe('Privileged Authentication Administrator');
  });
});
