import type { LoadedBundle } from '../bundle/load.js';
import { classifyAll } from '../classify/classify.js';
import type { AgentPatterns } from '../classify/patterns.js';
import type { Finding } from '../model/finding.js';
import { SEVERITY_RANK } from '../model/finding.js';
import type { Identity, Provider } from '../model/inventory.js';
import { computeFacts } from '../facts/stage.js';
import { NORMALIZERS } from '../providers/index.js';
import { evaluateRules, type RuleSettings } from '../rules/evaluate.js';
import type { ScanResult } from '../model/scan-result.js';
import { matchManifest, manifestSignals, type LoadedManifest } from '../drift/manifest.js';
import { applySuppressions, type Suppression } from '../config/suppressions.js';
import type { CompiledRule } from '../rules/load.js';
import { InputError } from '../util/errors.js';
import { boundHeapGrowth } from '../util/heap-growth.js';

export interface AnalyseOptions {
  rules: CompiledRule[];
  settings: Map<string, RuleSettings>;
  patterns: AgentPatterns;
  providers?: Provider[];
  manifest?: LoadedManifest;
  suppressions?: Suppression[];
  /** The wall clock, for suppression expiry (ages of credentials use the bundle's clock). */
  now?: string;
}

/** The identities of `sources`. Normalizers keep what they share across sources (the AWS policy
 * analyses) for as long as the list of sources they are given lives: a copy made here, so that
 * goes when normalizing ends instead of staying through rules and reports with the bundle. */
function normalizeSources(bundle: LoadedBundle, sources: LoadedBundle['sources']): Identity[] {
  const all = [...bundle.sources];
  const seen = new Map<string, string>();
  const normalized: Identity[] = [];
  for (const source of sources) {
    for (const identity of NORMALIZERS[source.source.provider](source, all)) {
      const clash = seen.get(identity.id);
      if (clash) throw new InputError(`identity ${identity.id} appears in both ${clash} and ${source.source.path}`, bundle.dir);
      seen.set(identity.id, source.source.path);
      normalized.push(identity);
    }
    boundHeapGrowth();
  }
  return normalized;
}

/** The classified identities and what the manifest declares of them. In a function of its own:
 * the identities before classifying are copies, and as locals of analyseBundle they would stay
 * alive through the rules (V8 keeps a running function's locals). */
function classifiedInventory(bundle: LoadedBundle, sources: LoadedBundle['sources'], opts: AnalyseOptions, collectedAt: string) {
  const normalized = normalizeSources(bundle, sources);
  const declared = opts.manifest ? matchManifest(normalized, opts.manifest, collectedAt) : undefined;
  const withDeclared = declared
    ? normalized.map((i) => ({ ...i, agent: { ...i.agent, signals: [...manifestSignals(declared, i.id), ...i.agent.signals] } }))
    : normalized;
  return { identities: classifyAll(withDeclared, opts.patterns), declared };
}

/** bundle → normalize → classify → facts → evaluate. Pure apart from reading the bundle's files. */
export function analyseBundle(bundle: LoadedBundle, opts: AnalyseOptions): ScanResult {
  const sources = bundle.sources.filter((s) => !opts.providers || opts.providers.includes(s.source.provider));
  if (opts.providers && sources.length === 0) {
    throw new InputError(`the bundle holds no data for ${opts.providers.join(', ')}`, bundle.dir);
  }
  const collectedAt = bundle.manifest.collectedAt;
  const { identities, declared } = classifiedInventory(bundle, sources, opts, collectedAt);
  const facts = computeFacts(identities, collectedAt);
  // The rules churn through the inventory and the facts: most of a big scan's garbage is theirs.
  boundHeapGrowth();
  const first = evaluateRules(identities, opts.rules, collectedAt, opts.settings, { facts, manifest: declared });
  // Suppressions apply to the findings just made; the rules about suppressions then see how
  // many each one matched.
  const muted = applySuppressions(first.findings, opts.suppressions ?? [], opts.now ?? new Date().toISOString());
  const second = evaluateRules([], opts.rules.filter((r) => r.target === 'suppression'), collectedAt, opts.settings, {
    suppressions: muted.views,
  });
  const findings = [...muted.findings, ...second.findings];
  const errors = [...first.errors, ...second.errors];
  // Coverage of every scanned provider, also of scopes that have no source folder (an
  // organization listing that failed before any account was reached): partial is never clean.
  const scanned = new Set(opts.providers ?? bundle.manifest.coverage.map((c) => c.provider));
  return {
    collectedAt,
    bundleTool: bundle.manifest.tool,
    scope: sources.map((s) => ({ provider: s.source.provider, scope: s.scope })),
    coverage: bundle.manifest.coverage.filter((c) => scanned.has(c.provider)),
    identities,
    findings: sortFindings(findings),
    ruleErrors: errors,
    rules: opts.rules,
    reach: facts.reach,
    ...(declared && { declaredAgents: Object.fromEntries([...declared.declared].map(([id, d]) => [id, d.agents])) }),
  };
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.family.localeCompare(b.family) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.identityId.localeCompare(b.identityId) ||
      a.target.key.localeCompare(b.target.key),
  );
}

/** Coverage errors or rule evaluation errors: the result is partial, never clean. */
export function isIncomplete(result: ScanResult): boolean {
  return result.coverage.some((c) => c.status === 'error') || result.ruleErrors.length > 0;
}
