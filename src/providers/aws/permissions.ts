import type { AccessLevel, Risk } from '../../model/inventory.js';

// How powerful one IAM policy statement is, and why it is dangerous. A small, explicit table
// after Cloudsplaining's risk categories and the well-known IAM privilege-escalation paths
// (Rhino Security Labs). It judges one statement at a time: combinations spread over several
// statements or policies (lambda:CreateFunction here, iam:PassRole there) and Deny/boundary
// subtraction belong to the later identity-wide effective-permission analysis.

/** The actions and resource reach of one statement, as the table needs them. */
export interface StatementReach {
  /** Action patterns; undefined when the statement is written with NotAction. */
  actions?: readonly string[];
  /** NotAction patterns: the statement covers every action except these. */
  notActions?: readonly string[];
  /** The statement applies to every resource: Resource "*" or a NotResource exclusion. */
  anyResource: boolean;
}

/** With any of these on every resource the holder can grant itself any permission, so the
 * grant is admin-equivalent. "*" and "iam:*" cover them all; so does IAMFullAccess. */
const ADMIN_EQUIVALENT_ACTIONS = [
  'iam:AttachUserPolicy', // attach AdministratorAccess to oneself…
  'iam:AttachGroupPolicy', // …or to one's group
  'iam:AttachRolePolicy', // …or to one's role
  'iam:PutUserPolicy', // write an inline Allow * policy
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:CreatePolicyVersion', // rewrite a managed policy one already holds
  'iam:SetDefaultPolicyVersion', // switch a held policy to a more permissive old version
];

interface RiskyAction {
  action: string;
  risks: Risk[];
  /** Dangerous only when granted on every resource (sts:AssumeRole on one named role is normal). */
  onlyOnAnyResource?: true;
}

const RISKY_ACTIONS: RiskyAction[] = [
  // privilege-escalation: the holder can end up acting with more permission than it was given.
  ...ADMIN_EQUIVALENT_ACTIONS.map((action): RiskyAction => ({ action, risks: ['privilege-escalation'] })),
  { action: 'iam:PassRole', risks: ['privilege-escalation'] }, // hand a stronger role to Lambda/EC2/Glue code one controls
  { action: 'iam:AddUserToGroup', risks: ['privilege-escalation'] }, // join a more powerful group
  { action: 'iam:UpdateAssumeRolePolicy', risks: ['privilege-escalation', 'resource-exposure'] }, // let oneself (or anyone) assume a role
  { action: 'iam:CreateAccessKey', risks: ['privilege-escalation', 'credential-exposure'] }, // mint keys for another user
  { action: 'iam:CreateLoginProfile', risks: ['privilege-escalation', 'credential-exposure'] }, // give another user a console password
  { action: 'iam:UpdateLoginProfile', risks: ['privilege-escalation', 'credential-exposure'] }, // reset another user's password
  { action: 'sts:AssumeRole', risks: ['privilege-escalation'], onlyOnAnyResource: true }, // hop into any role that trusts the account
  { action: 'lambda:UpdateFunctionCode', risks: ['privilege-escalation', 'infrastructure-modification'] }, // run code as an existing function's role
  // credential-exposure: read or create secrets and credentials.
  { action: 'secretsmanager:GetSecretValue', risks: ['credential-exposure'] },
  { action: 'ssm:GetParameter', risks: ['credential-exposure'] }, // SecureString parameters hold secrets
  { action: 'ssm:GetParameters', risks: ['credential-exposure'] },
  { action: 'ssm:GetParametersByPath', risks: ['credential-exposure'] },
  // data-exfiltration: read the data itself, not just its metadata.
  { action: 's3:GetObject', risks: ['data-exfiltration'] },
  { action: 'dynamodb:Scan', risks: ['data-exfiltration'] },
  { action: 'dynamodb:Query', risks: ['data-exfiltration'] },
  { action: 'dynamodb:GetItem', risks: ['data-exfiltration'] },
  { action: 'dynamodb:BatchGetItem', risks: ['data-exfiltration'] },
  { action: 'rds:CreateDBSnapshot', risks: ['data-exfiltration'] },
  // resource-exposure: change who else may reach a resource (resource policies, ACLs, grants).
  { action: 's3:PutBucketPolicy', risks: ['resource-exposure'] },
  { action: 's3:PutBucketAcl', risks: ['resource-exposure'] },
  { action: 's3:PutObjectAcl', risks: ['resource-exposure'] },
  { action: 's3:PutBucketPublicAccessBlock', risks: ['resource-exposure'] },
  { action: 'kms:PutKeyPolicy', risks: ['resource-exposure'] },
  { action: 'kms:CreateGrant', risks: ['resource-exposure'] },
  { action: 'lambda:AddPermission', risks: ['resource-exposure'] },
  { action: 'secretsmanager:PutResourcePolicy', risks: ['resource-exposure'] },
  { action: 'ecr:SetRepositoryPolicy', risks: ['resource-exposure'] },
  { action: 'ec2:ModifySnapshotAttribute', risks: ['resource-exposure'] },
  { action: 'rds:ModifyDBSnapshotAttribute', risks: ['resource-exposure'] },
  // infrastructure-modification: create, change or destroy running infrastructure.
  { action: 'ec2:RunInstances', risks: ['infrastructure-modification'] },
  { action: 'ec2:TerminateInstances', risks: ['infrastructure-modification'] },
  { action: 'ec2:AuthorizeSecurityGroupIngress', risks: ['infrastructure-modification'] },
  { action: 'lambda:CreateFunction', risks: ['infrastructure-modification'] },
  { action: 'lambda:DeleteFunction', risks: ['infrastructure-modification'] },
  { action: 'cloudformation:CreateStack', risks: ['infrastructure-modification'] },
  { action: 'cloudformation:UpdateStack', risks: ['infrastructure-modification'] },
  { action: 'cloudformation:DeleteStack', risks: ['infrastructure-modification'] },
  { action: 'ecs:UpdateService', risks: ['infrastructure-modification'] },
  { action: 'ecs:RegisterTaskDefinition', risks: ['infrastructure-modification'] },
  { action: 's3:DeleteBucket', risks: ['infrastructure-modification'] },
  { action: 'dynamodb:DeleteTable', risks: ['infrastructure-modification'] },
  { action: 'rds:DeleteDBInstance', risks: ['infrastructure-modification'] },
];

