import type { z } from 'zod';
import type { SourceReader } from '../../bundle/source-reader.js';
import { BundleError } from '../../util/errors.js';
import { CALLS, FILES } from './files.js';
import {
  authorizationDetailsPageSchema,
  type GroupDetail,
  type ManagedPolicy,
  type PolicyDocument,
  type RoleDetail,
  type UserDetail,
} from './wire.js';

// GetAccountAuthorizationDetails, all pages joined. IAM fills the pages in order (users, groups,
// roles, then managed policies), so a user on page 1 routinely refers to a group or policy on a
// later page: references are resolved only once every page is read.

/** An entity and where it sits in the bundle, so a broken reference can be named precisely. */
export interface Located<T> {
  item: T;
  file: string;
  path: string;
}

export interface AuthorizationDetails {
  users: Located<UserDetail>[];
  roles: Located<RoleDetail>[];
  groups: Map<string, Located<GroupDetail>>;
  policies: Map<string, Located<ManagedPolicy>>;
  /** false when a later page is missing because its call failed: references into it cannot resolve. */
  complete: boolean;
}

type Page = z.output<typeof authorizationDetailsPageSchema>;

/** Every page, following IsTruncated; undefined when even the first page's call failed. */
export function readAuthorizationDetails(source: SourceReader): AuthorizationDetails | undefined {
  const details: AuthorizationDetails = { users: [], roles: [], groups: new Map(), policies: new Map(), complete: true };
  for (let n = 1; ; n++) {
    const file = FILES.authorizationDetailsPage(n);
    const page: Page | undefined = source.json(file, authorizationDetailsPageSchema, { call: CALLS.authorizationDetails });
    if (!page) {
      if (n === 1) return undefined;
      details.complete = false;
      return details;
    }
    const shown = source.display(file);
    page.UserDetailList.forEach((item, i) => details.users.push({ item, file: shown, path: `UserDetailList[${i}]` }));
    page.RoleDetailList.forEach((item, i) => details.roles.push({ item, file: shown, path: `RoleDetailList[${i}]` }));
    page.GroupDetailList.forEach((item, i) =>
      details.groups.set(item.GroupName, { item, file: shown, path: `GroupDetailList[${i}]` }),
    );
    page.Policies.forEach((item, i) => details.policies.set(item.Arn, { item, file: shown, path: `Policies[${i}]` }));
    if (!page.IsTruncated) return details;
  }
}

/** Where a reference is written, e.g. RoleDetailList[2].AttachedManagedPolicies[0].PolicyArn. */
export interface Reference {
  file: string;
  path: string;
}

/** Looks an entity up; a dangling reference is a broken bundle unless pages are missing. */
function lookup<T>(
  details: AuthorizationDetails,
  map: Map<string, Located<T>>,
  key: string,
  ref: Reference,
  what: string,
): Located<T> | undefined {
  const found = map.get(key);
  if (found || !details.complete) return found;
  throw new BundleError(ref.file, ref.path, `${what} "${key}" is not in any page's ${what === 'group' ? 'GroupDetailList' : 'Policies'}`);
}

export function findGroup(details: AuthorizationDetails, name: string, ref: Reference): Located<GroupDetail> | undefined {
  return lookup(details, details.groups, name, ref, 'group');
}

/** A managed policy's default-version document. */
export function findPolicyDocument(
  details: AuthorizationDetails,
  arn: string,
  ref: Reference,
): PolicyDocument | undefined {
  const located = lookup(details, details.policies, arn, ref, 'managed policy');
  return located ? defaultVersion(located) : undefined;
}

/** A permissions boundary's document. IAM lists a managed policy in the authorization details
 * when it is attached to something; one used only as a boundary may be absent, which is not a
 * broken bundle, so a missing boundary is undefined rather than an error. */
export function findBoundaryDocument(details: AuthorizationDetails, arn: string): PolicyDocument | undefined {
  const located = details.policies.get(arn);
  return located ? defaultVersion(located) : undefined;
}

function defaultVersion(located: Located<ManagedPolicy>): PolicyDocument {
  const { item } = located;
  const version =
    item.PolicyVersionList.find((v) => v.IsDefaultVersion) ??
    item.PolicyVersionList.find((v) => v.VersionId === item.DefaultVersionId);
  if (!version) {
    throw new BundleError(
      located.file,
      `${located.path}.PolicyVersionList`,
      `no version is the default (DefaultVersionId ${item.DefaultVersionId})`,
    );
  }
  return version.Document;
}
