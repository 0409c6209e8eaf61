import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyAll } from '../../src/classify/classify.js';
import { loadBundle } from '../../src/bundle/load.js';
import { loadPatterns } from '../../src/classify/patterns.js';
import { namedConsumers, secretsForSeveralServices } from '../../src/facts/shared-use.js';
import { evaluateRules } from '../../src/rules/evaluate.js';
import { loadRules } from '../../src/rules/load.js';
import { analyseBundle } from '../../src/scan/analyse.js';
import { normalizeAws } from '../../src/providers/aws/normalize.js';
import { makeIdentity } from '../helpers/identity.js';
import { editJson, reader, removeScratchBundles, scratchBundle } from '../providers/aws/helpers.js';

// Shared accounts from every signal: what teams write down (tags, descriptions, notes), what
// secrets are called, keys in concurrent use, several people's consent to one AI app. Each
// folds into the identity's one shared-account finding.

const rules = loadRules();
const settings = new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }]));
const NOW = '2026-11-20T09:30:00Z';
const DEMO = join(import.meta.dirname, '..', '..', 'fixtures', 'demo');

describe('the consumer-list parser', () => {
  const consumers = (tags: Record<string, string>, attributes: Record<string, unknown> = {}) =>
    namedConsumers(makeIdentity({ tags, attributes }))?.consumers;

  it('reads lists from list-valued tags, numbered tags, descriptions and notes', () => {
    expect(consumers({ 'used-by': 'billing-bot, ci, data-team' })).toEqual(['billing-bot', 'ci', 'data-team']);
    expect(consumers({ Consumers: 'etl + reporting-agent' })).toEqual(['etl', 'reporting-agent']);
    expect(consumers({ 'consumer-1': 'jenkins', 'consumer-2': 'airflow' })).toEqual(['jenkins', 'airflow']);
    expect(consumers({}, { description: 'Shared between the ETL job and the reporting agent.' })).toEqual(['ETL job', 'reporting agent']);
    expect(consumers({}, { notes: 'used by: crm-sync, invoice-bot; rotate yearly' })).toEqual(['crm-sync', 'invoice-bot']);
  });

  it('is conservative: one consumer, one team, placeholders and prose are no list', () => {
    expect(consumers({ 'used-by': 'data-team' })).toBeUndefined();
    expect(consumers({ team: 'billing, ci' })).toBeUndefined(); // a team tag names owners, not consumers
    expect(consumers({ users: 'n/a' })).toBeUndefined();
    expect(consumers({ 'used-by': 'CI, ci' })).toBeUndefined();
    expect(consumers({}, { description: 'Used by the nightly CI pipeline' })).toBeUndefined();
    expect(consumers({}, { description: 'Used by Terraform to deploy the api and worker services' })).toBeUndefined();
  });
});

describe('secret labels', () => {
  const secret = (id: string, displayName: string, status: 'active' | 'inactive' = 'active') => ({
    id,
    type: 'client-secret' as const,
    status,
    attributes: { displayName },
  });

  it('names the services, dropping generic words, dates and the app’s own name', () => {
    const app = makeIdentity({ provider: 'entra', name: 'integration-hub', credentials: [secret('a', 'integration-hub-billing-2025'), secret('b', 'CRM sync (prod)')] });
    expect(secretsForSeveralServices(app).map((s) => s.service)).toEqual(['billing', 'crm-sync']);
  });

  it('one service under several labels is a rotation, not sharing', () => {
    const app = makeIdentity({ provider: 'entra', credentials: [secret('a', 'ci-runner-2025-h1'), secret('b', 'ci-runner-2025-h2'), secret('c', 'ci')] });
    expect(secretsForSeveralServices(app)).toEqual([]);
  });
});

describe('shared-account signals fold into one finding per identity', () => {
  it('consumers named, keys in concurrent use and keys labelled for different tools on one identity are one shared-account finding', () => {
    const user = makeIdentity({
      id: 'aws:111111111111:user/svc-reporting',
      kind: 'iam-user',
      name: 'svc-reporting',
      attributes: { hasConsolePassword: false },
      tags: { 'used-by': 'finance-etl/looker/report-agent', AKIAEXAMPLEFINANCE01: 'finance etl', AKIAEXAMPLELOOKER001: 'looker' },
      credentials: [
        { id: 'AKIAEXAMPLEFINANCE01', type: 'access-key', status: 'active', createdAt: '2025-06-01T00:00:00Z', lastUsedAt: '2026-11-19T23:00:00Z' },
        { id: 'AKIAEXAMPLELOOKER001', type: 'access-key', status: 'active', createdAt: '2026-03-01T00:00:00Z', lastUsedAt: '2026-11-20T02:00:00Z' },
      ],
    });
    const { findings, errors } = evaluateRules([user], rules, NOW, settings);
    expect(errors).toEqual([]);
    const shared = findings.filter((f) => f.family === 'shared-account');
    expect(shared).toHaveLength(1);
    const all = [shared[0].ruleId, ...(shared[0].related ?? []).map((r) => r.ruleId)].sort();
    expect(all).toEqual(['keys-in-concurrent-use', 'named-consumers', 'secrets-for-several-services']);
    // Each signal's evidence joins the one finding.
    expect(shared[0].evidence).toMatchObject({ consumers: ['finance-etl', 'looker', 'report-agent'], keys: ['AKIAEXAMPLEFINANCE01', 'AKIAEXAMPLELOOKER001'] });
    expect(shared[0].evidence.secrets).toHaveLength(2);
  });

  it('two keys mid-rotation with one consumer named are not shared', () => {
    const user = makeIdentity({
      kind: 'iam-user',
      attributes: { hasConsolePassword: false },
      tags: { 'used-by': 'ci' },
      credentials: [
        { id: 'AKIAEXAMPLEOLDKEY001', type: 'access-key', status: 'active', createdAt: '2025-06-01T00:00:00Z', lastUsedAt: '2026-11-20T01:00:00Z' },
        { id: 'AKIAEXAMPLENEWKEY001', type: 'access-key', status: 'active', createdAt: '2026-11-18T00:00:00Z', lastUsedAt: '2026-11-20T02:00:00Z' },
      ],
    });
    const { findings } = evaluateRules([user], rules, NOW, settings);
    expect(findings.filter((f) => f.family === 'shared-account')).toEqual([]);
  });
});

