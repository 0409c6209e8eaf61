import type { AgentSignal, AgentVerdict, Identity } from '../model/inventory.js';
import type { AgentPatterns, PatternSet } from './patterns.js';
import { markProviderManaged } from '../facts/provider-managed.js';
import { withRecordedOwners } from '../facts/owners.js';

// Signal weights: how strongly each kind of evidence alone says "agent" (or "automation").
// A provider-declared agent kind is conclusive; a name is a hint.
const WEIGHT: Record<AgentSignal['kind'], number> = {
  manifest: 1,
  kind: 1,
  trust: 0.9,
  app: 0.9,
  'last-used-service': 0.8,
  tag: 0.8,
  'delegated-grant': 0.6,
  'credential-note': 0.7,
  name: 0.6,
  automation: 0.6,
};

const first = (patterns: RegExp[], value: string | undefined): RegExp | undefined =>
  value ? patterns.find((p) => p.test(value)) : undefined;

/** The part of `value` the pattern matched, trimmed of separators: "agent" in "bedrock-triage-agent". */
const matched = (pattern: RegExp, value: string): string => (value.match(pattern)?.[0] ?? value).replace(/^[^a-z0-9]+|[^a-z0-9]+$/gi, '');

function signalsFrom(identity: Identity, set: PatternSet, points: 'agent' | 'automation'): AgentSignal[] {
  const out: AgentSignal[] = [];
  const add = (kind: AgentSignal['kind'], evidence: string, credentialId?: string) =>
    out.push({ kind, points, weight: WEIGHT[kind], evidence, ...(credentialId ? { credentialId } : {}) });

  const description = typeof identity.attributes.description === 'string' ? identity.attributes.description : undefined;
  const byName = first(set.names, identity.name);
  const byDescription = byName ? undefined : first(set.names, description);
  if (byName) add('name', `name contains "${matched(byName, identity.name)}"`);
  else if (byDescription) add('name', `description "${description}" contains "${matched(byDescription, description!)}"`);
  for (const [key, value] of Object.entries(identity.tags)) {
    if (first(set.tagKeys, key) || first(set.tagValues, value)) {
      add('tag', `tag ${key}=${value}`);
      break;
    }
  }
  for (const trust of identity.trustedBy) {
    if (first(set.trustPrincipals, trust.principal)) {
      add('trust', `${trust.principal} can act as it`);
      break;
    }
  }
  for (const c of identity.credentials) {
    if (first(set.services, c.lastUsedService)) {
      add('last-used-service', `credential ${c.id} was last used on ${c.lastUsedService}`, c.id);
      break;
    }
  }
  const slug = typeof identity.attributes.appSlug === 'string' ? identity.attributes.appSlug : undefined;
  if (first(set.apps, slug)) add('app', `GitHub App "${slug}"`);
  for (const c of identity.credentials) {
    const note = c.attributes?.note;
    if (typeof note === 'string' && first(set.names, note)) {
      add('credential-note', `credential ${c.id} is labelled "${note}"`, c.id);
      break;
    }
  }
  return out;
}

/** Combines independent signals: 1 − Π(1 − weight). */
function score(signals: AgentSignal[]): number {
  return 1 - signals.reduce((rest, s) => rest * (1 - s.weight), 1);
}

export function classifyIdentity(identity: Identity, patterns: AgentPatterns): AgentVerdict {
  const declared = identity.agent.signals.filter((s) => s.kind === 'manifest');
  const agentSignals = [...declared, ...signalsFrom(identity, patterns.agent, 'agent')];
  if (identity.kind === 'agent-identity') {
    agentSignals.unshift({ kind: 'kind', points: 'agent', weight: WEIGHT.kind, evidence: 'Entra Agent ID identity' });
  }
  const delegated = identity.entitlements.filter((e) => e.via.type === 'delegated-grant');
  if (agentSignals.length > 0 && delegated.length > 0) {
    const whom = delegated.map((e) => (e.onBehalfOf === 'AllPrincipals' ? 'every user' : `user ${e.onBehalfOf}`));
    agentSignals.push({
      kind: 'delegated-grant',
      points: 'agent',
      weight: WEIGHT['delegated-grant'],
      evidence: `acts with delegated access on behalf of ${[...new Set(whom)].join(', ')}`,
    });
  }
  const automationSignals = signalsFrom(identity, patterns.automation, 'automation').map((s) => ({
    ...s,
    weight: Math.min(s.weight, WEIGHT.automation),
  }));
  const agentScore = score(agentSignals);
  const automationScore = score(automationSignals);
  const round = (n: number) => Math.round(n * 100) / 100;

  if (agentScore >= 0.5 && agentScore >= automationScore) {
    return { verdict: 'agent', confidence: round(agentScore), signals: [...agentSignals, ...automationSignals] };
  }
  if (identity.human) {
    return { verdict: 'human', confidence: round(1 - agentScore), signals: [...agentSignals, ...automationSignals] };
  }
  if (automationScore >= 0.5 || agentScore > 0) {
    const verdict = automationScore >= agentScore ? 'automation' : 'agent';
    return {
      verdict,
      confidence: round(Math.max(automationScore, agentScore)),
      signals: [...agentSignals, ...automationSignals],
    };
  }
  return { verdict: 'unknown', confidence: 0, signals: [] };
}

export function classifyAll(identities: Identity[], patterns: AgentPatterns): Identity[] {
  return identities.map((identity) => {
    const marked = withRecordedOwners(markProviderManaged(identity));
    return { ...marked, agent: classifyIdentity(marked, patterns) };
  });
}
