import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyAll, classifyIdentity } from '../../src/classify/classify.js';
import { loadPatterns } from '../../src/classify/patterns.js';
import { UNCLASSIFIED } from '../../src/model/inventory.js';
import { makeIdentity } from '../helpers/identity.js';

const patterns = loadPatterns();
const classify = (partial: Parameters<typeof makeIdentity>[0]) =>
  classifyIdentity(makeIdentity({ agent: UNCLASSIFIED, ...partial }), patterns);

describe('agent recognition', () => {
  it('recognises an AWS role assumable by Bedrock', () => {
    const v = classify({ name: 'triage', trustedBy: [{ principal: 'bedrock.amazonaws.com', kind: 'service', via: 'trust policy' }] });
    expect(v.verdict).toBe('agent');
    expect(v.signals[0]).toMatchObject({ kind: 'trust', points: 'agent' });
    expect(v.signals[0].evidence).toContain('bedrock.amazonaws.com');
  });

  it('recognises a Vertex AI service agent allowed to impersonate', () => {
    const v = classify({
      provider: 'gcp',
      name: 'runtime@acme.iam.gserviceaccount.com',
      trustedBy: [{ principal: 'serviceAccount:service-1@gcp-sa-aiplatform-re.iam.gserviceaccount.com', kind: 'service-account', via: 'roles/iam.serviceAccountTokenCreator' }],
    });
    expect(v.verdict).toBe('agent');
  });

  it('recognises an AI GitHub App by its slug', () => {
    const v = classify({ provider: 'github', name: 'x', attributes: { appSlug: 'copilot-swe-agent' } });
    expect(v).toMatchObject({ verdict: 'agent' });
    expect(v.signals.map((s) => s.kind)).toContain('app');
  });

  it('recognises an agent tag and an Entra agent identity', () => {
    expect(classify({ name: 'svc-x', tags: { 'ai-agent': 'ingest' } }).verdict).toBe('agent');
    expect(classify({ provider: 'entra', kind: 'agent-identity', name: 'Procurement' }).signals[0].kind).toBe('kind');
  });

  it("marks a person's key last used on Bedrock as an agent's, keeping the credential id", () => {
    const v = classify({
      kind: 'iam-user',
      name: 'jane.doe',
      human: true,
      credentials: [{ id: 'AKIAJANE', type: 'access-key', status: 'active', lastUsedService: 'bedrock' }],
    });
    expect(v.verdict).toBe('agent');
    expect(v.signals.find((s) => s.kind === 'last-used-service')?.credentialId).toBe('AKIAJANE');
  });

  it('reads token notes', () => {
    const v = classify({
      provider: 'github',
      kind: 'classic-pat',
      name: 'jdoe',
      human: true,
      credentials: [{ id: 'ghp_…1234', type: 'pat-classic', status: 'active', attributes: { note: 'devin agent' } }],
    });
    expect(v.verdict).toBe('agent');
    expect(v.signals[0].kind).toBe('credential-note');
  });

  it('tells automation, people and the unknown apart', () => {
    expect(classify({ name: 'ci-deployer' }).verdict).toBe('automation');
    expect(classify({ name: 'renovate', provider: 'github', attributes: { appSlug: 'renovate' } }).verdict).toBe('automation');
    expect(classify({ name: 'alice', kind: 'iam-user', human: true }).verdict).toBe('human');
    expect(classify({ name: 'orders-service' })).toEqual({ verdict: 'unknown', confidence: 0, signals: [] });
  });

  it('lets strong agent evidence outweigh automation hints', () => {
    const v = classify({
      name: 'shared-ml-runner',
      trustedBy: [
        { principal: 'lambda.amazonaws.com', kind: 'service', via: 'trust policy' },
        { principal: 'sagemaker.amazonaws.com', kind: 'service', via: 'trust policy' },
      ],
    });
    expect(v.verdict).toBe('agent');
    expect(v.signals.some((s) => s.points === 'automation')).toBe(true);
  });

  it('adds delegated access as evidence for an agent app', () => {
    const v = classify({
      provider: 'entra',
      name: 'Contoso GPT Connector',
      entitlements: [
        { permissions: ['Mail.Read'], resource: 'Microsoft Graph', scope: 'organization', via: { type: 'delegated-grant', name: 'Microsoft Graph' }, level: 'read', standing: true, risks: [], onBehalfOf: 'AllPrincipals' },
      ],
    });
    expect(v.signals.map((s) => s.kind)).toEqual(['name', 'delegated-grant']);
    expect(v.signals[1].evidence).toContain('every user');
  });

  it('extends the patterns from a user file and rejects a bad regex', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentscan-patterns-'));
    writeFileSync(join(dir, 'mine.yaml'), "agent:\n  names: ['^orders-service$']\n");
    const extended = loadPatterns([join(dir, 'mine.yaml')]);
    expect(classifyIdentity(makeIdentity({ name: 'orders-service', agent: UNCLASSIFIED }), extended).verdict).toBe('agent');
    writeFileSync(join(dir, 'bad.yaml'), "agent:\n  names: ['(unclosed']\n");
    expect(() => loadPatterns([join(dir, 'bad.yaml')])).toThrow(/bad\.yaml: agent\.names\[0\]: invalid regular expression/);
  });
});

describe('classifying an estate', () => {
  it('shares one frozen verdict among identities with the same verdict on the same evidence', () => {
    const [a, b, c, d] = classifyAll(
      [
        makeIdentity({ id: 'aws:1:role/a', name: 'svc-search-agent', agent: UNCLASSIFIED }),
        makeIdentity({ id: 'aws:1:role/b', name: 'svc-search-agent', agent: UNCLASSIFIED }),
        makeIdentity({ id: 'aws:1:role/c', name: 'billing-agent', agent: UNCLASSIFIED }),
        makeIdentity({ id: 'aws:1:role/d', name: 'svc-search-agent', tags: { 'ai-agent': 'true' }, agent: UNCLASSIFIED }),
      ],
      patterns,
    );
    expect(a.agent.verdict).toBe('agent');
    expect(b.agent).toBe(a.agent);
    expect(Object.isFrozen(a.agent) && Object.isFrozen(a.agent.signals) && Object.isFrozen(a.agent.signals[0])).toBe(true);
    // One signal fewer (no "svc" automation hint), or one more, is other evidence: a verdict of its own.
    expect(c.agent).not.toBe(a.agent);
    expect(c.agent.signals.map((s) => s.evidence)).toEqual(['name contains "agent"']);
    expect(d.agent).not.toBe(a.agent);
    expect(d.agent.signals.length).toBeGreaterThan(a.agent.signals.length);
    // The same verdict classifyIdentity gives one identity alone.
    expect(a.agent).toEqual(classifyIdentity(makeIdentity({ id: 'aws:1:role/a', name: 'svc-search-agent', agent: UNCLASSIFIED }), patterns));
  });
});

describe('name patterns', () => {
  it.each([
    ['Meeting Notes AI', 'agent'],
    ['ai-summarizer', 'agent'],
    ['mail-relay', 'unknown'],
    ['Contoso GPT Connector', 'agent'],
    ['terraform-apply', 'automation'],
  ])('%s → %s', (name, verdict) => {
    expect(classify({ name }).verdict).toBe(verdict);
  });
});
