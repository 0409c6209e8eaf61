import { describe, expect, it } from 'vitest';
import { sshFingerprint, sshKeyType } from '../../../src/providers/github/fingerprint.js';
import { classicScope, fineGrainedLevel, fineGrainedRisks, gitKeyRisks } from '../../../src/providers/github/permissions.js';

describe('GitHub permission levels', () => {
  it('rates write on access-governing permissions as admin', () => {
    expect(fineGrainedLevel('administration', 'write')).toBe('admin');
    expect(fineGrainedLevel('organization_administration', 'write')).toBe('admin');
    expect(fineGrainedLevel('members', 'write')).toBe('admin');
    expect(fineGrainedLevel('administration', 'read')).toBe('read');
    expect(fineGrainedLevel('contents', 'write')).toBe('write');
    expect(fineGrainedLevel('organization_projects', 'admin')).toBe('write');
  });

  it('rates classic scopes', () => {
    for (const scope of ['admin:org', 'admin:enterprise', 'delete_repo', 'site_admin']) expect(classicScope(scope).level).toBe('admin');
    for (const scope of ['repo', 'workflow', 'write:packages']) expect(classicScope(scope).level).toBe('write');
    expect(classicScope('read:org').level).toBe('read');
    expect(classicScope('read:some-new-scope').level).toBe('read');
    expect(classicScope('some-new-scope').level).toBe('write');
  });
});

describe('GitHub permission risks', () => {
  it('flags workflow and secret writes as credential exposure and privilege escalation', () => {
    for (const p of ['workflows', 'actions', 'secrets']) {
      expect(fineGrainedRisks(p, 'write', false)).toEqual(['credential-exposure', 'privilege-escalation']);
      expect(fineGrainedRisks(p, 'read', false)).toEqual([]);
    }
  });

  it('flags contents only when the grant covers every repository', () => {
    expect(fineGrainedRisks('contents', 'read', true)).toEqual(['data-exfiltration']);
    expect(fineGrainedRisks('contents', 'read', false)).toEqual([]);
    expect(fineGrainedRisks('contents', 'write', true)).toEqual(['data-exfiltration', 'infrastructure-modification']);
    expect(fineGrainedRisks('contents', 'write', false)).toEqual([]);
  });

  it('gives writable SSH keys the workflow risks, since git pushes workflow files', () => {
    expect(gitKeyRisks(true, false)).toEqual([]);
    expect(gitKeyRisks(false, false)).toEqual(['credential-exposure', 'privilege-escalation']);
  });
});

describe('SSH fingerprints', () => {
  it('matches ssh-keygen -lf', () => {
    const key =
      'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDe/2/VcaXLIOXaFnxiua0+yXRsI4hsx0YBZomK5jgW+XDI+QKeBUtHbtulmtJxJNY5ftgyXDOjWialjn3YnhbgGplLBe7tIVV6zN1hbWfyo30R4qEZQoXNdR3pyrUBsZiMXDJSGCX0n8scNc4O3DNWZfAbISHnsmse3ks+youU5awiIXSwFHqCbCOSvKhc/JYYmPv8bhOyi0XwubBevCPOaOgezmrKRpCud/e4ols3rilg81+46DtjhxtzJmfOexI93Fh15KFYiLcNc+aHedTYBMpg1JkdNYdn5G3gs3LqMGOTtUbHjsrvEuIun7GDoMH4EWoohP+x+8dKswDI16Vz ci@example';
    expect(sshFingerprint(key)).toBe('SHA256:MeTntP227d9aDlWDmHUKCfaAXWhb6Q0JByuj/tc4qsU');
    expect(sshFingerprint(key.replace(' ci@example', ''))).toBe('SHA256:MeTntP227d9aDlWDmHUKCfaAXWhb6Q0JByuj/tc4qsU');
    expect(sshKeyType(key)).toBe('ssh-rsa');
  });
});
