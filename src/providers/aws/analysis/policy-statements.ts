import type { PolicyCondition, PolicyDocument, PolicyStatement } from '../wire.js';
import { ActionSet } from './action-set.js';
import { actionSetOf, catalogue } from './catalogue.js';

// A policy statement compiled against the action catalogue: Action or NotAction as the set of
// catalogue actions it covers, Resource or NotResource as patterns, and its condition. One
// managed policy is attached to many principals, so each document is compiled once.

export interface CompiledStatement {
  effect: 'allow' | 'deny';
  actions: ActionSet;
  /** Action patterns nothing in the catalogue matches (a typo, or an action newer than it). */
  unknownActions: string[];
  /** Resource patterns; ["*"] for NotResource (see notResources) or when none is given. */
  resources: string[];
  /** NotResource: every resource except these. */
  notResources?: string[];
  condition?: PolicyCondition;
  /** Its resources name policy variables (${aws:username}): they mean something else per principal. */
  variables: boolean;
  /** The statement as written. */
  source: PolicyStatement;
}

const compiled = new WeakMap<PolicyDocument, CompiledStatement[]>();

export function compileStatement(s: PolicyStatement): CompiledStatement {
  let actions: ActionSet;
  let unknownActions: string[] = [];
  if (s.Action) {
    ({ set: actions, unknown: unknownActions } = actionSetOf(s.Action));
  } else {
    // NotAction covers every catalogued action except the listed ones.
    actions = actionSetOf(s.NotAction ?? []).set.clone().invert(catalogue().size);
  }
  const out: CompiledStatement = {
    effect: s.Effect === 'Allow' ? 'allow' : 'deny',
    actions,
    unknownActions,
    // A statement without Resource is not valid in an identity policy; read it as everything
    // rather than nothing, so it is not under-reported.
    resources: s.NotResource ? ['*'] : (s.Resource ?? ['*']),
    variables: [...(s.Resource ?? []), ...(s.NotResource ?? [])].some((r) => r.includes('${')),
    source: s,
  };
  if (s.NotResource) out.notResources = s.NotResource;
  if (s.Condition && Object.keys(s.Condition).length > 0) out.condition = s.Condition;
  return out;
}

export function compileDocument(doc: PolicyDocument): CompiledStatement[] {
  let statements = compiled.get(doc);
  if (!statements) {
    statements = doc.Statement.map(compileStatement);
    compiled.set(doc, statements);
  }
  return statements;
}
