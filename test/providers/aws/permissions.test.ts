import { describe, expect, it } from 'vitest';
import { conditionFacts } from '../../../src/providers/aws/conditions.js';
import { accessLevel, actionMatches, risksOf } from '../../../src/providers/aws/permissions.js';
import { policyEntitlements, resourceScope, statementEntitlement } from '../../../src/providers/aws/policy-entitlements.js';

const onAll = (actions: string[]) => ({ actions, anyResource: true });

describe('IAM action matching', () => {
  it('is case-insensitive and understands * and ?', () => {
    expect(actionMatches('s3:Get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('S3:getobject', 's3:GetObject')).toBe(true);
    expect(actionMatches('iam:Put?olePolicy', 'iam:PutRolePolicy')).toBe(true);
    expect(actionMatches('s3:Get*', 's3:PutObject')).toBe(false);
    expect(actionMatches('*', 'iam:PassRole')).toBe(true);
  });
});

describe('access level', () => {
  it.each([
    [['*'], 'admin'],
    [['*:*'], 'admin'],
    [['iam:*'], 'admin'], // IAMFullAccess
    [['iam:PutRolePolicy'], 'admin'],
    [['iam:CreatePolicyVersion'], 'admin'],
    [['iam:PassRole'], 'write'],
    [['dynamodb:*'], 'write'],
    [['s3:PutObject'], 'write'],
    [['s3:Get*', 's3:List*', 'ec2:Describe*'], 'read'],
    [['bedrock:InvokeModel', 'iam:GenerateCredentialReport'], 'read'],
  ] as const)('%j on * is %s', (actions, level) => {
    expect(accessLevel(onAll([...actions]))).toBe(level);
  });

  it('self-escalation actions on one named resource are write, not admin', () => {
    expect(accessLevel({ actions: ['iam:PutRolePolicy'], anyResource: false })).toBe('write');
  });

  it('NotAction that excludes IAM is write; NotAction that leaves IAM in is admin', () => {
    expect(accessLevel({ notActions: ['iam:*', 'organizations:*'], anyResource: true })).toBe('write');
    expect(accessLevel({ notActions: ['s3:DeleteBucket'], anyResource: true })).toBe('admin');
  });
});

describe('risks', () => {
  it('names the escalation, exposure and exfiltration paths from the table', () => {
    expect(risksOf(onAll(['iam:PassRole']))).toEqual(['privilege-escalation']);
    expect(risksOf(onAll(['iam:CreateAccessKey']))).toEqual(['privilege-escalation', 'credential-exposure']);
    expect(risksOf(onAll(['s3:PutBucketPolicy']))).toEqual(['resource-exposure']);
    expect(risksOf(onAll(['secretsmanager:GetSecretValue']))).toEqual(['credential-exposure']);
    expect(risksOf(onAll(['s3:GetObject']))).toEqual(['data-exfiltration']);
    expect(risksOf(onAll(['ec2:RunInstances']))).toEqual(['infrastructure-modification']);
    expect(risksOf(onAll(['ec2:DescribeInstances', 's3:ListBucket']))).toEqual([]);
  });

  it('counts sts:AssumeRole only on every resource', () => {
    expect(risksOf(onAll(['sts:AssumeRole']))).toEqual(['privilege-escalation']);
    expect(risksOf({ actions: ['sts:AssumeRole'], anyResource: false })).toEqual([]);
  });

  it('NotAction carries every risk its exclusions leave in', () => {
    // Without IAM, STS and Lambda, code-running actions such as ssm:SendCommand still escalate.
    expect(risksOf({ notActions: ['iam:*', 'sts:*', 'lambda:*'], anyResource: true })).toEqual([
      'privilege-escalation',
      'resource-exposure',
      'data-exfiltration',
      'credential-exposure',
      'infrastructure-modification',
    ]);
  });
});

describe('resource scope', () => {
  it.each([
    ['*', 'global'],
    ['arn:aws:dynamodb:us-east-1:314159265358:table/*', 'container'],
    ['arn:aws:sqs:us-east-1:314159265358:*', 'container'],
    ['arn:aws:s3:::acme-support-kb/*', 'resource'],
    ['arn:aws:iam::314159265358:role/ecs-task-*', 'resource'],
    ['arn:aws:s3:::acme-support-kb', 'resource'],
  ] as const)('%s is %s', (resource, scope) => {
    expect(resourceScope(resource)).toBe(scope);
  });
});

describe('conditions and standing', () => {
  it('a time window makes a grant non-standing and sets its end', () => {
    expect(conditionFacts({ DateLessThan: { 'aws:CurrentTime': '2026-12-01T00:00:00Z' } })).toEqual({
      bound: true,
      expiresAt: '2026-12-01T00:00:00.000Z',
    });
    expect(conditionFacts({ NumericLessThan: { 'aws:EpochTime': 1795000000 } })).toEqual({
      bound: true,
      expiresAt: new Date(1795000000 * 1000).toISOString(),
    });
  });

  it('MFA makes a grant non-standing; IfExists and other conditions do not', () => {
    expect(conditionFacts({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }).bound).toBe(true);
    expect(conditionFacts({ NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } }).bound).toBe(true);
    expect(conditionFacts({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }).bound).toBe(false);
    expect(conditionFacts({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }).bound).toBe(false);
  });

  it('merges the statements of one policy that share effect and resources', () => {
    const via = { type: 'inline-policy' as const, name: 'p' };
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    const grants = policyEntitlements(
      {
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'] },
          { Effect: 'Allow', Action: ['iam:PassRole', 's3:GetObject'], Resource: ['*'] },
          { Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::b/*'] },
          { Effect: 'Deny', Action: ['s3:DeleteObject'], Resource: ['*'] },
          { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['*'], Condition: mfa },
        ],
      },
      via,
    );
    expect(grants.map((g) => [g.effect, g.resource, g.permissions, g.level, g.risks])).toEqual([
      ['allow', '*', ['s3:GetObject', 'iam:PassRole', 'kms:Decrypt'], 'write', ['privilege-escalation', 'data-exfiltration', 'credential-exposure']],
      ['allow', 'arn:aws:s3:::b/*', ['s3:PutObject'], 'write', []],
      ['deny', '*', ['s3:DeleteObject'], 'write', []],
    ]);
    // Only kms:Decrypt needs MFA, so the grant as a whole is still standing.
    expect(grants[0]).toMatchObject({ standing: true, condition: JSON.stringify([{ permissions: ['kms:Decrypt'], Condition: mfa }]) });
  });

  it('a merged grant is non-standing only when every part is bound, and ends with the last window', () => {
    const via = { type: 'inline-policy' as const, name: 'p' };
    const [grant] = policyEntitlements(
      {
        Statement: [
          { Effect: 'Allow', Action: ['iam:*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:CurrentTime': '2026-12-01T00:00:00Z' } } },
          { Effect: 'Allow', Action: ['s3:*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:CurrentTime': '2026-12-15T00:00:00Z' } } },
        ],
      },
      via,
    );
    expect(grant).toMatchObject({ level: 'admin', standing: false, expiresAt: '2026-12-15T00:00:00.000Z' });
  });

  it('an entitlement keeps the condition text and Deny statements carry no risks', () => {
    const via = { type: 'inline-policy' as const, name: 'p' };
    const mfa = statementEntitlement(
      { Effect: 'Allow', Action: ['iam:*'], Resource: ['*'], Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
      via,
    );
    expect(mfa).toMatchObject({ level: 'admin', standing: false, condition: '{"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}' });
    const deny = statementEntitlement({ Effect: 'Deny', Action: ['iam:*'], Resource: ['*'] }, via);
    expect(deny).toMatchObject({ effect: 'deny', risks: [] });
    const notResource = statementEntitlement({ Effect: 'Allow', Action: ['s3:GetObject'], NotResource: ['arn:aws:s3:::vault/*'] }, via);
    expect(notResource).toMatchObject({ resource: '*', scope: 'global', condition: '{"NotResource":["arn:aws:s3:::vault/*"]}' });
  });
});
