import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ORG_CALLS, ORG_FILES } from '../../../src/providers/aws/files.js';
import { AwsIamEmulator, deny, type EmulatorOptions, type OrgTree } from '../../emulators/aws-iam.js';
import { encodePolicy, syntheticEstate } from '../../emulators/aws-estate.js';
import { collectInProcess, coverageOf, filesUnder, identitiesOf, removeScratch, useEmulator } from './collect-helpers.js';

interface Shape {
  type: string;
  members?: Record<string, { target: string; traits?: Record<string, unknown> }>;
  member?: { target: string };
  output?: { target: string };
  traits?: Record<string, unknown>;
}
const SPEC = JSON.parse(readFileSync(join(import.meta.dirname, '../../emulators/specs/aws/organizations.json'), 'utf8')) as { shapes: Record<string, Shape> };
const NS = 'com.amazonaws.organizations#';

/** Where `value` departs from the Smithy shape: unknown members, missing required ones, wrong types. */
function departures(value: unknown, id: string, at: string): string[] {
  if (id.startsWith('smithy.api#')) return [];
  const shape = SPEC.shapes[id];
  if (!shape) return [`${at}: shape ${id} not in the extract`];
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object for ${id}`];
      const out: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        const m = shape.members?.[k];
        out.push(...(m ? departures(v, m.target, `${at}.${k}`) : [`${at}.${k}: not a member of ${id}`]));
      }
      for (const [k, m] of Object.entries(shape.members ?? {})) if (m.traits?.['smithy.api#required'] !== undefined && !(k in value)) out.push(`${at}.${k}: required`);
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.flatMap((v, i) => departures(v, shape.member!.target, `${at}[${i}]`)) : [`${at}: expected a list`];
    case 'string':
    case 'timestamp':
      return typeof value === 'string' ? [] : [`${at}: expected a string`];
    case 'enum':
      return Object.values(shape.members ?? {}).some((m) => m.traits?.['smithy.api#enumValue'] === value) ? [] : [`${at}: ${String(value)} is not a value of ${id}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
    default:
      return [];
  }
}

const OPERATION_OF: [RegExp, string][] = [
  [/^organizations-describe-organization\.json$/, 'DescribeOrganization'],
  [/^organizations-list-roots\./, 'ListRoots'],
  [/^organizations-list-organizational-units-for-parent\//, 'ListOrganizationalUnitsForParent'],
  [/^organizations-list-accounts-for-parent\//, 'ListAccountsForParent'],
  [/^organizations-list-policies\//, 'ListPolicies'],
  [/^organizations-describe-policy\//, 'DescribePolicy'],
  [/^organizations-list-targets-for-policy\//, 'ListTargetsForPolicy'],
];

// --aws-organization also collects the organisation's tree and its service and resource control
// policies, and the normalizer applies them to every member account's effective permissions.

const MGMT = '111111111111';
const PROD = '222222222222';
const DEV = '333333333333';
const ORG = 'o-abcdef1234';
const ROLE = 'agentscan-read';
const FULL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const accounts = [MGMT, PROD, DEV].map((id) => {
  const estate = syntheticEstate({ id, users: 1, usersWithKeys: 0, roles: 1 });
  // An IAM administrator role: every iam action, which escalates through CreateAccessKey and more.
  estate.roles.push({
    Path: '/', RoleName: 'iam-admin', RoleId: `AROAIAMADMIN${id}`, Arn: `arn:aws:iam::${id}:role/iam-admin`, CreateDate: '2025-01-15T10:00:00.000Z',
    AssumeRolePolicyDocument: encodePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    InstanceProfileList: [], AttachedManagedPolicies: [], Tags: [], RoleLastUsed: {},
    RolePolicyList: [{ PolicyName: 'iam-all', PolicyDocument: encodePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:*', 's3:GetObject'], Resource: '*' }] }) }],
  });
  return estate;
});

const tree: OrgTree = {
  id: ORG,
  rootId: 'r-ab12',
  ous: [
    { Id: 'ou-ab12-workload1', Name: 'workloads', parent: 'r-ab12' },
    { Id: 'ou-ab12-prodonly1', Name: 'prod', parent: 'ou-ab12-workload1' },
  ],
  accountParents: { [MGMT]: 'r-ab12', [PROD]: 'ou-ab12-prodonly1', [DEV]: 'ou-ab12-workload1' },
  policies: [
    { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', Type: 'SERVICE_CONTROL_POLICY', Content: FULL, targets: ['r-ab12', 'ou-ab12-workload1', 'ou-ab12-prodonly1', MGMT, PROD, DEV] },
    {
      Id: 'p-denyiamusers', Name: 'deny-iam-user-keys', Type: 'SERVICE_CONTROL_POLICY', targets: ['ou-ab12-prodonly1'],
      Content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['iam:CreateAccessKey', 'iam:CreateUser'], Resource: '*' }] },
    },
    {
      Id: 'p-regionlock1', Name: 'region-lock', Type: 'SERVICE_CONTROL_POLICY', targets: ['ou-ab12-workload1'],
      Content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } } }] },
    },
    { Id: 'p-RCPFullAWSAccess', Name: 'RCPFullAWSAccess', Type: 'RESOURCE_CONTROL_POLICY', Content: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }, targets: ['r-ab12'] },
    {
      Id: 'p-rcpnoexport', Name: 'no-s3-reads', Type: 'RESOURCE_CONTROL_POLICY', targets: [DEV],
      Content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: ['s3:GetObject', 'iam:ListRoles'], Resource: '*' }] },
    },
  ],
};

