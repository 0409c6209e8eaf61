import { UNCLASSIFIED, type Entitlement, type Identity } from '../../model/inventory.js';
import { utc, repositoriesResource, type OrgContext } from './context.js';
import { fineGrainedEntitlement } from './entitlements.js';
import { isOrganizationPermission } from './permissions.js';
import type { WireInstallation } from './wire.js';

// A GitHub App installed on the org. The app holds the private key that mints installation
// tokens, so the app is who acts through it; the org sees no key of its own to report.

function split(permissions: Record<string, string>) {
  const org: Record<string, string> = {};
  const repo: Record<string, string> = {};
  for (const [name, access] of Object.entries(permissions)) (isOrganizationPermission(name) ? org : repo)[name] = access;
  return { org, repo };
}

/** An installation limited to selected repositories that can push to them: which ones it was given
 * decides whose workflows it can change, so only these have their repository list collected. */
export function needsRepositoryList(inst: WireInstallation): boolean {
  return inst.repository_selection === 'selected' && (inst.permissions.contents === 'write' || inst.permissions.workflows === 'write');
}

/** The repositories a `selected` installation was given, as the bundle holds them. */
export interface InstallationRepositories {
  names: string[];
  /** A page failed: the names are some of them, not all. */
  partial: boolean;
}

export function installationIdentity(ctx: OrgContext, inst: WireInstallation, repositories?: InstallationRepositories): Identity {
  const allRepositories = inst.repository_selection === 'all';
  const via: Entitlement['via'] = { type: 'installation', name: inst.app_slug, id: String(inst.id) };
  const { org, repo } = split(inst.permissions);
  const entitlements = [
    fineGrainedEntitlement(repo, {
      resource: repositoriesResource(ctx, allRepositories ? 'all' : 'selected'),
      scope: allRepositories ? 'organization' : 'resource',
      via,
      allRepositories,
    }),
    fineGrainedEntitlement(org, { resource: ctx.org, scope: 'organization', via, allRepositories }),
  ].filter((e): e is Entitlement => e !== undefined);

  return {
    id: `github:${ctx.org}:app/${inst.app_slug}`,
    provider: 'github',
    kind: 'github-app-installation',
    name: inst.app_slug,
    container: ctx.container,
    owners: [],
    tags: {},
    createdAt: utc(inst.created_at),
    enabled: inst.suspended_at === null,
    human: false,
    agent: UNCLASSIFIED,
    credentials: [],
    entitlements,
    trustedBy: [{ principal: inst.app_slug, kind: 'app', via: `installation ${inst.id}` }],
    attributes: {
      appSlug: inst.app_slug,
      appId: inst.app_id,
      installationId: inst.id,
      ...(inst.client_id ? { clientId: inst.client_id } : {}),
      repositorySelection: inst.repository_selection,
      ...(repositories ? { repositories: repositories.names, ...(repositories.partial ? { repositoriesPartial: true } : {}) } : {}),
      targetType: inst.target_type,
      events: inst.events,
      updatedAt: utc(inst.updated_at),
      ...(inst.suspended_at ? { suspendedAt: utc(inst.suspended_at) } : {}),
      ...(inst.suspended_by ? { suspendedBy: inst.suspended_by.login } : {}),
      ...(inst.single_file_name ? { singleFileName: inst.single_file_name } : {}),
    },
  };
}
