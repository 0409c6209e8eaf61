import { describe, expect, it } from 'vitest';
import type { HeldPolicy } from '../../../src/providers/aws/analysis/effective.js';
import { ESCALATION_METHODS } from '../../../src/providers/aws/analysis/escalation-methods.js';
import { analysePrincipal, type PolicyAnalysis, type PrincipalInput } from '../../../src/providers/aws/analysis/principal.js';
import { SharedAnalyses } from '../../../src/providers/aws/analysis/shared-analyses.js';
import type { PolicyStatement } from '../../../src/providers/aws/wire.js';

// Privilege-escalation paths: every required permission must be effectively allowed, in any
// mix of policies, and a path says what it reaches.

const ACCOUNT = '111111111111';
const policy = (name: string, ...Statement: PolicyStatement[]): HeldPolicy => ({ doc: { Statement }, via: { type: 'inline-policy', name } });
const allow = (Action: string[], Resource = ['*'], Condition?: PolicyStatement['Condition']): PolicyStatement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const deny = (Action: string[], Resource = ['*']): PolicyStatement => ({ Effect: 'Deny', Action, Resource });

function principal(kind: 'iam-user' | 'iam-role', policies: HeldPolicy[], extra: Partial<PrincipalInput> = {}): PrincipalInput {
  const name = kind === 'iam-user' ? 'alice' : 'worker';
  return {
    kind,
    name,
    arn: `arn:aws:iam::${ACCOUNT}:${kind === 'iam-user' ? 'user' : 'role'}/${name}`,
    account: ACCOUNT,
    policies,
    groupArns: [],
    managedPolicyArns: [],
    ...extra,
  };
}
const paths = (input: PrincipalInput) => analysePrincipal(input).escalationPaths;
const ids = (input: PrincipalInput) => paths(input).map((p) => p.id);

