import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeAws } from '../../../src/providers/aws/normalize.js';
import { bundleErrorOf } from '../../helpers/errors.js';
import { editJson, encodePolicy, failed, reader, removeScratchBundles, scratchBundle } from './helpers.js';

const PAGE_1 = 'iam-get-account-authorization-details.page-1.json';
const PAGE_2 = 'iam-get-account-authorization-details.page-2.json';
const REPORT = 'iam-get-credential-report.csv';

afterEach(removeScratchBundles);

describe('role listing (iam:ListRoles)', () => {
  const LISTING = 'iam-list-roles.page-1.json';

  it('a bundle from before the listing (no file, no coverage entry) loads, without descriptions', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, LISTING));
    const identities = normalizeAws(reader(bundleDir));
    expect(identities.filter((i) => i.kind === 'iam-role')).toHaveLength(18);
    expect(identities.some((i) => i.attributes.description)).toBe(false);
  });

  it('a listing whose call failed is partial: no descriptions, no error', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, LISTING));
    expect(normalizeAws(reader(bundleDir, [failed('iam:ListRoles')])).some((i) => i.attributes.description)).toBe(false);
  });

  it('a listing the collector recorded as made but whose file is gone is a BundleError naming the file', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, LISTING));
    const ok = { provider: 'aws' as const, scope: '314159265358', call: 'iam:ListRoles', status: 'ok' as const };
    expect(bundleErrorOf(() => normalizeAws(reader(bundleDir, [ok]))).message).toContain(LISTING);
  });
});

describe('malformed AWS files', () => {
  it('a wrong type at a nested path names the file and the field', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    editJson(join(sourceDir, PAGE_1), (page) => {
      page.UserDetailList[1].Tags[0].Value = 42;
    });
    const err = bundleErrorOf(() => normalizeAws(reader(bundleDir)));
    expect(err.message).toContain(PAGE_1);
    expect(err.message).toContain('at UserDetailList[1].Tags[0].Value:');
  });

  it('a bad field inside a URL-encoded policy document is reported at its decoded path', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    editJson(join(sourceDir, PAGE_1), (page) => {
      page.RoleDetailList[1].AssumeRolePolicyDocument = encodePolicy({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Permit', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
    });
    const err = bundleErrorOf(() => normalizeAws(reader(bundleDir)));
    expect(err.message).toContain(PAGE_1);
    expect(err.message).toContain('at RoleDetailList[1].AssumeRolePolicyDocument.Statement[0].Effect:');
  });

  it('a policy document that does not URL-decode or parse is a BundleError naming the document', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    editJson(join(sourceDir, PAGE_2), (page) => {
      page.Policies[0].PolicyVersionList[0].Document = '%7B%22Version%22%3A%E0%A4%A';
    });
    const err = bundleErrorOf(() => normalizeAws(reader(bundleDir)));
    expect(err.message).toContain(PAGE_2);
    expect(err.message).toContain('at Policies[0].PolicyVersionList[0].Document: policy document is not valid URL-encoded text');

    editJson(join(sourceDir, PAGE_2), (page) => {
      page.Policies[0].PolicyVersionList[0].Document = encodeURIComponent('{"Version": "2012-10-17", "Statement": [');
    });
    expect(bundleErrorOf(() => normalizeAws(reader(bundleDir))).message).toContain('URL-decoded policy document is not valid JSON');
  });

  it('a bad credential-report cell names the line, the user and the column', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    const file = join(sourceDir, REPORT);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = lines[2].replace(',false,N/A,N/A,N/A,false,true,', ',false,N/A,N/A,N/A,yes,true,');
    writeFileSync(file, lines.join('\n'));
    const err = bundleErrorOf(() => normalizeAws(reader(bundleDir)));
    expect(err.message).toContain(REPORT);
    expect(err.message).toContain('at line 3 (user ci-deployer).mfa_active:');
  });

  it('a credential report without a column is rejected at its header', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    const file = join(sourceDir, REPORT);
    const rows = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => line.split(',').slice(0, -1).join(','));
    writeFileSync(file, rows.join('\n') + '\n');
    expect(bundleErrorOf(() => normalizeAws(reader(bundleDir))).message).toContain('at header: missing column(s) cert_2_last_rotated');
  });

  it('an attached policy that is in no page is a broken reference', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    editJson(join(sourceDir, PAGE_2), (page) => {
      page.Policies = page.Policies.filter((p: { PolicyName: string }) => p.PolicyName !== 'ReadOnlyAccess');
    });
    const err = bundleErrorOf(() => normalizeAws(reader(bundleDir)));
    expect(err.message).toContain(PAGE_1);
    expect(err.message).toContain('at GroupDetailList[1].AttachedManagedPolicies[0].PolicyArn: managed policy "arn:aws:iam::aws:policy/ReadOnlyAccess"');
  });

  it('a caller identity from another account does not pass as this source', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    editJson(join(sourceDir, 'sts-get-caller-identity.json'), (id) => {
      id.Account = '111122223333';
    });
    expect(bundleErrorOf(() => normalizeAws(reader(bundleDir))).message).toContain(
      'at Account: is 111122223333, but bundle.json says this source is account 314159265358',
    );
  });
});

