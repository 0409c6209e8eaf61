import type { z } from 'zod';
import type { SourceReader } from '../../bundle/source-reader.js';
import { BundleError } from '../../util/errors.js';
import type { graphCollection } from './wire.js';

// Where each Graph response sits in an Entra source folder, and the coverage call name the
// collector records when that request fails. docs/bundle/entra.md documents the same table.

export const CALL = {
  organization: 'GET /organization',
  servicePrincipals: 'GET /servicePrincipals',
  agentIdentities: 'GET /servicePrincipals/microsoft.graph.agentIdentity',
  applications: 'GET /applications',
  federatedIdentityCredentials: 'GET /applications/{id}/federatedIdentityCredentials',
  appRoleAssignments: 'GET /servicePrincipals/{id}/appRoleAssignments',
  oauth2PermissionGrants: 'GET /oauth2PermissionGrants',
  roleAssignments: 'GET /roleManagement/directory/roleAssignments',
  roleEligibilitySchedules: 'GET /roleManagement/directory/roleEligibilitySchedules',
  servicePrincipalOwners: 'GET /servicePrincipals/{id}/owners',
  applicationOwners: 'GET /applications/{id}/owners',
  sponsors: 'GET /servicePrincipals/{id}/microsoft.graph.agentIdentity/sponsors',
  blueprintSponsors: 'GET /servicePrincipals/{id}/microsoft.graph.agentIdentityBlueprintPrincipal/sponsors',
  referencedUsers: 'POST /directoryObjects/getByIds',
  deletedUsers: 'GET /directory/deletedItems/microsoft.graph.user',
  servicePrincipalSignInActivities: 'GET /reports/servicePrincipalSignInActivities',
  appCredentialSignInActivities: 'GET /reports/appCredentialSignInActivities',
} as const;

/** Collection responses, by file base name (without `.json` / `.page-N.json`). */
export const FILE = {
  organization: 'organization',
  servicePrincipals: 'servicePrincipals',
  agentIdentities: 'servicePrincipals-agentIdentity',
  applications: 'applications',
  oauth2PermissionGrants: 'oauth2PermissionGrants',
  roleAssignments: 'roleManagement-directory-roleAssignments',
  roleEligibilitySchedules: 'roleManagement-directory-roleEligibilitySchedules',
  deletedUsers: 'directory-deletedItems-users',
  referencedUsers: 'directoryObjects-getByIds',
  servicePrincipalSignInActivities: 'reports-servicePrincipalSignInActivities',
  appCredentialSignInActivities: 'reports-appCredentialSignInActivities',
} as const;

/** Per-object responses live in a folder named after the request, one file per object id. */
export const DIR = {
  federatedIdentityCredentials: 'applications-federatedIdentityCredentials',
  appRoleAssignments: 'servicePrincipals-appRoleAssignments',
  servicePrincipalOwners: 'servicePrincipals-owners',
  applicationOwners: 'applications-owners',
  sponsors: 'servicePrincipals-sponsors',
} as const;

export function objectFile(dir: string, objectId: string): string {
  return `${dir}/${objectId}.json`;
}

/** The coverage call that explains a missing per-object file: the collector may record the
 * failed request with the object id filled in, or under the templated call name. */
export function perObjectCall(source: SourceReader, template: string, objectId: string): string {
  const exact = template.replace('{id}', objectId);
  return source.callFailed(exact) ? exact : template;
}

type Collection<T extends z.ZodType> = ReturnType<typeof graphCollection<T>>;

export interface ReadCollectionOptions {
  /** Paged calls are stored as `<base>.page-1.json`, `<base>.page-2.json`, … ; unpaged as `<base>.json`. */
  paged?: boolean;
  /** The file may be absent without explanation (an optional report). */
  optional?: boolean;
}

/**
 * Reads a Graph collection as the collector stored it and returns the items of every page, or
 * undefined when the call failed (per bundle.json coverage) before any page was written. Pages
 * are followed through `@odata.nextLink`, as the wire did: a page that announces a next page
 * which the bundle lacks is a truncated bundle, unless coverage records that the call failed.
 */
export function readCollection<T extends z.ZodType>(
  source: SourceReader,
  base: string,
  schema: Collection<T>,
  call: string,
  opts: ReadCollectionOptions = {},
): z.infer<T>[] | undefined {
  const firstPage = `${base}.page-1.json`;
  if (!opts.paged && !source.exists(firstPage)) {
    const file = `${base}.json`;
    const body = opts.optional ? source.json(file, schema, { call, optional: true }) : source.json(file, schema, { call });
    if (body === undefined) return undefined;
    if (body['@odata.nextLink']) {
      throw new BundleError(
        source.display(file),
        '@odata.nextLink',
        `the response has more pages; store them as ${base}.page-1.json, ${base}.page-2.json, …`,
      );
    }
    return body.value as z.infer<T>[];
  }

  const items: z.infer<T>[] = [];
  for (let page = 1; ; page++) {
    const file = `${base}.page-${page}.json`;
    const body =
      page === 1 && opts.optional
        ? source.json(file, schema, { call, optional: true })
        : source.json(file, schema, { call });
    if (body === undefined) return page === 1 ? undefined : items;
    items.push(...(body.value as z.infer<T>[]));
    if (!body['@odata.nextLink']) return items;
  }
}
