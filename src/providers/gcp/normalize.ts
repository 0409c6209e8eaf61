import type { SourceReader } from '../../bundle/source-reader.js';
import { UNCLASSIFIED, type Container, type Identity } from '../../model/inventory.js';
import type { Normalizer } from '../normalizer.js';
import { readLastAuthentication } from './activity.js';
import { keyCredential } from './credentials.js';
import { ACTIVITY_TYPES, CALLS, FILES, perAccountCall } from './files.js';
import { collectGrants } from './grants.js';
import { isAppEngineDefaultSA, isDefaultComputeSA, isServiceAgent, type ProjectRef } from './members.js';
import { ownersFromDescription, principalsInPolicies } from './owners.js';
import { readPages, readPerAccount } from './read.js';
import { keysListSchema, policySchema, projectSchema, serviceAccountsPageSchema, type ServiceAccount } from './wire.js';

// One Google Cloud project → its service accounts. Service agents (Google's own accounts for
// its services) are not listed by serviceAccounts.list and never become identities; they
// appear as principals that can act as ours.

function latest(...times: Array<string | undefined>): string | undefined {
  return times.filter((t): t is string => t !== undefined).sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

export const normalizeGcp: Normalizer = (source: SourceReader): Identity[] => {
  const project = source.json(FILES.project, projectSchema, { call: CALLS.projectGet });
  const ref: ProjectRef = {
    projectId: project?.projectId ?? source.scope,
    projectNumber: project?.name.slice('projects/'.length),
  };
  const container: Container = { type: 'project', id: ref.projectId, ...(project?.displayName ? { name: project.displayName } : {}) };

  const pages = readPages(source, FILES.serviceAccountsPage, serviceAccountsPageSchema, CALLS.serviceAccountsList);
  if (!pages) return [];
  const accounts: ServiceAccount[] = pages.flatMap((p) => p.accounts).filter((a) => !isServiceAgent(a.email));
  const emails = accounts.map((a) => a.email);

  const projectPolicy = source.json(FILES.projectIamPolicy, policySchema, { call: CALLS.projectGetIamPolicy });
  const accountPolicies = new Map(
    emails.map((email) => [
      email,
      readPerAccount(
        source,
        FILES.serviceAccountIamPolicy(email),
        policySchema,
        CALLS.serviceAccountGetIamPolicy,
        perAccountCall(CALLS.serviceAccountGetIamPolicy, email),
      ),
    ]),
  );
  const grants = collectGrants(ref, emails, projectPolicy, accountPolicies);
  const principals = principalsInPolicies([projectPolicy, ...accountPolicies.values()]);
  const accountAuth = readLastAuthentication(source, ACTIVITY_TYPES.serviceAccount);
  const keyAuth = readLastAuthentication(source, ACTIVITY_TYPES.serviceAccountKey);

  return accounts.map((account): Identity => {
    const { email } = account;
    const keys = readPerAccount(source, FILES.keys(email), keysListSchema, CALLS.keysList, perAccountCall(CALLS.keysList, email));
    const credentials = (keys?.keys ?? []).map((k) => keyCredential(k, keyAuth?.keys));
    const accountLastAuth = accountAuth?.accounts.get(email) ?? accountAuth?.accounts.get(account.uniqueId);
    // A key authenticating is the account authenticating, so either report is evidence of use.
    const lastUsedAt = latest(accountLastAuth, ...credentials.map((c) => c.lastUsedAt));
    const { entitlements, trustedBy } = grants.get(email)!;
    return {
      id: `gcp:${source.scope}:sa/${email}`,
      provider: 'gcp',
      kind: 'service-account',
      name: email,
      container,
      owners: ownersFromDescription(account.description, principals),
      // Service accounts carry no labels or tags in the IAM API.
      tags: {},
      // The IAM API does not report when a service account was created.
      ...(lastUsedAt ? { lastUsedAt } : {}),
      enabled: !account.disabled,
      human: false,
      agent: UNCLASSIFIED,
      credentials,
      entitlements,
      trustedBy,
      attributes: {
        email,
        uniqueId: account.uniqueId,
        ...(account.displayName ? { displayName: account.displayName } : {}),
        ...(account.description ? { description: account.description } : {}),
        ...(ref.projectNumber ? { projectNumber: ref.projectNumber } : {}),
        isDefaultComputeSA: isDefaultComputeSA(email),
        isAppEngineDefaultSA: isAppEngineDefaultSA(email),
        // Policy Analyzer answered: an account without lastUsedAt did not authenticate in its window.
        usageTracked: accountAuth !== undefined,
      },
    };
  });
};