describe('missing AWS files', () => {
  it('a missing page with no failed call to explain it is a BundleError naming the file', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, PAGE_2));
    const err = bundleErrorOf(() => normalizeAws(reader(bundleDir)));
    expect(err.message).toContain(PAGE_2);
    expect(err.message).toContain('no failed iam:GetAccountAuthorizationDetails call');
  });

  it('a missing key listing for a user the credential report says has keys is a BundleError', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, 'iam-list-access-keys', 'old-chatbot.json'));
    const err = bundleErrorOf(() => normalizeAws(reader(bundleDir)));
    expect(err.message).toContain(join('iam-list-access-keys', 'old-chatbot.json'));
    expect(err.message).toContain('iam:ListAccessKeys');
  });
});

describe('partial AWS bundles (a call failed and bundle.json says so)', () => {
  it('without page 2: users and page-1 roles stay; policies on the lost page are listed as unresolved', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, PAGE_2));
    const identities = normalizeAws(reader(bundleDir, [failed('iam:GetAccountAuthorizationDetails')]));
    expect(identities.map((i) => i.name)).toEqual([
      'root', 'ci-deployer', 'jane.doe', 'old-chatbot', 'reporting-bot', 'svc-llm-ingest',
      'AWSServiceRoleForSupport', 'bedrock-triage-agent', 'gha-terraform-plan', 'github-actions-deploy',
    ]);
    const triage = identities.find((i) => i.name === 'bedrock-triage-agent')!;
    expect(triage.entitlements.map((e) => e.via.name)).toEqual(['triage-automation']);
    expect(triage.attributes.unresolvedGrants).toEqual(['arn:aws:iam::aws:policy/PowerUserAccess']);
    const deployer = identities.find((i) => i.name === 'ci-deployer')!;
    expect(deployer.attributes.unresolvedGrants).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
  });

  it('a permissions boundary missing from the pages is not applied, and the summary says so', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    editJson(join(sourceDir, PAGE_2), (page) => {
      page.Policies = page.Policies.filter((p: { PolicyName: string }) => p.PolicyName !== 'acme-workload-boundary');
    });
    const ingest = normalizeAws(reader(bundleDir)).find((i) => i.name === 'svc-llm-ingest')!;
    expect(ingest.attributes.effectivePermissions).toMatchObject({
      actions: 5,
      boundaryNotApplied: 'arn:aws:iam::314159265358:policy/acme-workload-boundary',
    });
  });

  it('an identity whose policies sit on a lost page is analysed on what is known, marked incomplete', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, PAGE_2));
    const identities = normalizeAws(reader(bundleDir, [failed('iam:GetAccountAuthorizationDetails')]));
    const triage = identities.find((i) => i.name === 'bedrock-triage-agent')!;
    expect(triage.attributes.effectivePermissions).toMatchObject({ actions: 3, incomplete: true });
    expect((triage.attributes.escalationPaths as { id: string }[]).map((p) => p.id)).toEqual(['passrole-lambda']);
  });

  it('without any authorization details: root and users from the credential report, no roles', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, PAGE_1));
    rmSync(join(sourceDir, PAGE_2));
    const identities = normalizeAws(reader(bundleDir, [failed('iam:GetAccountAuthorizationDetails')]));
    expect(identities.map((i) => i.kind)).toEqual(['root', 'iam-user', 'iam-user', 'iam-user', 'iam-user', 'iam-user']);
    const jane = identities.find((i) => i.name === 'jane.doe')!;
    expect(jane).toMatchObject({ human: true, entitlements: [], attributes: { arn: 'arn:aws:iam::314159265358:user/jane.doe' } });
    expect(jane.credentials.map((c) => c.type)).toEqual(['password', 'access-key']);
  });

  it('without the credential report: no root, and no password facts, but keys from ListAccessKeys', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, REPORT));
    const identities = normalizeAws(reader(bundleDir, [failed('iam:GetCredentialReport')]));
    expect(identities).toHaveLength(23);
    expect(identities.some((i) => i.kind === 'root')).toBe(false);
    const jane = identities.find((i) => i.name === 'jane.doe')!;
    expect(jane.human).toBe(false);
    expect(jane.attributes.hasConsolePassword).toBeUndefined();
    expect(jane.credentials).toEqual([expect.objectContaining({ type: 'access-key', lastUsedService: 'bedrock' })]);
  });

  it('without ListAccessKeys: keys come from the credential report slots', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, 'iam-list-access-keys'), { recursive: true });
    const identities = normalizeAws(reader(bundleDir, [failed('iam:ListAccessKeys')]));
    const deployer = identities.find((i) => i.name === 'ci-deployer')!;
    expect(deployer.credentials.map((c) => [c.id, c.createdAt, c.lastUsedService])).toEqual([
      ['ci-deployer/access_key_1', '2025-10-04T14:12:09.000Z', 'cloudformation'],
      ['ci-deployer/access_key_2', '2026-10-21T08:03:51.000Z', 's3'],
    ]);
  });

  it('without GetAccessKeyLastUsed: last use comes from the report slot created at the same time', () => {
    const { bundleDir, sourceDir } = scratchBundle();
    rmSync(join(sourceDir, 'iam-get-access-key-last-used'), { recursive: true });
    const identities = normalizeAws(reader(bundleDir, [failed('iam:GetAccessKeyLastUsed')]));
    const jane = identities.find((i) => i.name === 'jane.doe')!;
    expect(jane.credentials.find((c) => c.type === 'access-key')).toMatchObject({
      lastUsedAt: '2026-11-19T21:47:00.000Z',
      lastUsedService: 'bedrock',
      attributes: { usageTracked: true, lastUsedRegion: 'us-east-1' },
    });
  });
});
