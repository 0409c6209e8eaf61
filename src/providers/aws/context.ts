import type { SourceReader } from '../../bundle/source-reader.js';
import type { Container, Trust } from '../../model/inventory.js';
import type { PolicyAnalysis } from './analysis/principal.js';
import type { SharedAnalyses } from './analysis/shared-analyses.js';
import type { AuthorizationDetails } from './authorization-details.js';
import type { PrincipalInput } from './analysis/principal.js';
import type { CredentialReportRow, PolicyDocument } from './wire.js';

/** What the identity builders share for one account; a source is undefined when its call failed. */
export interface AccountContext {
  source: SourceReader;
  account: string;
  /** The bundle's clock: a time window that closed before it makes a grant ineffective. */
  now: string;
  container: Container;
  details?: AuthorizationDetails;
  /** Credential report rows by user name (including <root_account>). */
  report?: Map<string, CredentialReportRow>;
  /** Analyses of principals holding the same policies, computed once (shared by the bundle's accounts). */
  analyses: SharedAnalyses<PolicyAnalysis>;
  /** Role descriptions by role name (iam:ListRoles); empty when not collected. */
  roleDescriptions: Map<string, string>;
  /** Who can become a role with this trust document: one shared list per distinct document. */
  trustOf: (doc: PolicyDocument) => Trust[];
  /** The organisation's SCPs and RCPs on this account; absent without --aws-organization data,
   * or for the management account (which they never restrict). */
  guardrails?: PrincipalInput['guardrails'];
}

/** A copy without the fields that are unknown, so a missing fact is absent rather than undefined. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
