import { describe, expect, it } from 'vitest';
import { queryString } from '../../../src/providers/gcp/collect/api.js';
import { redirect } from '../../../src/providers/gcp/collect/http.js';
import { settingsFromEnv } from '../../../src/providers/gcp/collect/settings.js';
import { permissionFacts } from '../../../src/providers/gcp/role-permissions.js';

describe('gcp endpoints', () => {
  it('public hosts by default, nothing redirected', () => {
    const s = settingsFromEnv(undefined, {});
    expect(s.redirected).toBe(false);
    expect(s.endpoints.cloudasset).toBe('https://cloudasset.googleapis.com');
    expect(redirect('https://oauth2.googleapis.com/token', s)).toBe('https://oauth2.googleapis.com/token');
  });

  it('one root for every service, the token exchange included; one service can be sent elsewhere', () => {
    const s = settingsFromEnv(undefined, { AGENTSCAN_GCP_API_ROOT: 'https://psc.example/', AGENTSCAN_GCP_ENDPOINT_CLOUDASSET: 'http://127.0.0.1:9/asset' });
    expect(s.redirected).toBe(true);
    expect(s.endpoints.iam).toBe('https://psc.example');
    expect(s.endpoints.cloudasset).toBe('http://127.0.0.1:9/asset');
    expect(redirect('https://oauth2.googleapis.com/token', s)).toBe('https://psc.example/token');
    expect(redirect('https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a@b:generateAccessToken', s)).toBe(
      'https://psc.example/v1/projects/-/serviceAccounts/a@b:generateAccessToken',
    );
    expect(redirect('https://cloudasset.googleapis.com/v1/organizations/1:searchAllResources?x=1', s)).toBe('http://127.0.0.1:9/asset/v1/organizations/1:searchAllResources?x=1');
    // --gcp-api-root wins over the environment's root.
    expect(settingsFromEnv('http://127.0.0.1:1', { AGENTSCAN_GCP_API_ROOT: 'https://psc.example' }).endpoints.policyanalyzer).toBe('http://127.0.0.1:1');
  });

  it('a bad URL or tunable is a usage error naming the variable', () => {
    expect(() => settingsFromEnv(undefined, { AGENTSCAN_GCP_ENDPOINT_IAM: 'ftp://x' })).toThrow(/AGENTSCAN_GCP_ENDPOINT_IAM=ftp:\/\/x: expected an http\(s\) URL/);
    expect(() => settingsFromEnv(undefined, { AGENTSCAN_GCP_MAX_ATTEMPTS: '0' })).toThrow(/AGENTSCAN_GCP_MAX_ATTEMPTS=0: expected a whole number from 1 to 20/);
  });

  it('list parameters become repeated keys, never a comma-joined value', () => {
    expect(queryString({ assetTypes: ['iam.googleapis.com/ServiceAccount', 'iam.googleapis.com/ServiceAccountKey'], pageToken: undefined, pageSize: 5 })).toBe(
      '?assetTypes=iam.googleapis.com%2FServiceAccount&assetTypes=iam.googleapis.com%2FServiceAccountKey&pageSize=5',
    );
  });
});

describe('gcp role permissions', () => {
  it('judges a role on what it holds, whatever it is called', () => {
    expect(permissionFacts(['storage.buckets.get', 'storage.objects.list'], 'container')).toEqual({ level: 'read', risks: [] });
    expect(permissionFacts(['bigquery.tables.getData'], 'container')).toEqual({ level: 'read', risks: ['data-exfiltration'] });
    expect(permissionFacts(['resourcemanager.projects.setIamPolicy'], 'container')).toEqual({ level: 'admin', risks: ['privilege-escalation', 'resource-exposure'] });
    expect(permissionFacts(['compute.instances.create', 'compute.instances.get'], 'container')).toEqual({ level: 'write', risks: ['infrastructure-modification'] });
  });

  it('impersonating one account is write on that account, admin across a project', () => {
    const perms = ['iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.signBlob'];
    expect(permissionFacts(perms, 'resource')).toEqual({ level: 'write', risks: ['credential-exposure', 'privilege-escalation'] });
    expect(permissionFacts(perms, 'container').level).toBe('admin');
    expect(permissionFacts(['iam.serviceAccounts.setIamPolicy'], 'resource').level).toBe('admin');
  });
});
