import { afterAll, describe, expect, it } from 'vitest';
import { conditionExpiry } from '../../../src/providers/gcp/conditions.js';
import { memberTrust } from '../../../src/providers/gcp/members.js';
import { roleFacts } from '../../../src/providers/gcp/permissions.js';
import { normalizeGcp } from '../../../src/providers/gcp/normalize.js';
import { baseFiles, BOT, ETL, removeTempSources, tempSource } from './bundle.js';

afterAll(removeTempSources);

const project = { projectId: 'acme-ml-prod', projectNumber: '482910573746' };

describe('IAM members as trust principals', () => {
  it('reads federated members: whole pool, attribute, subject, other project', () => {
    const pool = 'iam.googleapis.com/projects/482910573746/locations/global/workloadIdentityPools/github';
    expect(memberTrust(`principalSet://${pool}/*`, project)).toStrictEqual({ principal: `//${pool}`, kind: 'federated', external: false });
    expect(memberTrust(`principal://${pool}/subject/repo:acme-corp/api:ref:refs/heads/main`, project)).toMatchObject({
      subject: 'repo:acme-corp/api:ref:refs/heads/main',
    });
    expect(memberTrust(`principalSet://${pool}/group/admins`, project)).toMatchObject({ subject: 'group=admins' });
    const foreign = 'principalSet://iam.googleapis.com/projects/111111111111/locations/global/workloadIdentityPools/ci/*';
    expect(memberTrust(foreign, project)).toMatchObject({ external: true });
  });

  it('treats workforce pool members as people', () => {
    const wf = 'iam.googleapis.com/locations/global/workforcePools/acme-okta';
    expect(memberTrust(`principal://${wf}/subject/alice@acme.example`, project)).toMatchObject({ kind: 'user', subject: 'alice@acme.example' });
    expect(memberTrust(`principalSet://${wf}/*`, project)).toStrictEqual({ principal: `//${wf}`, kind: 'group' });
  });

  it('reads GKE workload identity, service agents, other projects and the public', () => {
    expect(memberTrust('serviceAccount:acme-ml-prod.svc.id.goog[agents/planner]', project)).toEqual({
      principal: 'acme-ml-prod.svc.id.goog',
      subject: 'agents/planner',
      kind: 'federated',
      external: false,
    });
    expect(memberTrust('serviceAccount:service-482910573746@gcp-sa-aiplatform.iam.gserviceaccount.com', project)).toMatchObject({
      kind: 'service',
      external: false,
    });
    expect(memberTrust('serviceAccount:deployer@other-proj.iam.gserviceaccount.com', project)).toMatchObject({
      kind: 'service-account',
      external: true,
    });
    expect(memberTrust('allUsers', project)).toEqual({ principal: '*', kind: 'any' });
    expect(memberTrust('domain:acme.example', project)).toEqual({ principal: 'acme.example', kind: 'group' });
    expect(memberTrust('deleted:serviceAccount:old@acme-ml-prod.iam.gserviceaccount.com?uid=123', project)).toBeUndefined();
  });
});

describe('IAM conditions', () => {
  it('finds the time bound of a temporary grant', () => {
    expect(conditionExpiry('request.time < timestamp("2026-12-31T00:00:00Z")')).toBe('2026-12-31T00:00:00Z');
    expect(conditionExpiry("timestamp('2027-01-15T12:00:00Z') > request.time && resource.name.startsWith('x')")).toBe('2027-01-15T12:00:00Z');
    expect(conditionExpiry('request.time <= timestamp("2027-03-01T00:00:00Z") && request.time < timestamp("2027-02-01T00:00:00Z")')).toBe(
      '2027-02-01T00:00:00Z',
    );
  });

  it('does not read a bound that only one side of a disjunction carries', () => {
    expect(conditionExpiry('request.time < timestamp("2026-12-31T00:00:00Z") || resource.type == "storage.googleapis.com/Bucket"')).toBeUndefined();
    expect(conditionExpiry('resource.name.startsWith("projects/_/buckets/exports")')).toBeUndefined();
  });
});

describe('role levels', () => {
  it('judges impersonation by where it is granted', () => {
    expect(roleFacts('roles/iam.serviceAccountTokenCreator', 'container').level).toBe('admin');
    expect(roleFacts('roles/iam.serviceAccountTokenCreator', 'resource').level).toBe('write');
  });

  it('falls back on role names for roles outside the table', () => {
    expect(roleFacts('roles/spanner.admin', 'container')).toEqual({ level: 'admin', risks: [] });
    expect(roleFacts('roles/pubsub.viewer', 'container')).toEqual({ level: 'read', risks: [] });
    expect(roleFacts('roles/dataflow.developer', 'container')).toEqual({ level: 'write', risks: [] });
    expect(roleFacts('projects/acme-ml-prod/roles/agentRunner', 'container').level).toBe('write');
  });
});

describe('grants on a service account', () => {
  it('gives the grantee an entitlement on that account and the account a trust', () => {
    const files = baseFiles();
    files[`iam-projects-serviceAccounts-getIamPolicy/${BOT}.json`] = {
      version: 3,
      etag: 'BwYcT1mQ2xE=',
      bindings: [
        {
          role: 'roles/iam.serviceAccountUser',
          members: [`serviceAccount:${ETL}`],
          condition: { title: 'business-hours', expression: 'request.time.getHours("Europe/Berlin") < 18' },
        },
      ],
    };
    const [bot, etl] = normalizeGcp(tempSource(files));
    expect(etl.entitlements).toContainEqual({
      permissions: ['roles/iam.serviceAccountUser'],
      resource: `projects/acme-ml-prod/serviceAccounts/${BOT}`,
      scope: 'resource',
      via: { type: 'role-binding', name: 'roles/iam.serviceAccountUser' },
      level: 'write',
      standing: false,
      condition: 'request.time.getHours("Europe/Berlin") < 18',
      risks: ['privilege-escalation'],
      effect: 'allow',
    });
    expect(bot.trustedBy).toEqual([
      {
        principal: ETL,
        kind: 'service-account',
        external: false,
        via: `roles/iam.serviceAccountUser on projects/acme-ml-prod/serviceAccounts/${BOT}`,
        condition: 'request.time.getHours("Europe/Berlin") < 18',
      },
    ]);
  });
});
