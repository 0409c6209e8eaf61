import type { SourceReader } from '../../bundle/source-reader.js';
import type { Container, Owner } from '../../model/inventory.js';
import { FILES, readPages } from './files.js';
import type { MachineUser } from './machine-users.js';
import { membersPageSchema, organizationSchema, type WireUser } from './wire.js';

// What every GitHub identity of one org shares: the org as container, the member lists that
// tell whether an owner is still in the org, and the bundle's clock.

export interface OrgContext {
  org: string;
  /** The organization's numeric id (an OIDC token's repository_owner_id), when orgs/get answered. */
  orgId?: number;
  container: Container;
  collectedAt: string;
  /** Lower-cased logins; undefined when the members call failed (membership unknown). */
  members?: Set<string>;
  admins?: Set<string>;
  /** Every member as listed (the pages that were collected). */
  memberUsers: WireUser[];
  /** Members recognised as machine users, by lower-cased login; set once credentials are read. */
  machineUsers?: Map<string, MachineUser>;
}

const logins = (pages: { login: string }[][]) => new Set(pages.flat().map((u) => u.login.toLowerCase()));

export function readOrgContext(source: SourceReader): OrgContext {
  const org = source.json(`${FILES.org.base}.json`, organizationSchema, { call: FILES.org.call });
  const failed = (call: string) => source.callFailed(call);
  const memberPages = readPages(source, FILES.members, membersPageSchema);
  const adminPages = readPages(source, FILES.admins, membersPageSchema);
  return {
    org: source.scope,
    ...(org ? { orgId: org.id } : {}),
    container: { type: 'organization', id: source.scope, ...(org?.name ? { name: org.name } : {}) },
    collectedAt: source.collectedAt,
    // A failed call may have stored some pages; a partial list cannot prove someone left.
    members: failed(FILES.members.call) ? undefined : logins(memberPages),
    admins: failed(FILES.admins.call) ? undefined : logins(adminPages),
    memberUsers: memberPages.flat(),
  };
}

/** admin (org owner), member, none (not in the org), or undefined when the lists are missing. */
export function orgRole(ctx: OrgContext, login: string): 'admin' | 'member' | 'none' | undefined {
  const key = login.toLowerCase();
  if (ctx.admins?.has(key)) return 'admin';
  if (!ctx.members) return undefined;
  if (!ctx.members.has(key)) return 'none';
  return ctx.admins ? 'member' : undefined;
}

/** A GitHub user who owns a credential; exists is false once they are no longer a member. */
export function userOwner(ctx: OrgContext, login: string): Owner {
  const exists = ctx.members ? ctx.members.has(login.toLowerCase()) : undefined;
  return { id: login, name: login, kind: 'user', source: 'api', ...(exists === undefined ? {} : { exists }) };
}

/** GitHub mixes `Z` and offsets (…-07:00); rules compare instants, so store UTC. */
export function utc(timestamp: string): string;
export function utc(timestamp: string | null | undefined): string | undefined;
export function utc(timestamp: string | null | undefined): string | undefined {
  if (!timestamp) return undefined;
  return new Date(timestamp).toISOString().replace('.000Z', 'Z');
}

export function expiredAt(ctx: OrgContext, expiresAt: string | undefined): boolean {
  return expiresAt !== undefined && Date.parse(expiresAt) <= Date.parse(ctx.collectedAt);
}

/** All repositories of the org, or the named part of it, as an entitlement's resource. */
export function repositoriesResource(ctx: OrgContext, selection: 'all' | 'selected' | 'public'): string {
  if (selection === 'all') return `${ctx.org}/*`;
  return selection === 'selected' ? `${ctx.org}/(selected repositories)` : `${ctx.org}/(public repositories)`;
}
