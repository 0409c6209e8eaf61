import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountEstate } from './aws-iam.js';

// Estates for the AWS emulator: one read back from a bundle's account folder (so a collected
// bundle can be compared with the data served), and synthetic ones sized for call counting.

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

/** The account folder of a bundle (e.g. fixtures/demo/aws/<id>) as an estate: every page joined. */
export function estateFromBundle(accountDir: string, id: string): AccountEstate {
  const estate: AccountEstate = { id, users: [], groups: [], roles: [], policies: [], credentialReport: '', accessKeys: {}, keyLastUsed: {} };
  for (let n = 1; existsSync(join(accountDir, `iam-get-account-authorization-details.page-${n}.json`)); n++) {
    const page = readJson(join(accountDir, `iam-get-account-authorization-details.page-${n}.json`));
    estate.users.push(...(page.UserDetailList ?? []));
    estate.groups.push(...(page.GroupDetailList ?? []));
    estate.roles.push(...(page.RoleDetailList ?? []));
    estate.policies.push(...(page.Policies ?? []));
  }
  const described = new Map<string, string>();
  for (let n = 1; existsSync(join(accountDir, `iam-list-roles.page-${n}.json`)); n++) {
    for (const r of readJson(join(accountDir, `iam-list-roles.page-${n}.json`)).Roles ?? []) if (r.Description) described.set(r.RoleName, r.Description);
  }
  estate.roles = estate.roles.map((r) => (described.has(r.RoleName as string) ? { ...r, Description: described.get(r.RoleName as string) } : r));
  estate.credentialReport = readFileSync(join(accountDir, 'iam-get-credential-report.csv'), 'utf8');
  estate.alias = readJson(join(accountDir, 'iam-list-account-aliases.json')).AccountAliases[0];
  for (const f of readdirSync(join(accountDir, 'iam-list-access-keys'))) {
    const listing = readJson(join(accountDir, 'iam-list-access-keys', f));
    estate.accessKeys[f.replace(/\.json$/, '')] = listing.AccessKeyMetadata;
  }
  for (const f of readdirSync(join(accountDir, 'iam-get-access-key-last-used'))) {
    estate.keyLastUsed[f.replace(/\.json$/, '')] = readJson(join(accountDir, 'iam-get-access-key-last-used', f)) as AccountEstate['keyLastUsed'][string];
  }
  return estate;
}

/** IAM's encoding of a policy document: URL-encoded JSON. */
export const encodePolicy = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

const REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

export interface SyntheticSize {
  id: string;
  /** IAM users; the first `usersWithKeys` of them hold `keysPerUser` keys. */
  users: number;
  usersWithKeys: number;
  keysPerUser?: 1 | 2;
  roles: number;
  alias?: string;
}

/** A generated account: users (some with keys), roles trusted by Lambda, one group and one managed policy. */
export function syntheticEstate(size: SyntheticSize): AccountEstate {
  const { id } = size;
  const keysPerUser = size.keysPerUser ?? 1;
  const created = '2025-01-15T10:00:00.000Z';
  const estate: AccountEstate = { id, alias: size.alias, users: [], groups: [], roles: [], policies: [], credentialReport: '', accessKeys: {}, keyLastUsed: {} };
  const policyArn = `arn:aws:iam::${id}:policy/reader`;
  estate.policies.push({
    PolicyName: 'reader',
    PolicyId: 'ANPAEMULATORREADER01',
    Arn: policyArn,
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: size.users + size.roles,
    IsAttachable: true,
    CreateDate: created,
    UpdateDate: created,
    PolicyVersionList: [
      {
        Document: encodePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] }),
        VersionId: 'v1',
        IsDefaultVersion: true,
        CreateDate: created,
      },
    ],
  });
  estate.groups.push({
    Path: '/',
    GroupName: 'readers',
    GroupId: 'AGPAEMULATORREADERS1',
    Arn: `arn:aws:iam::${id}:group/readers`,
    CreateDate: created,
    GroupPolicyList: [],
    AttachedManagedPolicies: [{ PolicyName: 'reader', PolicyArn: policyArn }],
  });
  const rows = [
    `<root_account>,arn:aws:iam::${id}:root,2019-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  ];
  for (let i = 0; i < size.users; i++) {
    const name = `user-${String(i).padStart(3, '0')}`;
    estate.users.push({
      Path: '/',
      UserName: name,
      UserId: `AIDAEMULATOR${String(i).padStart(8, '0')}`,
      Arn: `arn:aws:iam::${id}:user/${name}`,
      CreateDate: created,
      UserPolicyList: [
        { PolicyName: 'own-bucket', PolicyDocument: encodePolicy({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${name}/*` } }) },
      ],
      GroupList: ['readers'],
      AttachedManagedPolicies: [],
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    const keys = i < size.usersWithKeys ? keysPerUser : 0;
    const slot = (n: number) => (n <= keys ? `true,2025-02-01T00:00:00+00:00,2026-01-10T00:00:00+00:00,us-east-1,s3` : 'false,N/A,N/A,N/A,N/A');
    rows.push(`${name},arn:aws:iam::${id}:user/${name},2025-01-15T10:00:00+00:00,false,N/A,N/A,N/A,false,${slot(1)},${slot(2)},false,N/A,false,N/A`);
    if (keys > 0) {
      estate.accessKeys[name] = [];
      for (let k = 1; k <= keys; k++) {
        const keyId = `AKIA${id.slice(0, 4)}U${String(i).padStart(3, '0')}K${k}XXXXXX`.slice(0, 20);
        estate.accessKeys[name].push({ UserName: name, AccessKeyId: keyId, Status: 'Active', CreateDate: '2025-02-01T00:00:00.000Z' });
        estate.keyLastUsed[keyId] = { UserName: name, AccessKeyLastUsed: { LastUsedDate: '2026-01-10T00:00:00.000Z', ServiceName: 's3', Region: 'us-east-1' } };
      }
    }
  }
  for (let i = 0; i < size.roles; i++) {
    const name = `role-${String(i).padStart(3, '0')}`;
    estate.roles.push({
      Path: '/',
      RoleName: name,
      RoleId: `AROAEMULATOR${String(i).padStart(8, '0')}`,
      Arn: `arn:aws:iam::${id}:role/${name}`,
      CreateDate: created,
      AssumeRolePolicyDocument: encodePolicy({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      InstanceProfileList: [],
      RolePolicyList: [],
      AttachedManagedPolicies: [{ PolicyName: 'reader', PolicyArn: policyArn }],
      Tags: [],
      RoleLastUsed: { LastUsedDate: '2026-01-12T08:00:00.000Z', Region: 'us-east-1' },
    });
  }
  estate.credentialReport = `${REPORT_HEADER}\n${rows.join('\n')}\n`;
  return estate;
}

/** An organisation with every account under its root and only AWS's default FullAWSAccess SCP. */
export function flatOrgTree(accountIds: string[]): import('./aws-iam.js').OrgTree {
  return {
    id: 'o-flat000001',
    rootId: 'r-f1at',
    ous: [],
    accountParents: Object.fromEntries(accountIds.map((id) => [id, 'r-f1at'])),
    policies: [
      {
        Id: 'p-FullAWSAccess',
        Name: 'FullAWSAccess',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        targets: ['r-f1at', ...accountIds],
      },
    ],
  };
}
