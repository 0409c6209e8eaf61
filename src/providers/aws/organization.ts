import type { SourceReader } from '../../bundle/source-reader.js';
import { BundleError } from '../../util/errors.js';
import { guardrailInput, type AccountGuardrails, type ControlPolicy } from './analysis/scp.js';
import type { PrincipalInput } from './analysis/principal.js';
import { isOrganizationScope, ORG_CALLS, ORG_FILES } from './files.js';
import {
  describeOrganizationSchema,
  describePolicySchema,
  listAccountsForParentPageSchema,
  listOrganizationalUnitsPageSchema,
  listPoliciesPageSchema,
  listRootsPageSchema,
  listTargetsForPolicyPageSchema,
  ORGANIZATION_POLICY_TYPES,
} from './wire.js';

// The organisation's source folder (aws/<organization id>/) → the SCPs and RCPs on each account.
// Without that folder (no --aws-organization) accounts are analysed as before. When one of its
// calls failed the bundle is partial (bundle.json says so) and no control policy is applied:
// half a set of SCPs could remove a permission another level grants back, or keep one a
// missing Deny removes.

export interface Organization {
  id: string;
  management: string;
  parentOf: Map<string, string>;
  scps: Map<string, ControlPolicy[]>;
  rcps: Map<string, ControlPolicy[]>;
}

/** Pages of one listing, following NextToken; a page whose call failed ends it. */
function tokenPages<T>(file: (n: number) => string, read: (f: string) => T | undefined, next: (page: T) => string | undefined): T[] {
  const out: T[] = [];
  for (let n = 1; ; n++) {
    const page = read(file(n));
    if (!page) return out;
    out.push(page);
    if (!next(page)) return out;
  }
}

export function readOrganization(source: SourceReader): Organization | undefined {
  if (Object.values(ORG_CALLS).some((c) => source.callFailed(c))) return undefined;
  const org = source.json(ORG_FILES.describeOrganization, describeOrganizationSchema, { call: ORG_CALLS.describeOrganization });
  if (!org) return undefined;
  const opts = (call: string) => ({ call });
  const roots = tokenPages(ORG_FILES.listRootsPage, (f) => source.json(f, listRootsPageSchema, opts(ORG_CALLS.listRoots)), (p) => p.NextToken).flatMap((p) => p.Roots);
  const parentOf = new Map<string, string>();
  for (let level = roots.map((r) => r.Id); level.length > 0; ) {
    const next: string[] = [];
    for (const parent of level) {
      const ous = tokenPages((n) => ORG_FILES.listOrganizationalUnitsPage(parent, n),
        (f) => source.json(f, listOrganizationalUnitsPageSchema, opts(ORG_CALLS.listOrganizationalUnits)), (p) => p.NextToken).flatMap((p) => p.OrganizationalUnits);
      const accounts = tokenPages((n) => ORG_FILES.listAccountsForParentPage(parent, n),
        (f) => source.json(f, listAccountsForParentPageSchema, opts(ORG_CALLS.listAccountsForParent)), (p) => p.NextToken).flatMap((p) => p.Accounts);
      for (const child of [...ous, ...accounts]) {
        if (parentOf.has(child.Id)) throw new BundleError(source.display(ORG_FILES.listOrganizationalUnitsPage(parent, 1)), child.Id, 'appears under two parents');
        parentOf.set(child.Id, parent);
      }
      next.push(...ous.map((u) => u.Id));
    }
    level = next;
  }
  const scps = new Map<string, ControlPolicy[]>();
  const rcps = new Map<string, ControlPolicy[]>();
  for (const type of ORGANIZATION_POLICY_TYPES) {
    const listed = tokenPages((n) => ORG_FILES.listPoliciesPage(type, n),
      (f) => source.json(f, listPoliciesPageSchema, opts(ORG_CALLS.listPolicies)), (p) => p.NextToken).flatMap((p) => p.Policies);
    for (const summary of listed) {
      const described = source.json(ORG_FILES.describePolicy(summary.Id), describePolicySchema, opts(ORG_CALLS.describePolicy));
      if (!described) return undefined;
      const policy: ControlPolicy = { id: summary.Id, name: summary.Name, doc: described.Policy.Content };
      const targets = tokenPages((n) => ORG_FILES.listTargetsPage(summary.Id, n),
        (f) => source.json(f, listTargetsForPolicyPageSchema, opts(ORG_CALLS.listTargets)), (p) => p.NextToken).flatMap((p) => p.Targets);
      const into = type === 'SERVICE_CONTROL_POLICY' ? scps : rcps;
      for (const t of targets) into.set(t.TargetId, [...(into.get(t.TargetId) ?? []), policy]);
    }
  }
  return { id: org.Organization.Id, management: org.Organization.MasterAccountId, parentOf, scps, rcps };
}

/** The account's path from the root, with the control policies at each level; undefined when
 * none apply (the management account, or an account the tree does not hold). */
export function accountGuardrails(org: Organization, account: string): AccountGuardrails | undefined {
  if (account === org.management || !org.parentOf.has(account)) return undefined;
  const path: string[] = [account];
  for (let at = org.parentOf.get(account); at; at = org.parentOf.get(at)) path.unshift(at);
  return {
    levels: path.map((target) => ({ target, scps: org.scps.get(target) ?? [] })),
    rcps: path.flatMap((target) => org.rcps.get(target) ?? []),
  };
}

const cache = new WeakMap<SourceReader, Organization | null>();

/** The guardrails on `account` from the bundle's organisation folder, if it has one. */
export function guardrailsFromBundle(bundle: readonly SourceReader[] | undefined, account: string): PrincipalInput['guardrails'] {
  const source = bundle?.find((s) => s.source.provider === 'aws' && isOrganizationScope(s.scope));
  if (!source) return undefined;
  if (!cache.has(source)) cache.set(source, readOrganization(source) ?? null);
  const org = cache.get(source);
  const policies = org ? accountGuardrails(org, account) : undefined;
  return policies && { policies, input: guardrailInput(policies) };
}
