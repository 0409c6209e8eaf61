import type { Entitlement, Identity } from '../../model/inventory.js';
import { grantRootKey } from '../../model/root-cause.js';
import { isProviderManaged } from '../provider-managed.js';
import { effective, type GraphBuilder } from './graph.js';
import { isGithubIssuer, oidcTrustEdges, subjectVerdict, type GithubEstate } from './github.js';

// Entra's part of the graph. An owner of an application or service principal can add a secret
// to it and sign in as it; a blueprint mints tokens for its agent identities; a principal that
// may add credentials to any application (Application.ReadWrite.All, Application Administrator)
// can become every application of the tenant, and one that may grant app roles or directory
// roles can first grant itself that. Federated identity credentials that trust GitHub Actions
// are matched against the scanned repositories.

/** Grants that let the holder add a credential to any application of the tenant. */
const ANY_APPLICATION = new Set(['Application.ReadWrite.All', 'Application Administrator', 'Cloud Application Administrator', 'Global Administrator', 'Hybrid Identity Administrator']);
/** Grants that let the holder give itself one of those first. */
const SELF_GRANT = new Set(['RoleManagement.ReadWrite.Directory', 'AppRoleAssignment.ReadWrite.All', 'Privileged Role Administrator']);
/** Graph permissions an owner that is itself an application needs to use its ownership. */
const OWNED_WRITE = new Set(['Application.ReadWrite.OwnedBy', 'Application.ReadWrite.All']);

const APPLICATION_GRANTS = new Set<Entitlement['via']['type']>(['app-role', 'directory-role']);

function tenantGrant(identity: Identity, names: Set<string>): Entitlement | undefined {
  return identity.entitlements.find((e) => effective(e) && e.standing !== false && APPLICATION_GRANTS.has(e.via.type) && e.permissions.some((p) => names.has(p)));
}

export function entraEdges(g: GraphBuilder, github: GithubEstate): void {
  const byObjectId = new Map<string, Identity>();
  const byAppId = new Map<string, Identity>();
  const byTenant = new Map<string, Identity[]>();
  for (const i of g.identities.values()) {
    if (i.provider !== 'entra') continue;
    if (typeof i.attributes.objectId === 'string') byObjectId.set(i.attributes.objectId.toLowerCase(), i);
    if (typeof i.attributes.appId === 'string') byAppId.set(i.attributes.appId.toLowerCase(), i);
    const list = byTenant.get(i.container.id) ?? [];
    list.push(i);
    byTenant.set(i.container.id, list);
  }

  for (const [tenant, members] of byTenant) {
    const hub = `entra:${tenant}:any-application`;
    let used = false;
    for (const source of members) {
      if (source.enabled === false) continue;
      const direct = tenantGrant(source, ANY_APPLICATION);
      const self = direct ? undefined : tenantGrant(source, SELF_GRANT);
      const grant = direct ?? self;
      if (!grant) continue;
      used = true;
      g.node(hub, 'entra', 'principal', `any application of tenant ${tenant}`);
      g.edge({
        from: source.id,
        to: hub,
        kind: direct ? 'credential-admin' : 'app-role-assignment',
        evidence: `${source.name} holds ${grant.via.name} (${grant.via.type})`,
        condition: self ? `after granting itself Application.ReadWrite.All or a directory role that adds credentials` : undefined,
        rootKey: grantRootKey(source, grant),
      });
    }
    if (!used) continue;
    for (const target of members) {
      // Managed identities take no credentials; Microsoft's own applications are not the tenant's to change.
      if (target.kind === 'managed-identity' || isProviderManaged(target)) continue;
      g.edge({ from: hub, to: target.id, kind: 'add-credential', evidence: `can add a client secret to ${target.name} and sign in as it` });
    }
  }

  for (const target of g.identities.values()) {
    if (target.provider !== 'entra') continue;
    for (const t of target.trustedBy) {
      if (t.kind === 'app' && t.via.startsWith('owner of')) {
        const owner = target.owners.find((o) => o.kind === 'service-principal' && (o.name ?? o.id) === t.principal);
        const source = owner && byObjectId.get(owner.id.toLowerCase());
        if (!source || source.enabled === false) continue;
        const usable = tenantGrant(source, OWNED_WRITE);
        g.edge({
          from: source.id,
          to: target.id,
          kind: 'app-owner',
          evidence: `${source.name} is ${t.via} ${target.name}: it can add a credential and sign in as it`,
          ...(usable ? { rootKey: grantRootKey(source, usable) } : { gated: 'Application.ReadWrite.OwnedBy', condition: 'needs Application.ReadWrite.OwnedBy to use its ownership' }),
        });
      } else if (t.kind === 'app' && t.via.startsWith('agent identity blueprint')) {
        const source = byAppId.get(t.principal.toLowerCase());
        if (source) g.edge({ from: source.id, to: target.id, kind: 'blueprint', evidence: `${t.via} mints tokens for ${target.name}` });
      } else if (t.kind === 'federated' && isGithubIssuer(t.principal)) {
        const subject = t.subject;
        const text = `${target.name}'s ${t.via} trusts ${t.principal}${subject ? ` for subject ${subject}` : ''}`;
        oidcTrustEdges(g, github, target.id, 'federated-credential', text, (org, repo) => subjectVerdict(subject ?? '*', org, repo), !subject || subject === '*', { subject });
      }
    }
  }
}
