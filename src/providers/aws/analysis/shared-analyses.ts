import type { Entitlement } from '../../../model/inventory.js';
import type { PolicyDocument } from '../wire.js';

// Thousands of users and roles hold the same few managed policies, and most of what their
// analysis computes — effective permissions, the per-policy grant classes, the summary's counts —
// depends only on those documents, not on who holds them. So it is computed once per distinct
// input and shared; what does depend on the holder (its own ARN, groups and customer policies,
// for admin-equivalence and escalation scope) is recomputed per principal from the shared part.
//
// The key is a list of parts, each one input that shapes effective permissions; a new input
// (service control policies for the account, say) is one more part.

export class SharedAnalyses<T> {
  /** Distinct document contents → the first document seen with them; an inline policy repeated
   * on many roles is one, so what is cached per document (compiled statements, grant shapes) is
   * computed once for all of them. */
  private readonly contents = new Map<string, SharedDocument>();
  private readonly docs = new WeakMap<object, SharedDocument>();
  /** Most recently used last. Bounded: most principals of a large account hold a combination of
   * policies of their own, and keeping every analysis would hold the account's effective
   * permissions twice over; the combinations many share stay. */
  private readonly results = new Map<string, T>();

  /** Equal values that principals keep for the whole scan (their escalation paths: the same
   * method, permissions and policies on thousands of roles), one object each. Distinct values
   * only, and only while normalizing. */
  private readonly kept = new Map<string, unknown>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The object kept for `key`, made by `make` the first time. */
  keep<V>(key: string, make: () => V): V {
    let found = this.kept.get(key) as V | undefined;
    if (found === undefined) this.kept.set(key, (found = make()));
    return found;
  }

  document(doc: PolicyDocument): SharedDocument {
    let known = this.docs.get(doc);
    if (!known) {
      const text = JSON.stringify(doc);
      known = this.contents.get(text);
      if (!known) this.contents.set(text, (known = { id: this.contents.size, doc, variables: text.includes('${') }));
      this.docs.set(doc, known);
    }
    return known;
  }

  /** The result for these key parts, computed on first use. */
  get(parts: readonly string[], compute: () => T): T {
    const key = parts.join('\u0000');
    let found = this.results.get(key);
    if (found === undefined) {
      found = compute();
      if (this.results.size >= this.capacity) this.results.delete(this.results.keys().next().value!);
    } else this.results.delete(key);
    this.results.set(key, found);
    return found;
  }
}

const DEFAULT_CAPACITY = 2000;

export interface SharedDocument {
  /** Distinct per content. */
  id: number;
  /** The first document seen with this content. */
  doc: PolicyDocument;
  /** It uses policy variables (${aws:username}): it means something else for each user. */
  variables: boolean;
}

export function viaKey(via: Entitlement['via']): string {
  return `${via.type}\u0001${via.name}\u0001${via.id ?? ''}`;
}

/** One cache per scan: every account of a bundle shares it (AWS managed policies are the same
 * documents in each), and it goes when the scan's sources do. */
const perBundle = new WeakMap<object, SharedAnalyses<unknown>>();

export function sharedAnalysesFor<T>(bundle: object | undefined): SharedAnalyses<T> {
  if (!bundle) return new SharedAnalyses<T>();
  let shared = perBundle.get(bundle);
  if (!shared) perBundle.set(bundle, (shared = new SharedAnalyses<unknown>()));
  return shared as SharedAnalyses<T>;
}