const RISK_ORDER: Risk[] = [
  'privilege-escalation',
  'resource-exposure',
  'data-exfiltration',
  'credential-exposure',
  'infrastructure-modification',
];

/** Verbs of actions that only read (AWS's "List" and "Read" access levels). */
const READ_VERBS = ['get', 'list', 'describe', 'batchget', 'query', 'scan', 'select', 'search', 'lookup', 'view'];
/** Actions and patterns the Service Authorization Reference classes as Read although their verb does not say so. */
const READ_ACTIONS = new Set(
  [
    'bedrock:InvokeModel',
    'bedrock:InvokeModelWithResponseStream',
    'bedrock:InvokeModel*',
    'iam:GenerateCredentialReport',
    'iam:GenerateServiceLastAccessedDetails',
    'iam:Generate*',
    'textract:AnalyzeDocument',
    'textract:AnalyzeExpense',
    'textract:AnalyzeID',
    'textract:DetectDocumentText',
  ].map((a) => a.toLowerCase()),
);

const patterns = new Map<string, RegExp>();

/** IAM action matching: case-insensitive, `*` any run of characters, `?` one character. */
export function actionMatches(pattern: string, action: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((run) => run.split('?').map((s) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.'))
      .join('.*');
    re = new RegExp(`^${body}$`, 'i');
    patterns.set(pattern, re);
  }
  return re.test(action);
}

/** Whether the statement covers an action (Action lists it, or NotAction does not exclude it). */
export function coversAction(reach: StatementReach, action: string): boolean {
  if (reach.actions) return reach.actions.some((p) => actionMatches(p, action));
  return !(reach.notActions ?? []).some((p) => actionMatches(p, action));
}

function isReadPattern(pattern: string): boolean {
  const lower = pattern.toLowerCase();
  if (READ_ACTIONS.has(lower)) return true;
  const name = lower.slice(lower.indexOf(':') + 1);
  return READ_VERBS.some((verb) => name.startsWith(verb));
}

/** admin when the holder can grant itself anything; read when every action only reads; else write. */
export function accessLevel(reach: StatementReach): AccessLevel {
  if (reach.anyResource && ADMIN_EQUIVALENT_ACTIONS.some((a) => coversAction(reach, a))) return 'admin';
  if (reach.actions && reach.actions.every(isReadPattern)) return 'read';
  return 'write';
}

/** The risks the statement carries, in a fixed order. */
export function risksOf(reach: StatementReach): Risk[] {
  const found = new Set<Risk>();
  for (const entry of RISKY_ACTIONS) {
    if (entry.onlyOnAnyResource && !reach.anyResource) continue;
    if (coversAction(reach, entry.action)) entry.risks.forEach((r) => found.add(r));
  }
  return RISK_ORDER.filter((r) => found.has(r));
}

/** Risks of several grants together, in the same fixed order. */
export function unionRisks(...lists: Risk[][]): Risk[] {
  const all = new Set(lists.flat());
  return RISK_ORDER.filter((r) => all.has(r));
}

const LEVEL_ORDER: AccessLevel[] = ['read', 'write', 'admin'];

export function higherLevel(a: AccessLevel, b: AccessLevel): AccessLevel {
  return LEVEL_ORDER.indexOf(b) > LEVEL_ORDER.indexOf(a) ? b : a;
}
