import { describe, expect, it } from 'vitest';
import { classifyAll } from '../../src/classify/classify.js';
import { loadPatterns } from '../../src/classify/patterns.js';
import { recordedOwners } from '../../src/facts/owners.js';
import { providerManagedReason } from '../../src/facts/provider-managed.js';
import { UNCLASSIFIED } from '../../src/model/inventory.js';
import { evaluateRules } from '../../src/rules/evaluate.js';
import { loadRules } from '../../src/rules/load.js';
import { makeIdentity } from '../helpers/identity.js';

// Verdicts, owners and provider-managed marks from every signal the inventory carries.

const patterns = loadPatterns();
const one = (partial: Parameters<typeof makeIdentity>[0]) => classifyAll([makeIdentity({ agent: UNCLASSIFIED, ...partial })], patterns)[0];

describe('verdicts from every signal', () => {
  it('an agent framework in an Entra app note, a GCP description or a tag value', () => {
    expect(one({ provider: 'entra', name: 'kb-worker', attributes: { notes: 'Semantic Kernel planner for the HR bot' } }).agent).toMatchObject({
      verdict: 'agent',
      signals: [expect.objectContaining({ evidence: expect.stringContaining('notes "Semantic Kernel planner') })],
    });
    expect(one({ provider: 'gcp', name: 'svc-research', attributes: { description: 'CrewAI research crew' } }).agent.verdict).toBe('agent');
    expect(one({ name: 'worker-7', tags: { framework: 'langgraph' } }).agent.signals[0]).toMatchObject({ kind: 'tag', evidence: 'tag framework=langgraph' });
    expect(one({ name: 'worker-7', tags: { framework: 'django' } }).agent.verdict).toBe('unknown');
  });

  it('the AI app catalogue: CodeRabbit and Sweep on GitHub, an AI assistant in Entra', () => {
    for (const slug of ['coderabbitai', 'sweep-ai']) {
      expect(one({ provider: 'github', kind: 'github-app-installation', name: slug, attributes: { appSlug: slug } }).agent.verdict).toBe('agent');
    }
    const otter = one({ provider: 'entra', kind: 'service-principal', name: 'Otter.ai', attributes: {} });
    expect(otter.agent.signals).toContainEqual(expect.objectContaining({ kind: 'app', evidence: 'Entra application "Otter.ai" is in the AI app catalogue' }));
    expect(one({ provider: 'github', kind: 'github-app-installation', name: 'linear', attributes: { appSlug: 'linear' } }).agent.verdict).toBe('unknown');
  });

  it("automation on a person's credential is automation, and a machine user's token is nobody's", () => {
    const person = one({ provider: 'github', kind: 'fine-grained-pat', name: 'rpatel/nightly-docs-sync', human: true, owners: [{ id: 'rpatel', kind: 'user', source: 'api' }] });
    expect(person).toMatchObject({ human: true, agent: { verdict: 'automation' } });
    const machine = one({ provider: 'github', kind: 'classic-pat', name: 'sre-bot/mirror', human: true, attributes: { ownerLogin: 'sre-bot' } });
    expect(machine).toMatchObject({ human: false, attributes: { machineUser: 'sre-bot' }, agent: { verdict: 'automation' } });
    expect(machine.agent.signals.map((s) => s.evidence)).toContain('owned by machine user sre-bot');
    expect(one({ provider: 'github', kind: 'classic-pat', name: 'kwong/laptop', human: true, attributes: { ownerLogin: 'kwong' } }).agent.verdict).toBe('human');
  });
});

describe('owners from every record', () => {
  it('team tags, "Owner:" in a description, a managed identity\'s resource', () => {
    expect(recordedOwners(makeIdentity({ owners: [], tags: { team: 'platform' } }))).toEqual([{ id: 'platform', kind: 'team', source: 'tag' }]);
    expect(recordedOwners(makeIdentity({ owners: [], attributes: { description: 'Nightly ETL. Owner: ml-platform' } }))).toEqual([
      { id: 'ml-platform', kind: 'team', source: 'tag' },
    ]);
    const mi = '/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi-indexer';
    expect(recordedOwners(makeIdentity({ provider: 'entra', kind: 'managed-identity', owners: [], attributes: { azureResourceId: mi } }))).toEqual([
      { id: mi, name: 'mi-indexer', kind: 'resource', source: 'api' },
    ]);
    expect(recordedOwners(makeIdentity({ owners: [], tags: { purpose: 'audit' } }))).toEqual([]);
  });

  it('so no-owner does not fire on them, and still fires on an identity with none', () => {
    const rules = loadRules().filter((r) => r.id === 'no-owner');
    const settings = new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }]));
    const identities = classifyAll(
      [makeIdentity({ id: 'a', owners: [], tags: { team: 'platform' } }), makeIdentity({ id: 'b', owners: [], tags: {} })],
      patterns,
    );
    expect(evaluateRules(identities, rules, '2026-11-20T00:00:00Z', settings).findings.map((f) => f.identityId)).toEqual(['b']);
  });
});

describe('provider-managed identities', () => {
  it('AWS service-linked roles, Google service agents and Microsoft first-party apps; never judged', () => {
    expect(providerManagedReason(makeIdentity({ attributes: { providerManaged: 'AWS service-linked role of support.amazonaws.com' } }))).toContain('service-linked');
    expect(providerManagedReason(makeIdentity({ provider: 'gcp', kind: 'service-agent' }))).toBe('Google-managed service agent');
    const graphExplorer = makeIdentity({
      id: 'entra:t:sp/x',
      provider: 'entra',
      kind: 'service-principal',
      owners: [],
      attributes: { appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a' },
    });
    expect(providerManagedReason(graphExplorer)).toBe('Microsoft first-party application');
    expect(providerManagedReason(makeIdentity({ provider: 'entra', kind: 'service-principal', attributes: { appOwnerOrganizationId: 'other' } }))).toBeUndefined();
    const rules = loadRules();
    const settings = new Map(rules.map((r) => [r.id, { severity: r.severity, parameters: r.parameters }]));
    const [marked] = classifyAll([graphExplorer], patterns);
    expect(marked.attributes.providerManaged).toBe('Microsoft first-party application');
    expect(evaluateRules([marked], rules, '2026-11-20T00:00:00Z', settings).findings).toEqual([]);
    // …while the same app from another tenant is judged (it has no owner).
    const foreign = { ...graphExplorer, attributes: { appOwnerOrganizationId: 'other' } };
    expect(evaluateRules(classifyAll([foreign], patterns), rules, '2026-11-20T00:00:00Z', settings).findings.map((f) => f.ruleId)).toContain('no-owner');
  });
});
