import { beforeAll, describe, expect, it } from 'vitest';
import { classifyAll } from '../../../src/classify/classify.js';
import { loadPatterns } from '../../../src/classify/patterns.js';
import type { Finding } from '../../../src/model/finding.js';
import type { Identity } from '../../../src/model/inventory.js';
import type { EscalationPath } from '../../../src/providers/aws/analysis/escalation.js';
import type { EffectiveSummary } from '../../../src/providers/aws/analysis/summary.js';
import { normalizeAws } from '../../../src/providers/aws/normalize.js';
import { evaluateRules } from '../../../src/rules/evaluate.js';
import { loadRules } from '../../../src/rules/load.js';
import { COLLECTED_AT, demoReader } from './helpers.js';

// The IAM analysis on the demo account, from effective permissions to the findings it feeds.

let identities: Identity[];
let findings: Finding[];
const rules = loadRules().filter((r) => !r.providers || r.providers.includes('aws'));

const byName = (name: string) => {
  const found = identities.find((i) => i.name === name);
  if (!found) throw new Error(`no identity ${name}`);
  return found;
};
const summary = (name: string) => byName(name).attributes.effectivePermissions as EffectiveSummary;
const paths = (name: string) => byName(name).attributes.escalationPaths as EscalationPath[];
// A rule judged an identity when its finding stands alone or was folded into another on the same root cause.
const fired = (ruleId: string) =>
  findings.filter((f) => f.ruleId === ruleId || f.related?.some((r) => r.ruleId === ruleId)).map((f) => f.identityName).sort();

beforeAll(() => {
  identities = classifyAll(normalizeAws(demoReader()), loadPatterns());
  const settings = new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }]));
  const result = evaluateRules(identities, rules, COLLECTED_AT, settings);
  expect(result.errors).toEqual([]);
  findings = result.findings;
});

