import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../src/model/inventory.js';
import { normalizeGcp } from '../../../src/providers/gcp/normalize.js';
import { COLLECTED_AT, demoSource } from './bundle.js';

const identities = normalizeGcp(demoSource());
const sa = (local: string): Identity => {
  const email = local.includes('@') ? local : `${local}@acme-ml-prod.iam.gserviceaccount.com`;
  const found = identities.find((i) => i.name === email);
  if (!found) throw new Error(`no identity ${email}`);
  return found;
};
const userKeys = (i: Identity) => i.credentials.filter((c) => c.managedBy === 'user');
/** Whole days from `from` to `to`, as rules count them. */
const days = (from: string, to = COLLECTED_AT) => Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000);

describe('gcp demo project acme-ml-prod', () => {
  it('yields the ten service accounts, across both list pages, and no service agents', () => {
    expect(identities).toHaveLength(10);
    expect(identities.every((i) => i.kind === 'service-account' && i.provider === 'gcp' && !i.human)).toBe(true);
    expect(identities.every((i) => i.agent.verdict === 'unknown')).toBe(true);
    expect(identities.map((i) => i.name)).not.toContainEqual(expect.stringMatching(/^service-\d+@/));
    expect(sa('billing-export').id).toBe('gcp:acme-ml-prod:sa/billing-export@acme-ml-prod.iam.gserviceaccount.com');
    expect(sa('billing-export').container).toEqual({ type: 'project', id: 'acme-ml-prod', name: 'Acme ML Production' });
  });

  it('vertex-agent: trusted by the Vertex AI service agent, modest project roles, no user keys', () => {
    const v = sa('vertex-agent');
    expect(v.attributes.description).toMatch(/Vertex AI Agent Engine/);
    expect(v.attributes.displayName).toBe('Vertex AI agent runtime');
    expect(v.trustedBy).toContainEqual({
      principal: 'service-482910573746@gcp-sa-aiplatform-re.iam.gserviceaccount.com',
      kind: 'service',
      external: false,
      via: 'roles/iam.serviceAccountTokenCreator on projects/acme-ml-prod/serviceAccounts/vertex-agent@acme-ml-prod.iam.gserviceaccount.com',
    });
    expect(v.entitlements.map((e) => [e.permissions[0], e.level, e.scope])).toEqual([
      ['roles/aiplatform.user', 'write', 'container'],
      ['roles/storage.objectViewer', 'read', 'container'],
    ]);
    expect(userKeys(v)).toEqual([]);
    expect(v.credentials).toHaveLength(1);
    expect(v.credentials[0]).toMatchObject({ managedBy: 'provider', status: 'active', attributes: { keyType: 'SYSTEM_MANAGED', usageTracked: false } });
  });

  it('default compute account: roles/editor and actAs shared by three users and a group', () => {
    const c = sa('482910573746-compute@developer.gserviceaccount.com');
    expect(c.attributes.isDefaultComputeSA).toBe(true);
    expect(c.attributes.isAppEngineDefaultSA).toBe(false);
    expect(c.entitlements).toEqual([
      expect.objectContaining({
        permissions: ['roles/editor'],
        resource: 'projects/acme-ml-prod',
        level: 'write',
        standing: true,
        risks: expect.arrayContaining(['privilege-escalation', 'infrastructure-modification']),
      }),
    ]);
    const actAs = c.trustedBy.filter((t) => t.via.startsWith('roles/iam.serviceAccountUser'));
    expect(actAs.map((t) => [t.kind, t.principal]).sort()).toEqual([
      ['group', 'ml-engineers@acme.example'],
      ['user', 'alice.nguyen@acme.example'],
      ['user', 'dmitri.volkov@acme.example'],
      ['user', 'priya.natarajan@acme.example'],
    ]);
  });

  it('support-bot: owner of the project through a 300-day-old key that never expires', () => {
    const s = sa('support-bot');
    expect(s.attributes.description).toBe('LLM support bot (Gemini)');
    const [key] = userKeys(s);
    expect(key).toMatchObject({
      id: '1503d89f5ce87a2ec03f84ad9f9b4979e197d2a2',
      type: 'service-account-key',
      createdAt: '2026-01-24T08:12:44Z',
      lastUsedAt: '2026-11-18T08:00:00Z',
      status: 'active',
      attributes: { usageTracked: true, keyOrigin: 'GOOGLE_PROVIDED' },
    });
    expect(key.expiresAt).toBeUndefined();
    expect(days(key.createdAt!)).toBe(300);
    expect(days(key.lastUsedAt!)).toBe(2);
    expect(s.entitlements).toHaveLength(1);
    expect(s.entitlements[0]).toMatchObject({ permissions: ['roles/owner'], level: 'admin', standing: true });
    expect(s.entitlements[0].risks).toHaveLength(5);
  });

  it('etl-pipeline: a 40-day key with a 90-day lifetime, owned by a group named in its description', () => {
    const e = sa('etl-pipeline');
    const [key] = userKeys(e);
    expect(days(key.createdAt!)).toBe(40);
    expect(days(key.createdAt!, key.expiresAt!)).toBe(90);
    expect(days(key.lastUsedAt!)).toBe(1);
    expect(e.entitlements.map((x) => x.permissions[0])).toEqual(['roles/bigquery.dataEditor', 'roles/bigquery.jobUser']);
    expect(e.owners).toEqual([{ id: 'data-platform@acme.example', kind: 'group', source: 'tag', exists: true }]);
  });

  it('agent-sandbox: disabled, with a user key that expired 20 days ago and is still present', () => {
    const a = sa('agent-sandbox');
    expect(a.enabled).toBe(false);
    const [key] = userKeys(a);
    expect(key.status).toBe('active');
    expect(key.expiresAt).toBe('2026-10-31T06:18:55Z');
    expect(days(key.expiresAt!)).toBe(20);
    expect(a.lastUsedAt).toBe('2026-06-02T08:00:00Z');
  });

  it('gh-actions-wif: any identity in the whole GitHub pool can act as it', () => {
    const g = sa('gh-actions-wif');
    const fed = g.trustedBy.filter((t) => t.kind === 'federated');
    expect(fed).toEqual([
      {
        principal: '//iam.googleapis.com/projects/482910573746/locations/global/workloadIdentityPools/github',
        kind: 'federated',
        external: false,
        via: 'roles/iam.workloadIdentityUser on projects/acme-ml-prod/serviceAccounts/gh-actions-wif@acme-ml-prod.iam.gserviceaccount.com',
      },
    ]);
    expect(g.entitlements[0]).toMatchObject({ permissions: ['roles/run.admin'], level: 'admin', risks: ['resource-exposure', 'infrastructure-modification'] });
  });

  it('gh-actions-scoped: the pool is pinned to one repository', () => {
    const fed = sa('gh-actions-scoped').trustedBy.filter((t) => t.kind === 'federated');
    expect(fed).toHaveLength(1);
    expect(fed[0].subject).toBe('attribute.repository=acme-corp/ml-models');
    expect(sa('gh-actions-scoped').entitlements[0]).toMatchObject({ permissions: ['roles/artifactregistry.writer'], level: 'write', risks: [] });
  });

  it('research-agent: project-wide token creator, so it can act as every other account; its key was never used', () => {
    const r = sa('research-agent');
    expect(r.entitlements.find((e) => e.permissions[0] === 'roles/iam.serviceAccountTokenCreator')).toMatchObject({
      scope: 'container',
      level: 'admin',
      risks: ['privilege-escalation', 'credential-exposure'],
    });
    const others = identities.filter((i) => i !== r);
    for (const other of others) {
      expect(other.trustedBy).toContainEqual(
        expect.objectContaining({ principal: r.name, kind: 'service-account', via: 'roles/iam.serviceAccountTokenCreator on projects/acme-ml-prod' }),
      );
    }
    expect(r.trustedBy.some((t) => t.principal === r.name)).toBe(false);
    const [key] = userKeys(r);
    expect(key.lastUsedAt).toBeUndefined();
    expect(key.expiresAt).toBeUndefined();
    expect(key.attributes?.usageTracked).toBe(true);
    expect(days(key.createdAt!)).toBe(90);
  });

  it('billing-export: read access to BigQuery data, used yesterday', () => {
    const b = sa('billing-export');
    expect(b.lastUsedAt).toBe('2026-11-19T08:00:00Z');
    expect(b.attributes.usageTracked).toBe(true);
    expect(b.entitlements.find((e) => e.permissions[0] === 'roles/bigquery.dataViewer')).toMatchObject({ level: 'read', risks: ['data-exfiltration'] });
    expect(userKeys(b)).toEqual([]);
  });

  it('temp-migration: storage.admin bound by time, and an owner whose account was deleted', () => {
    const t = sa('temp-migration');
    expect(t.entitlements).toEqual([
      {
        permissions: ['roles/storage.admin'],
        resource: 'projects/acme-ml-prod',
        scope: 'container',
        via: { type: 'role-binding', name: 'roles/storage.admin' },
        level: 'admin',
        standing: false,
        condition: 'request.time < timestamp("2026-12-31T00:00:00Z")',
        expiresAt: '2026-12-31T00:00:00Z',
        risks: ['resource-exposure', 'data-exfiltration'],
        effect: 'allow',
      },
    ]);
    expect(t.owners).toEqual([{ id: 'bob.keller@acme.example', kind: 'user', source: 'tag', exists: false }]);
    expect(t.credentials).toEqual([]);
  });

  it('never puts key material in a credential', () => {
    for (const c of identities.flatMap((i) => i.credentials)) expect(c.id).toMatch(/^[0-9a-f]{40}$/);
  });
});