describe('the escalation catalogue', () => {
  it('covers Rhino Security Labs’ 21 methods and the later PassRole and code-execution research', () => {
    const refs = new Set(ESCALATION_METHODS.flatMap((m) => m.refs));
    for (let n = 1; n <= 21; n++) expect(refs, `rhino-${n}`).toContain(`rhino-${n}`);
    const all = ESCALATION_METHODS.map((m) => m.id);
    for (const id of [
      'passrole-lambda', 'passrole-ec2', 'passrole-glue-dev-endpoint', 'passrole-cloudformation', 'passrole-sagemaker-notebook',
      'passrole-sagemaker-training-job', 'passrole-sagemaker-processing-job', 'passrole-codebuild', 'passrole-datapipeline',
      'passrole-ecs-task', 'passrole-agentcore-code-interpreter', 'lambda-update-function-code', 'lambda-update-function-configuration',
      'ssm-send-command', 'ssm-start-session', 'glue-update-dev-endpoint', 'iam-update-assume-role-policy',
    ]) {
      expect(all).toContain(id);
    }
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('escalation paths', () => {
  it('finds PassRole + CreateFunction + InvokeFunction spread over two policies', () => {
    const found = paths(
      principal('iam-role', [policy('lambda', allow(['lambda:CreateFunction', 'lambda:InvokeFunction'])), policy('pass', allow(['iam:PassRole']))]),
    );
    expect(found).toEqual([
      {
        id: 'passrole-lambda',
        method: 'PassRole to a new Lambda function',
        category: 'new-passrole',
        permissions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
        description: expect.any(String),
        scope: 'any',
        grants: ['grant:inline-policy::lambda', 'grant:inline-policy::pass'],
      },
    ]);
  });

  it('needs every permission: PassRole alone, or CreateFunction alone, is no path', () => {
    expect(ids(principal('iam-role', [policy('p', allow(['iam:PassRole']))]))).toEqual([]);
    expect(ids(principal('iam-role', [policy('p', allow(['lambda:CreateFunction', 'lambda:InvokeFunction']))]))).toEqual([]);
  });

  it('honours iam:PassedToService: a role passable only to Glue gives Glue paths, not Lambda ones', () => {
    const glueOnly = { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } };
    const found = ids(
      principal('iam-role', [
        policy('p', allow(['iam:PassRole'], ['*'], glueOnly), allow(['lambda:CreateFunction', 'lambda:InvokeFunction', 'glue:CreateJob', 'glue:StartJobRun'])),
      ]),
    );
    expect(found).toEqual(['passrole-glue-job']);
  });

  it('drops a path when a Deny or the permissions boundary removes one of its permissions', () => {
    const base = [policy('p', allow(['iam:PassRole', 'ec2:RunInstances', 'ssm:SendCommand']))];
    expect(ids(principal('iam-role', base))).toEqual(['passrole-ec2', 'ssm-send-command']);
    expect(ids(principal('iam-role', [...base, policy('guard', deny(['ssm:SendCommand']))]))).toEqual(['passrole-ec2']);
    const boundary = { arn: 'arn:aws:iam::111111111111:policy/b', doc: { Statement: [allow(['ec2:*', 'ssm:*']), deny(['iam:*'])] } };
    expect(ids(principal('iam-role', base, { boundary }))).toEqual(['ssm-send-command']);
  });

  it('a role that can rewrite its own inline policy escalates itself; on another role it needs AssumeRole', () => {
    const own = paths(principal('iam-role', [policy('p', allow(['iam:PutRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/worker`]))]));
    expect(own).toEqual([expect.objectContaining({ id: 'iam-put-role-policy', scope: 'self', resources: [`arn:aws:iam::${ACCOUNT}:role/worker`] })]);
    const other = [policy('p', allow(['iam:PutRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/admin`]))];
    expect(ids(principal('iam-role', other))).toEqual([]);
    const withAssume = paths(principal('iam-user', [...other, policy('a', allow(['sts:AssumeRole'], [`arn:aws:iam::${ACCOUNT}:role/admin`]))]));
    expect(withAssume).toEqual([
      expect.objectContaining({ id: 'iam-put-role-policy-assume', scope: 'limited', resources: [`arn:aws:iam::${ACCOUNT}:role/admin`] }),
    ]);
  });

  it('a user can escalate through its own group and its own customer-managed policy', () => {
    const group = `arn:aws:iam::${ACCOUNT}:group/devs`;
    const mine = `arn:aws:iam::${ACCOUNT}:policy/alice-tools`;
    const found = paths(
      principal('iam-user', [policy('p', allow(['iam:AttachGroupPolicy'], [group]), allow(['iam:CreatePolicyVersion'], [mine]))], {
        groupArns: [group],
        managedPolicyArns: [mine, 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
      }),
    );
    expect(found.map((p) => [p.id, p.scope])).toEqual([
      ['iam-create-policy-version', 'self'],
      ['iam-attach-group-policy', 'self'],
    ]);
  });

  it('minting keys for oneself is self-service, for every user it is principal access', () => {
    const self = principal('iam-user', [policy('p', allow(['iam:CreateAccessKey'], ['arn:aws:iam::*:user/${aws:username}']))]);
    expect(ids(self)).toEqual([]);
    const anyone = principal('iam-user', [policy('p', allow(['iam:CreateAccessKey'], [`arn:aws:iam::${ACCOUNT}:user/*`]))]);
    expect(paths(anyone)).toEqual([expect.objectContaining({ id: 'iam-create-access-key', scope: 'any' })]);
  });

  it('marks a path conditional when a permission holds only under a condition', () => {
    const found = paths(principal('iam-role', [policy('p', allow(['ssm:SendCommand'], ['*'], { StringEquals: { 'aws:ResourceTag/env': 'dev' } }))]));
    expect(found).toEqual([expect.objectContaining({ id: 'ssm-send-command', conditional: true })]);
  });

  it('removing its own permissions boundary counts only for a principal that has one', () => {
    const p = [policy('p', allow(['iam:DeleteRolePermissionsBoundary']))];
    expect(ids(principal('iam-role', p))).toEqual([]);
    const boundary = { arn: 'arn:aws:iam::111111111111:policy/b', doc: { Statement: [allow(['iam:DeleteRolePermissionsBoundary'])] } };
    expect(ids(principal('iam-role', p, { boundary }))).toEqual(['iam-remove-role-permissions-boundary']);
  });

  it('finds the Bedrock AgentCore code-interpreter path', () => {
    const found = ids(
      principal('iam-role', [
        policy('p', allow(['iam:PassRole', 'bedrock-agentcore:CreateCodeInterpreter', 'bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'])),
      ]),
    );
    expect(found).toEqual(['passrole-agentcore-code-interpreter', 'agentcore-code-interpreter-session']);
  });

  it('an ECS task with a new task definition is pathfinding.cloud ecs-004; RunTask alone is the task-role override, reported once', () => {
    const withDefinition = ids(principal('iam-role', [policy('p', allow(['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask']))]));
    expect(withDefinition).toContain('passrole-ecs-task');
    expect(withDefinition).not.toContain('passrole-ecs-task-override');
    const overrideOnly = ids(principal('iam-role', [policy('p', allow(['iam:PassRole', 'ecs:RunTask']))]));
    expect(overrideOnly).toContain('passrole-ecs-task-override');
    expect(overrideOnly).not.toContain('passrole-ecs-task');
  });

  it('EC2 Instance Connect needs no ec2:DescribeInstances (a read the catalogue lists to find the instance)', () => {
    expect(ids(principal('iam-role', [policy('p', allow(['ec2-instance-connect:SendSSHPublicKey']))]))).toContain('ec2-instance-connect');
  });

  it('reports no paths for a principal that already holds every action on every resource', () => {
    expect(paths(principal('iam-role', [policy('AdministratorAccess', allow(['*']))]))).toEqual([]);
  });
});

describe('UpdateAssumeRolePolicy', () => {
  it('alone is an escalation: a trust naming the principal itself needs no sts:AssumeRole', () => {
    expect(ids(principal('iam-user', [policy('p', allow(['iam:UpdateAssumeRolePolicy']))]))).toContain('iam-update-assume-role-policy-alone');
    // With sts:AssumeRole too, the classic pair is reported once, not both.
    const both = ids(principal('iam-role', [policy('p', allow(['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole']))]));
    expect(both).toContain('iam-update-assume-role-policy');
    expect(both).not.toContain('iam-update-assume-role-policy-alone');
  });
});

describe('escalation paths shared between principals', () => {
  it('are one object where two principals have equal paths, and their own where the reach differs', () => {
    const shared = new SharedAnalyses<PolicyAnalysis>();
    const admin = [policy('iam', allow(['iam:AttachRolePolicy', 'iam:CreatePolicyVersion']))];
    const a = analysePrincipal(principal('iam-role', admin, { name: 'a', arn: `arn:aws:iam::${ACCOUNT}:role/a` }), shared).escalationPaths;
    const b = analysePrincipal(principal('iam-role', admin, { name: 'b', arn: `arn:aws:iam::${ACCOUNT}:role/b` }), shared).escalationPaths;
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    a.forEach((p, i) => expect(b[i]).toBe(p));
    // Self-service paths name each principal's own role: never shared.
    const own = [policy('self', allow(['iam:PutRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/\${aws:PrincipalTag/x}`, `arn:aws:iam::${ACCOUNT}:role/c`, `arn:aws:iam::${ACCOUNT}:role/d`]))];
    const c = analysePrincipal(principal('iam-role', own, { name: 'c', arn: `arn:aws:iam::${ACCOUNT}:role/c` }), shared).escalationPaths;
    const d = analysePrincipal(principal('iam-role', own, { name: 'd', arn: `arn:aws:iam::${ACCOUNT}:role/d` }), shared).escalationPaths;
    const selfOf = (list: typeof c) => list.find((p) => p.scope === 'self');
    expect(selfOf(c)?.resources).toContain(`arn:aws:iam::${ACCOUNT}:role/c`);
    expect(selfOf(d)?.resources).toContain(`arn:aws:iam::${ACCOUNT}:role/d`);
    expect(selfOf(d)).not.toBe(selfOf(c));
    // Without a shared cache each analysis makes its own, equal, paths.
    const alone = analysePrincipal(principal('iam-role', admin, { name: 'a', arn: `arn:aws:iam::${ACCOUNT}:role/a` })).escalationPaths;
    expect(alone).toEqual(a);
    expect(alone[0]).not.toBe(a[0]);
  });
});

describe('holder entitlements shared between principals', () => {
  it('are one object for every holder of a policy judged the same, and their own where the holder changes the judgement', () => {
    const reader = policy('reader', allow(['s3:GetObject']));
    // Each principal also holds a policy of its own, so no two analyses are the same one.
    const a = analysePrincipal(principal('iam-role', [reader, policy('a', allow(['sqs:SendMessage']))], { name: 'a', arn: `arn:aws:iam::${ACCOUNT}:role/a` }));
    const b = analysePrincipal(principal('iam-role', [reader, policy('b', allow(['sns:Publish']))], { name: 'b', arn: `arn:aws:iam::${ACCOUNT}:role/b` }));
    const readerOf = (x: typeof a) => x.entitlements.find((e) => e.via.name === 'reader')!;
    expect(readerOf(a)).toEqual(readerOf(b));
    expect(readerOf(b)).toBe(readerOf(a));
    // Rewriting role c's own policies makes c an administrator, and not d.
    const self = policy('self', allow(['iam:PutRolePolicy'], [`arn:aws:iam::${ACCOUNT}:role/c`]));
    const c = analysePrincipal(principal('iam-role', [self], { name: 'c', arn: `arn:aws:iam::${ACCOUNT}:role/c` })).entitlements[0];
    const d = analysePrincipal(principal('iam-role', [self], { name: 'd', arn: `arn:aws:iam::${ACCOUNT}:role/d` })).entitlements[0];
    expect(c.level).toBe('admin');
    expect(d.level).not.toBe('admin');
    const d2 = analysePrincipal(principal('iam-role', [self], { name: 'e', arn: `arn:aws:iam::${ACCOUNT}:role/e` })).entitlements[0];
    expect(d2).toBe(d);
  });
});