describe('effective permissions on the demo account', () => {
  it('bedrock-triage-agent: PowerUserAccess plus PassRole and CreateFunction is write, with every PassRole path open', () => {
    expect(byName('bedrock-triage-agent').entitlements.map((e) => e.level)).toEqual(['write', 'write']);
    expect(summary('bedrock-triage-agent').services).toMatchObject({ '*': 'all', iam: expect.stringMatching(/^4\/\d+$/) });
    const lambda = paths('bedrock-triage-agent').find((p) => p.id === 'passrole-lambda');
    // PowerUserAccess leaves IAM out; iam:PassRole comes from the inline triage-automation policy.
    expect(lambda).toEqual(expect.objectContaining({ scope: 'any', permissions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'] }));
    expect(paths('bedrock-triage-agent').map((p) => p.id)).toEqual(
      expect.arrayContaining(['passrole-agentcore-code-interpreter', 'passrole-sagemaker-notebook', 'ssm-send-command', 'sts-assume-any-role']),
    );
  });

  it('data-labeling-agent can rewrite its own role policy: admin-equivalent without any "*"', () => {
    const selfTune = byName('data-labeling-agent').entitlements.find((e) => e.resource.endsWith(':role/data-labeling-agent'))!;
    expect(selfTune).toMatchObject({ level: 'admin', standing: true, risks: ['privilege-escalation'] });
    expect(summary('data-labeling-agent').adminEquivalent).toEqual(['iam:PutRolePolicy']);
    expect(paths('data-labeling-agent')).toEqual([expect.objectContaining({ id: 'iam-put-role-policy', scope: 'self' })]);
  });

  it('ops-automation can write a new default version of the policy it holds', () => {
    expect(paths('ops-automation')).toEqual([
      expect.objectContaining({ id: 'iam-create-policy-version', scope: 'self', resources: ['arn:aws:iam::314159265358:policy/ops-automation-policy'] }),
    ]);
    expect(byName('ops-automation').entitlements.map((e) => e.level)).toEqual(['write', 'admin']);
  });

  it('sandbox-runner holds AdministratorAccess, but its boundary leaves S3, DynamoDB, logs and metrics: write, not admin', () => {
    const [grant] = byName('sandbox-runner').entitlements;
    expect(grant).toMatchObject({ permissions: ['*'], level: 'write', via: { name: 'AdministratorAccess' } });
    expect(grant.risks).not.toContain('privilege-escalation');
    expect(Object.keys(summary('sandbox-runner').services).sort()).toEqual(['cloudwatch', 'dynamodb', 'logs', 's3']);
    expect(summary('sandbox-runner').deniedActions).toBeGreaterThan(20_000);
    expect(paths('sandbox-runner')).toEqual([]);
  });

  it('kb-sync-agent: PassRole pinned to Glue opens the Glue path only, and a Deny closes SendCommand', () => {
    expect(paths('kb-sync-agent').map((p) => p.id)).toEqual(['passrole-glue-job']);
    expect(summary('kb-sync-agent').riskyActions).not.toHaveProperty('ssm:SendCommand');
    expect(summary('kb-sync-agent').riskyActions['iam:PassRole']).toBe('* (conditional)');
    expect(summary('kb-sync-agent').deniedActions).toBe(1);
  });

  it('github-actions-deploy can update any stack; its PassRole reaches only role/ecs-task-*', () => {
    expect(paths('github-actions-deploy')).toEqual([
      expect.objectContaining({ id: 'passrole-ecs-service', scope: 'limited', resources: ['arn:aws:iam::314159265358:role/ecs-task-*'] }),
      expect.objectContaining({ id: 'cloudformation-update-stack', scope: 'any' }),
    ]);
  });

  it('svc-llm-ingest stays inside its boundary; administrators have nothing left to escalate to', () => {
    expect(summary('svc-llm-ingest').actions).toBe(5);
    expect(Object.keys(summary('svc-llm-ingest').services)).toEqual(['bedrock', 's3', 'textract']);
    expect(paths('svc-llm-ingest')).toEqual([]);
    for (const name of ['ci-deployer', 'legacy-break-glass']) {
      expect(summary(name)).toMatchObject({ allActions: true, adminEquivalent: expect.arrayContaining(['iam:PutRolePolicy']) });
      expect(paths(name)).toEqual([]);
    }
  });

  it('jane.doe: her group’s inline policy and its attached ReadOnlyAccess are hers', () => {
    expect(summary('jane.doe').services).toMatchObject({ bedrock: expect.any(String), s3: expect.any(String) });
    expect(byName('jane.doe').entitlements.map((e) => e.level)).toEqual(['read', 'read']);
  });

  it('keeps the identity JSON compact: counts and named risky actions, never the action list', () => {
    for (const identity of identities) {
      expect(JSON.stringify(identity.attributes).length, identity.name).toBeLessThan(25_000);
    }
  });
});

describe('findings on the demo account', () => {
  it('escalation paths: critical for agents, high for other workloads; limited paths are left out', () => {
    expect(fired('agent-privilege-escalation-path')).toEqual(['bedrock-triage-agent', 'data-labeling-agent', 'kb-sync-agent']);
    expect(fired('aws-privilege-escalation-path')).toEqual(['github-actions-deploy', 'ops-automation']);
    const deploy = findings.find((f) => f.ruleId === 'aws-privilege-escalation-path' && f.identityName === 'github-actions-deploy')!;
    expect(deploy.evidence.paths).toEqual(['UpdateStack: cloudformation:UpdateStack']);
    const triage = findings.find((f) => f.ruleId === 'agent-privilege-escalation-path' && f.identityName === 'bedrock-triage-agent')!;
    expect(triage.evidence.paths).toContain('PassRole to a new Lambda function: iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction');
    expect(fired('privilege-escalation-permission')).toEqual([]);
  });

  it('standing admin follows the effective analysis', () => {
    expect(fired('standing-admin-access')).toEqual(['ci-deployer', 'legacy-break-glass', 'ops-automation']);
    expect(fired('agent-standing-admin')).toEqual(['data-labeling-agent']);
  });

  it('trust: anyone, an unknown external account, an unpinned GitHub OIDC trust', () => {
    expect(fired('trust-any-principal')).toEqual(['legacy-break-glass']);
    expect(fired('external-account-trust')).toEqual(['vendor-audit']);
    expect(fired('federated-trust-without-subject')).toEqual(['github-actions-deploy']);
  });

  it('keys: root key, two active keys, old, unused, never used (a programmatic-only user), console user whose key an agent uses', () => {
    expect(fired('root-access-key')).toEqual(['root']);
    expect(fired('multiple-active-keys')).toEqual(['ci-deployer']);
    expect(fired('credential-never-used')).toEqual(['svc-llm-ingest']);
    expect(fired('credential-unused')).toEqual(['old-chatbot', 'root']);
    expect(fired('credential-too-old')).toEqual(['ci-deployer', 'jane.doe', 'old-chatbot', 'root', 'svc-llm-ingest']);
    expect(fired('iam-user-console-and-keys')).toEqual(['jane.doe']);
  });
});
