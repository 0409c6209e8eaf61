import { describe, expect, it } from 'vitest';
import type { Entitlement } from '../../../src/model/inventory.js';
import { actionId, catalogue, expandPattern } from '../../../src/providers/aws/analysis/catalogue.js';
import { EffectivePermissions, type HeldPolicy } from '../../../src/providers/aws/analysis/effective.js';
import { ESCALATION_METHODS } from '../../../src/providers/aws/analysis/escalation-methods.js';
import { analysePrincipal, type PrincipalInput } from '../../../src/providers/aws/analysis/principal.js';
import type { PolicyStatement } from '../../../src/providers/aws/wire.js';

// Effective permissions: Allow and Deny, Action and NotAction, wildcards expanded against the
// IAM action catalogue, resources, conditions and permission boundaries.

const ACCOUNT = '111111111111';
const via = (name: string): Entitlement['via'] => ({ type: 'inline-policy', name });
const policy = (name: string, ...Statement: PolicyStatement[]): HeldPolicy => ({ doc: { Statement }, via: via(name) });
const allow = (Action: string[], Resource = ['*'], Condition?: PolicyStatement['Condition']): PolicyStatement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const deny = (Action: string[], Resource = ['*'], Condition?: PolicyStatement['Condition']): PolicyStatement => ({
  Effect: 'Deny',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const allowed = (e: EffectivePermissions, action: string) => e.allowed.has(actionId(action)!);

function role(policies: HeldPolicy[], boundary?: PolicyStatement[]): PrincipalInput {
  return {
    kind: 'iam-role',
    name: 'worker',
    arn: `arn:aws:iam::${ACCOUNT}:role/worker`,
    account: ACCOUNT,
    policies,
    groupArns: [],
    managedPolicyArns: [],
    ...(boundary ? { boundary: { arn: `arn:aws:iam::${ACCOUNT}:policy/boundary`, doc: { Statement: boundary } } } : {}),
  };
}

describe('the IAM action catalogue', () => {
  it('holds every service and action, with canonical names', () => {
    const cat = catalogue();
    expect(cat.size).toBeGreaterThan(15_000);
    expect(cat.services.length).toBeGreaterThan(300);
    expect(cat.names[actionId('S3:getobject')!]).toBe('s3:GetObject');
    expect(actionId('s3:NoSuchAction')).toBeUndefined();
  });

  it('expands wildcards against what exists, case-insensitively', () => {
    const names = (p: string) => [...expandPattern(p)].map((id) => catalogue().names[id]);
    expect(names('iam:Put*Policy')).toEqual(expect.arrayContaining(['iam:PutGroupPolicy', 'iam:PutRolePolicy', 'iam:PutUserPolicy']));
    expect(names('iam:Put*Policy')).not.toContain('iam:PutRolePermissionsBoundary');
    expect(names('iam:put?olepolicy')).toEqual(['iam:PutRolePolicy']);
    expect(names('s3:*').length).toBeGreaterThan(100);
    expect(expandPattern('*').length).toBe(catalogue().size);
    expect(names('nosuchservice:*')).toEqual([]);
  });

  it('knows every action the escalation catalogue names', () => {
    const unknown = ESCALATION_METHODS.flatMap((m) => m.requires.flat()).filter((a) => actionId(a) === undefined);
    expect(unknown).toEqual([]);
  });
});

describe('effective permissions', () => {
  it('unions every Allow and subtracts an unconditional Deny on every resource', () => {
    const e = new EffectivePermissions({
      policies: [policy('a', allow(['s3:*'])), policy('b', allow(['dynamodb:GetItem']), deny(['s3:DeleteBucket']))],
    });
    expect(allowed(e, 's3:GetObject')).toBe(true);
    expect(allowed(e, 'dynamodb:GetItem')).toBe(true);
    expect(allowed(e, 's3:DeleteBucket')).toBe(false);
    expect(e.grantsFor('s3:DeleteBucket')).toEqual([]);
    expect(allowed(e, 'ec2:RunInstances')).toBe(false);
  });

  it('reads NotAction as every catalogued action but those listed', () => {
    const e = new EffectivePermissions({ policies: [policy('p', { Effect: 'Allow', NotAction: ['iam:*'], Resource: ['*'] })] });
    expect(allowed(e, 'ec2:RunInstances')).toBe(true);
    expect(allowed(e, 'iam:PassRole')).toBe(false);
    expect(e.allowed.count()).toBe(catalogue().size - expandPattern('iam:*').length);
  });

  it('keeps the resources of each grant, and carves a narrower Deny out of a wider Allow', () => {
    const e = new EffectivePermissions({
      policies: [policy('p', allow(['s3:GetObject']), deny(['s3:GetObject'], ['arn:aws:s3:::vault/*']))],
    });
    expect(e.grantsFor('s3:GetObject')).toEqual([
      { via: via('p'), resources: ['*'], except: ['arn:aws:s3:::vault/*'], conditions: [] },
    ]);
    const bucket = new EffectivePermissions({
      policies: [policy('p', allow(['s3:GetObject'], ['arn:aws:s3:::vault/*']), deny(['s3:*'], ['arn:aws:s3:::vault/*']))],
    });
    expect(bucket.grantsFor('s3:GetObject')).toEqual([]);
  });

  it('carries conditions instead of deciding them: a conditional Deny marks a grant, never removes it', () => {
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'false' } };
    const e = new EffectivePermissions({
      policies: [policy('p', allow(['ec2:TerminateInstances'], ['*'], { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }), deny(['ec2:*'], ['*'], mfa))],
    });
    expect(e.grantsFor('ec2:TerminateInstances')).toEqual([
      expect.objectContaining({ conditions: [{ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }], conditionalDeny: true }),
    ]);
  });

  it('allows only what the permissions boundary also allows, and applies the boundary’s Deny', () => {
    const boundary = [allow(['s3:*', 'iam:*']), deny(['iam:*'])];
    const e = new EffectivePermissions({ policies: [policy('admin', allow(['*']))], boundary: { Statement: boundary } });
    expect(allowed(e, 's3:PutObject')).toBe(true);
    expect(allowed(e, 'ec2:RunInstances')).toBe(false);
    expect(allowed(e, 'iam:AttachRolePolicy')).toBe(false);
    expect(e.granted.count()).toBe(catalogue().size);
  });

  it('intersects resources with the boundary’s', () => {
    const boundary = [allow(['s3:*'], ['arn:aws:s3:::team-*', 'arn:aws:s3:::team-*/*'])];
    const e = new EffectivePermissions({
      policies: [policy('p', allow(['s3:GetObject'], ['*']), allow(['s3:PutObject'], ['arn:aws:s3:::other/*']))],
      boundary: { Statement: boundary },
    });
    expect(e.grantsFor('s3:GetObject')[0].resources).toEqual(['arn:aws:s3:::team-*', 'arn:aws:s3:::team-*/*']);
    expect(e.grantsFor('s3:PutObject')).toEqual([]);
  });

  it('resolves ${aws:username} in resources for the user', () => {
    const e = new EffectivePermissions({
      policies: [policy('self-service', allow(['iam:CreateAccessKey'], ['arn:aws:iam::*:user/${aws:username}']))],
      variables: { 'aws:username': 'jane' },
    });
    expect(e.grantsFor('iam:CreateAccessKey')[0].resources).toEqual(['arn:aws:iam::*:user/jane']);
  });
});

