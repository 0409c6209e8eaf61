import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
} from '@aws-sdk/client-organizations';
import type { z } from 'zod';
import type { BundleWriter, SourceWriter } from '../../../bundle/write.js';
import { CallLog } from '../../../collect/call-log.js';
import { mapPool } from '../../../collect/pool.js';
import { ORG_CALLS, ORG_FILES } from '../files.js';
import {
  describeOrganizationSchema,
  describePolicySchema,
  listAccountsForParentPageSchema,
  listOrganizationalUnitsPageSchema,
  listPoliciesPageSchema,
  listRootsPageSchema,
  listTargetsForPolicyPageSchema,
  ORGANIZATION_POLICY_TYPES,
} from '../wire.js';
import { checkedBody } from './checked.js';
import type { AwsClients } from './clients.js';
import { describeFailure } from './failure.js';

// The organisation's tree (root, OUs, which account sits where) and its service and resource
// control policies, into a source folder of their own (`aws/<organization id>/`). The plan
// grows with OUs and policies, not with accounts × policies: one listing of OUs and of accounts
// per parent, one DescribePolicy and one target listing per policy.

interface TokenPaged {
  NextToken?: string;
  $metadata?: unknown;
}

interface Run {
  calls: CallLog;
  out: SourceWriter;
  clients: AwsClients;
}

/** Every page of one NextToken listing; false (and a coverage entry) when a page failed. */
async function pages<T extends TokenPaged, S extends z.ZodType>(
  run: Run,
  call: string,
  file: (page: number) => string,
  schema: S,
  request: (token: string | undefined) => Promise<T>,
  onPage: (body: z.output<S>) => void,
): Promise<boolean> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 1; ; page++) {
    try {
      const output = await run.calls.send(call, () => request(token));
      const body = checkedBody(call, output, schema);
      run.out.json(file(page), body);
      onPage(schema.parse(JSON.parse(JSON.stringify(body))));
      token = output.NextToken;
    } catch (err) {
      run.calls.failed(call, `${describeFailure(err, call)} on page ${page}`);
      return false;
    }
    if (!token) return true;
    if (seen.has(token)) {
      run.calls.failed(call, `malformed response: ${call} repeated a NextToken on page ${page}`);
      return false;
    }
    seen.add(token);
  }
}

export interface OrganizationPoliciesResult {
  /** The organisation's id, when DescribeOrganization answered (the source folder's scope). */
  organizationId?: string;
  calls: CallLog;
}

/** Collects the tree and the control policies; every failure is a coverage entry of the organisation (or, before its id is known, of `home`). */
export async function collectOrganizationPolicies(
  writer: BundleWriter,
  clients: AwsClients,
  home: string,
  concurrency: number,
  onCall?: (api: string) => void,
): Promise<OrganizationPoliciesResult> {
  const calls = new CallLog('aws', onCall);
  let org;
  try {
    const output = await calls.send(ORG_CALLS.describeOrganization, () => clients.organizations.send(new DescribeOrganizationCommand({})));
    org = checkedBody(ORG_CALLS.describeOrganization, output, describeOrganizationSchema) as z.output<typeof describeOrganizationSchema>;
  } catch (err) {
    calls.failed(ORG_CALLS.describeOrganization, describeFailure(err, ORG_CALLS.describeOrganization));
    writer.addCoverage(...calls.coverage(home));
    return { calls };
  }
  const organizationId = org.Organization.Id;
  const run: Run = { calls, clients, out: writer.source('aws', organizationId) };
  run.out.json(ORG_FILES.describeOrganization, org);
  calls.ok(ORG_CALLS.describeOrganization);

  // The tree, one level at a time: each parent's OUs and accounts.
  const parents: string[] = [];
  await pages(run, ORG_CALLS.listRoots, ORG_FILES.listRootsPage, listRootsPageSchema,
    (NextToken) => clients.organizations.send(new ListRootsCommand({ NextToken })),
    (body) => parents.push(...body.Roots.map((r) => r.Id)));
  for (let level = parents.splice(0); level.length > 0; level = parents.splice(0)) {
    await mapPool(level, concurrency, async (parent) => {
      await pages(run, ORG_CALLS.listOrganizationalUnits, (n) => ORG_FILES.listOrganizationalUnitsPage(parent, n), listOrganizationalUnitsPageSchema,
        (NextToken) => clients.organizations.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken })),
        (body) => parents.push(...body.OrganizationalUnits.map((u) => u.Id)));
      await pages(run, ORG_CALLS.listAccountsForParent, (n) => ORG_FILES.listAccountsForParentPage(parent, n), listAccountsForParentPageSchema,
        (NextToken) => clients.organizations.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken })),
        () => {});
    });
  }

  // The policies of both kinds, then each one's content and targets.
  const policies: string[] = [];
  for (const type of ORGANIZATION_POLICY_TYPES) {
    await pages(run, ORG_CALLS.listPolicies, (n) => ORG_FILES.listPoliciesPage(type, n), listPoliciesPageSchema,
      (NextToken) => clients.organizations.send(new ListPoliciesCommand({ Filter: type, NextToken })),
      (body) => policies.push(...body.Policies.map((p) => p.Id)));
  }
  await mapPool([...new Set(policies)], concurrency, async (id) => {
    try {
      const output = await calls.send(ORG_CALLS.describePolicy, () => clients.organizations.send(new DescribePolicyCommand({ PolicyId: id })));
      run.out.json(ORG_FILES.describePolicy(id), checkedBody(ORG_CALLS.describePolicy, output, describePolicySchema));
    } catch (err) {
      calls.failed(ORG_CALLS.describePolicy, describeFailure(err, ORG_CALLS.describePolicy));
    }
    await pages(run, ORG_CALLS.listTargets, (n) => ORG_FILES.listTargetsPage(id, n), listTargetsForPolicyPageSchema,
      (NextToken) => clients.organizations.send(new ListTargetsForPolicyCommand({ PolicyId: id, NextToken })),
      () => {});
  });
  // One entry per call: a failure recorded above outranks these.
  for (const call of Object.values(ORG_CALLS)) calls.ok(call);
  writer.addCoverage(...calls.coverage(organizationId));
  return { organizationId, calls };
}