describe('the demo shows the signals from its bundle', () => {
  const result = analyseBundle(loadBundle(DEMO), { rules, settings, patterns: loadPatterns(), now: NOW });
  const of = (name: string) => result.findings.filter((f) => f.identityName === name && f.family === 'shared-account');

  it('Meeting Notes AI: three users each consented (oauth2PermissionGrants, consentType Principal)', () => {
    const [f, ...rest] = of('Meeting Notes AI');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'consented-by-several-users', severity: 'high' });
    expect(f.message).toBe('3 users each consented to it, so the agent acts as each of them with Calendars.Read, Notes.Read, OnlineMeetings.Read');
    expect(f.evidence.users).toHaveLength(3);
  });

  it('report-exporter: its application notes list three consumers', () => {
    const [f, ...rest] = of('report-exporter');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'named-consumers', severity: 'medium' });
    expect(f.evidence.consumers).toEqual(['finance-dashboards', 'license-true-up', 'audit-export']);
  });

  it('ci-deployer: two keys, the newer a month old, both used this week', () => {
    const [f] = of('ci-deployer');
    expect(f).toMatchObject({ ruleId: 'keys-in-concurrent-use', severity: 'medium' });
    expect(f.evidence.keys).toEqual(['AKIAMU2HPKQU72HG4ZCR', 'AKIAECO6DKJDIRTI5L3N']);
  });

  it('HR-Copilot (one secret named for itself) and legacy-sync (an expired secret) are not shared', () => {
    expect(of('HR-Copilot').map((f) => f.ruleId)).not.toContain('secrets-for-several-services');
    expect(of('legacy-sync')).toEqual([]);
  });
});

describe('AWS access-key descriptions (user tags keyed by the key id, as the console stores them)', () => {
  afterAll(removeScratchBundles);

  function ciDeployerWith(tags: Array<{ Key: string; Value: string }>) {
    const { bundleDir, sourceDir } = scratchBundle();
    editJson(join(sourceDir, 'iam-get-account-authorization-details.page-1.json'), (page) => {
      const user = page.UserDetailList.find((u: { UserName: string }) => u.UserName === 'ci-deployer');
      user.Tags = [...(user.Tags ?? []), ...tags];
    });
    const identities = classifyAll(normalizeAws(reader(bundleDir)), loadPatterns());
    const { findings } = evaluateRules(identities, rules.filter((r) => r.family === 'shared-account'), NOW, settings);
    return findings.filter((f) => f.identityName === 'ci-deployer');
  }

  it('keys described for two tools are one shared-account finding naming both', () => {
    const [f, ...rest] = ciDeployerWith([
      { Key: 'AKIAMU2HPKQU72HG4ZCR', Value: 'jenkins cloudformation deploys' },
      { Key: 'AKIAECO6DKJDIRTI5L3N', Value: 'github actions artifacts' },
    ]);
    expect(rest).toEqual([]);
    const rulesOf = [f.ruleId, ...(f.related ?? []).map((r) => r.ruleId)].sort();
    expect(rulesOf).toEqual(['keys-in-concurrent-use', 'secrets-for-several-services']);
    expect(f.evidence.secrets).toEqual([
      { credentialId: 'AKIAMU2HPKQU72HG4ZCR', label: 'jenkins cloudformation deploys', service: 'jenkins-cloudformation-deploys' },
      { credentialId: 'AKIAECO6DKJDIRTI5L3N', label: 'github actions artifacts', service: 'github-actions-artifacts' },
    ]);
  });

  it('keys described as one tool\'s old and new key are not named for different services', () => {
    const found = ciDeployerWith([
      { Key: 'AKIAMU2HPKQU72HG4ZCR', Value: 'jenkins old key' },
      { Key: 'AKIAECO6DKJDIRTI5L3N', Value: 'jenkins new key 2026' },
    ]);
    expect(found.flatMap((f) => [f.ruleId, ...(f.related ?? []).map((r) => r.ruleId)])).not.toContain('secrets-for-several-services');
  });
});