describe('entitlements follow the effective permissions', () => {
  it('AdministratorAccess under a boundary that allows S3 only is an S3 write grant, not admin', () => {
    const { entitlements, summary } = analysePrincipal(role([policy('AdministratorAccess', allow(['*']))], [allow(['s3:*'])]));
    expect(entitlements).toEqual([expect.objectContaining({ permissions: ['*'], level: 'write' })]);
    expect(entitlements[0].risks).toEqual(['resource-exposure', 'data-exfiltration', 'infrastructure-modification']);
    expect(summary.services).toEqual({ s3: expect.stringMatching(/^(\d+)\/\1$/) });
    expect(summary.deniedActions).toBe(catalogue().size - expandPattern('s3:*').length);
    expect(summary.adminEquivalent).toBeUndefined();
  });

  it('an Allow fully cancelled by a Deny grants nothing: read, no risks; the Deny keeps its own entitlement', () => {
    const { entitlements } = analysePrincipal(role([policy('iam-full', allow(['iam:*'])), policy('guardrail', deny(['iam:*']))]));
    expect(entitlements.map((e) => [e.via.name, e.effect, e.level, e.risks])).toEqual([
      ['iam-full', 'allow', 'read', []],
      ['guardrail', 'deny', 'admin', []],
    ]);
  });

  it('an admin-equivalent action on the principal’s own role is admin, on another role it is write', () => {
    const self = analysePrincipal(role([policy('p', allow(['iam:PutRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/worker`]))]));
    expect(self.entitlements[0].level).toBe('admin');
    expect(self.summary.adminEquivalent).toEqual(['iam:PutRolePolicy']);
    const other = analysePrincipal(role([policy('p', allow(['iam:PutRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/other`]))]));
    expect(other.entitlements[0].level).toBe('write');
  });

  it('attaching only harmless AWS managed policies is not admin', () => {
    const pinned = { ArnEquals: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'] } };
    const { entitlements, escalationPaths } = analysePrincipal(role([policy('p', allow(['iam:AttachRolePolicy'], ['*'], pinned))]));
    expect(entitlements[0].level).toBe('write');
    expect(escalationPaths).toEqual([]);
  });

  it('summarises compactly: counts by access level, service and risk, and the risky actions by name', () => {
    const { summary } = analysePrincipal(
      role([policy('p', allow(['s3:GetObject'], ['arn:aws:s3:::b/*']), allow(['iam:PassRole'], ['*'], { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }))]),
    );
    expect(summary).toMatchObject({
      actions: 2,
      of: catalogue().size,
      accessLevels: { read: 1, write: 1, list: 0, tagging: 0, permissionsManagement: 0 },
      services: { s3: expect.stringMatching(/^1\/\d+$/), iam: expect.stringMatching(/^1\/\d+$/) },
      risks: { 'privilege-escalation': 1, 'data-exfiltration': 1 },
      riskyActions: { 's3:GetObject': 'arn:aws:s3:::b/*', 'iam:PassRole': '* (conditional)' },
    });
    const admin = analysePrincipal(role([policy('AdministratorAccess', allow(['*']))])).summary;
    expect(admin).toMatchObject({ allActions: true, services: { '*': 'all' } });
    expect(Object.keys(admin.riskyActions).length).toBeLessThan(200);
  });
});