const options: EmulatorOptions = {
  accounts,
  home: MGMT,
  callerArn: `arn:aws:iam::${MGMT}:role/security-scanner`,
  assumableRole: ROLE,
  organization: [MGMT, PROD, DEV].map((Id) => ({ Id, Name: `acct-${Id}`, State: 'ACTIVE' as const })),
  orgTree: tree,
};

let emulator: AwsIamEmulator;
beforeAll(async () => {
  emulator = await AwsIamEmulator.start(options);
});
afterAll(async () => {
  await emulator.close();
  removeScratch();
});
afterEach(() => vi.unstubAllEnvs());

function setup(changes: Partial<EmulatorOptions> = {}) {
  emulator.reset({ faults: [], ...changes });
  useEmulator(emulator);
}

const role = (identities: ReturnType<typeof identitiesOf>, account: string) => identities.find((i) => i.id === `aws:${account}:role/iam-admin`)!;
const methods = (i: ReturnType<typeof role>) => (i.attributes.escalationPaths as { permissions: string[] }[]).map((p) => p.permissions.join(' + '));

describe('--aws-organization: service and resource control policies', () => {
  it('collects the tree and the policies with calls per OU and per policy, not per account × policy', async () => {
    setup();
    const { dir, manifest } = await collectInProcess({ organization: true, assumeRole: ROLE });
    expect(manifest.sources.map((s) => s.scope).sort()).toEqual([MGMT, PROD, DEV, ORG].sort());
    expect(manifest.coverage.filter((c) => c.status !== 'ok')).toEqual([]);
    for (const call of Object.values(ORG_CALLS)) expect(coverageOf(manifest, ORG, call)?.status, call).toBe('ok');
    const counts = emulator.counts();
    expect({
      DescribeOrganization: counts.DescribeOrganization,
      ListRoots: counts.ListRoots,
      ListOrganizationalUnitsForParent: counts.ListOrganizationalUnitsForParent,
      ListAccountsForParent: counts.ListAccountsForParent,
      ListPolicies: counts.ListPolicies,
      DescribePolicy: counts.DescribePolicy,
      ListTargetsForPolicy: counts.ListTargetsForPolicy,
    }).toEqual({
      DescribeOrganization: 1,
      ListRoots: 1,
      ListOrganizationalUnitsForParent: 3, // root and two OUs
      ListAccountsForParent: 3,
      ListPolicies: 3, // SCPs: 3 on two pages of 2; RCPs: 2 on one
      DescribePolicy: 5,
      ListTargetsForPolicy: 7, // FullAWSAccess has 6 targets: three pages of 2
    });
    const src = join(dir, 'aws', ORG);
    expect(existsSync(join(src, ORG_FILES.listPoliciesPage('SERVICE_CONTROL_POLICY', 2)))).toBe(true);
    // Every stored answer has the shape the Organizations API description gives its operation.
    const files = filesUnder(src);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const op = OPERATION_OF.find(([re]) => re.test(f))?.[1];
      expect(op, f).toBeDefined();
      const output = (SPEC.shapes[NS + op!] as Shape).output!.target;
      expect(departures(JSON.parse(readFileSync(join(src, f), 'utf8')), output, f)).toEqual([]);
    }
    const described = JSON.parse(readFileSync(join(src, ORG_FILES.describePolicy('p-denyiamusers')), 'utf8'));
    expect(JSON.parse(described.Policy.Content).Statement[0].Action).toEqual(['iam:CreateAccessKey', 'iam:CreateUser']);
  });

  it('applies them: an unconditioned SCP Deny removes, a conditioned one is said, the management account is exempt', async () => {
    setup();
    const { dir } = await collectInProcess({ organization: true, assumeRole: ROLE });
    const identities = identitiesOf(dir);
    expect(identities.some((i) => i.container.id === ORG)).toBe(false);

    const prod = role(identities, PROD);
    expect(prod.attributes.limitedBy).toMatch(/limited by SCP deny-iam-user-keys/);
    expect(prod.attributes.limitedBy).toMatch(/iam:PassRole kept unless StringNotEquals aws:PrincipalTag\/team platform \(SCP region-lock\)/);
    expect(methods(prod).some((m) => m.includes('iam:CreateAccessKey'))).toBe(false);

    const dev = role(identities, DEV);
    expect(dev.attributes.limitedBy).not.toMatch(/deny-iam-user-keys/);
    expect(methods(dev).some((m) => m.includes('iam:CreateAccessKey'))).toBe(true);
    // The RCP denies S3 reads (a service RCPs cover), not iam:ListRoles (one they do not).
    expect(dev.attributes.limitedBy).toMatch(/limited by RCP no-s3-reads/);
    expect((dev.attributes.effectivePermissions as { deniedActions?: number }).deniedActions).toBe(1);

    const mgmt = role(identities, MGMT);
    expect(mgmt.attributes.limitedBy).toBeUndefined();
    expect(methods(mgmt).some((m) => m.includes('iam:CreateAccessKey'))).toBe(true);
  });

  it('a failed Organizations call is a coverage entry of the organisation, and no control policy is applied', async () => {
    setup({ faults: [deny('DescribePolicy')] });
    const { dir, manifest } = await collectInProcess({ organization: true, assumeRole: ROLE });
    expect(coverageOf(manifest, ORG, ORG_CALLS.describePolicy)).toMatchObject({ status: 'error', message: expect.stringMatching(/^AccessDenied.*organizations:DescribePolicy/) });
    const prod = role(identitiesOf(dir), PROD);
    expect(prod.attributes.limitedBy).toBeUndefined();
    expect(methods(prod).some((m) => m.includes('iam:CreateAccessKey'))).toBe(true);
  });

  it('without an organisation answer, the signed-in account carries the error and accounts are analysed as before', async () => {
    setup({ orgTree: undefined });
    const { dir, manifest } = await collectInProcess({ organization: true, assumeRole: ROLE });
    expect(coverageOf(manifest, MGMT, ORG_CALLS.describeOrganization)?.status).toBe('error');
    expect(manifest.sources.some((s) => s.scope === ORG)).toBe(false);
    expect(role(identitiesOf(dir), PROD).attributes.limitedBy).toBeUndefined();
  });
});
