import { CALLS, ORG_CALLS } from '../files.js';
import { ASSUME_ROLE, LIST_ACCOUNTS } from './calls.js';

// The IAM policy agentscan itself needs: read-only, and nothing it does not call. Derived from
// the call names the collector uses, so the two cannot drift apart.

/** sts:GetCallerIdentity needs no permission: AWS allows it to every principal. */
const NEEDS_NO_PERMISSION = new Set<string>([CALLS.callerIdentity]);

/** IAM reads, in each collected account (the scanner's own, and the role in every other one). */
export const ACCOUNT_READ_ACTIONS: string[] = [
  ...Object.values(CALLS).filter((c) => !NEEDS_NO_PERMISSION.has(c)),
  // The credential report must be generated before it can be read.
  'iam:GenerateCredentialReport',
].sort();

export const DEFAULT_ROLE_NAME = 'agentscan-read';

export interface PolicyOptions {
  /** Include the statements for --aws-accounts / --aws-organization: assume the role, list the accounts. */
  multiAccount?: boolean;
  /** The role name given to --aws-assume-role. */
  roleName?: string;
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string | string[] }[];
}

export function scannerPolicy(opts: PolicyOptions = {}): IamPolicy {
  const policy: IamPolicy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AgentScanReadIam', Effect: 'Allow', Action: ACCOUNT_READ_ACTIONS, Resource: '*' }],
  };
  if (opts.multiAccount) {
    policy.Statement.push(
      {
        Sid: 'AgentScanAssumeReadRole',
        Effect: 'Allow',
        Action: [ASSUME_ROLE],
        Resource: `arn:aws:iam::*:role/${opts.roleName ?? DEFAULT_ROLE_NAME}`,
      },
      { Sid: 'AgentScanListAccounts', Effect: 'Allow', Action: [LIST_ACCOUNTS], Resource: '*' },
      // The organisation's tree and its service and resource control policies (--aws-organization).
      { Sid: 'AgentScanReadOrganizationPolicies', Effect: 'Allow', Action: Object.values(ORG_CALLS).sort(), Resource: '*' },
    );
  }
  return policy;
}

/** The trust policy of the role in each member account: only the scanner's identity may assume it. */
export function memberRoleTrustPolicy(scannerArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: scannerArn }, Action: 'sts:AssumeRole' }],
  };
}
