import type { SourceReader } from '../../bundle/source-reader.js';
import type { Container } from '../../model/inventory.js';
import type { Normalizer } from '../normalizer.js';
import { BundleError } from '../../util/errors.js';
import { readAuthorizationDetails } from './authorization-details.js';
import type { AccountContext } from './context.js';
import { readCredentialReport } from './credential-report.js';
import { sharedAnalysesFor } from './analysis/shared-analyses.js';
import { CALLS, FILES, isOrganizationScope } from './files.js';
import { guardrailsFromBundle } from './organization.js';
import { readRoleDescriptions } from './role-descriptions.js';
import { roleIdentities } from './roles.js';
import { trustsByDocument } from './trust.js';
import { userIdentities } from './users.js';
import { accountAliasesSchema, callerIdentitySchema } from './wire.js';

// One AWS account's bundle folder → identities: the root user, IAM users and IAM roles.

/** The account the folder describes, checked against what STS said at collection time. */
function accountContainer(source: SourceReader): Container {
  const caller = source.json(FILES.callerIdentity, callerIdentitySchema, { call: CALLS.callerIdentity });
  if (caller && caller.Account !== source.scope) {
    throw new BundleError(
      source.display(FILES.callerIdentity),
      'Account',
      `is ${caller.Account}, but bundle.json says this source is account ${source.scope}`,
    );
  }
  const alias = source.json(FILES.accountAliases, accountAliasesSchema, { call: CALLS.accountAliases })?.AccountAliases[0];
  return alias ? { type: 'account', id: source.scope, name: alias } : { type: 'account', id: source.scope };
}

export const normalizeAws: Normalizer = (source, bundle) => {
  // The organisation's folder holds its tree and control policies, read by each account's.
  if (isOrganizationScope(source.scope)) return [];
  const ctx: AccountContext = {
    source,
    account: source.scope,
    now: source.collectedAt,
    container: accountContainer(source),
    details: readAuthorizationDetails(source),
    report: readCredentialReport(source),
    analyses: sharedAnalysesFor(bundle),
    roleDescriptions: readRoleDescriptions(source),
    trustOf: trustsByDocument(source.scope),
    guardrails: guardrailsFromBundle(bundle, source.scope),
  };
  return [...userIdentities(ctx), ...roleIdentities(ctx)];
};
