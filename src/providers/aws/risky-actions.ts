import type { Risk } from '../../model/inventory.js';

// The risky actions named one by one: what the IAM action catalogue cannot tell by access level
// or name (a SecureString parameter is a secret; sts:AssumeRole is dangerous only on every role),
// and the actions an identity's summary lists with where they are allowed.

/** With any of these on every resource the holder can grant itself any permission, so the
 * grant is admin-equivalent. "*" and "iam:*" cover them all; so does IAMFullAccess. */
export const ADMIN_EQUIVALENT_ACTIONS = [
  'iam:AttachUserPolicy', // attach AdministratorAccess to oneself…
  'iam:AttachGroupPolicy', // …or to one's group
  'iam:AttachRolePolicy', // …or to one's role
  'iam:PutUserPolicy', // write an inline Allow * policy
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:CreatePolicyVersion', // rewrite a managed policy one already holds
  'iam:SetDefaultPolicyVersion', // switch a held policy to a more permissive old version
];

export interface RiskyAction {
  action: string;
  risks: Risk[];
  /** Dangerous only when granted on every resource (sts:AssumeRole on one named role is normal). */
  onlyOnAnyResource?: true;
}

export const RISKY_ACTIONS: RiskyAction[] = [
  ...ADMIN_EQUIVALENT_ACTIONS.map((action): RiskyAction => ({ action, risks: ['privilege-escalation'] })),
  { action: 'iam:PassRole', risks: ['privilege-escalation'] }, // hand a stronger role to compute one controls
  { action: 'iam:AddUserToGroup', risks: ['privilege-escalation'] }, // join a more powerful group
  { action: 'iam:UpdateAssumeRolePolicy', risks: ['privilege-escalation', 'resource-exposure'] }, // let oneself (or anyone) assume a role
  { action: 'iam:CreateAccessKey', risks: ['privilege-escalation', 'credential-exposure'] }, // mint keys for another user
  { action: 'iam:CreateLoginProfile', risks: ['privilege-escalation', 'credential-exposure'] }, // give another user a console password
  { action: 'iam:UpdateLoginProfile', risks: ['privilege-escalation', 'credential-exposure'] }, // reset another user's password
  { action: 'iam:CreateServiceSpecificCredential', risks: ['privilege-escalation', 'credential-exposure'] }, // CodeCommit/Keyspaces password for another user
  { action: 'iam:ResetServiceSpecificCredential', risks: ['privilege-escalation', 'credential-exposure'] },
  { action: 'iam:UploadSSHPublicKey', risks: ['privilege-escalation', 'credential-exposure'] }, // CodeCommit SSH as another user
  { action: 'sts:AssumeRole', risks: ['privilege-escalation'], onlyOnAnyResource: true }, // hop into any role that trusts the account
  { action: 'lambda:UpdateFunctionCode', risks: ['privilege-escalation', 'infrastructure-modification'] }, // run code as an existing function's role
  // credential-exposure: secrets the catalogue's names do not give away.
  { action: 'secretsmanager:GetSecretValue', risks: ['credential-exposure'] },
  { action: 'ssm:GetParameter', risks: ['credential-exposure'] }, // SecureString parameters hold secrets
  { action: 'ssm:GetParameters', risks: ['credential-exposure'] },
  { action: 'ssm:GetParametersByPath', risks: ['credential-exposure'] },
  { action: 'kms:Decrypt', risks: ['credential-exposure', 'data-exfiltration'] }, // every secret and object encrypted under the account's keys
  { action: 'redshift:GetClusterCredentialsWithIAM', risks: ['credential-exposure'] },
  { action: 'cognito-identity:GetCredentialsForIdentity', risks: ['credential-exposure'] },
  { action: 'lightsail:GetInstanceAccessDetails', risks: ['credential-exposure'] },
  { action: 'gamelift:GetInstanceAccess', risks: ['credential-exposure'] },
  // data-exfiltration: read the data itself, not just its metadata.
  { action: 's3:GetObject', risks: ['data-exfiltration'] },
  { action: 'dynamodb:Scan', risks: ['data-exfiltration'] },
  { action: 'dynamodb:Query', risks: ['data-exfiltration'] },
  { action: 'dynamodb:GetItem', risks: ['data-exfiltration'] },
  { action: 'dynamodb:BatchGetItem', risks: ['data-exfiltration'] },
  { action: 'rds:CreateDBSnapshot', risks: ['data-exfiltration'] }, // copy a database out through a snapshot
  { action: 'rds:CreateDBClusterSnapshot', risks: ['data-exfiltration'] },
  { action: 'ec2:CreateSnapshot', risks: ['data-exfiltration'] },
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
