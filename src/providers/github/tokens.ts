import { UNCLASSIFIED, type Credential, type Entitlement, type Identity } from '../../model/inventory.js';
import { expiredAt, orgRole, repositoriesResource, userOwner, utc, type OrgContext } from './context.js';
import { classicEntitlement, fineGrainedEntitlement, gitKeyEntitlement } from './entitlements.js';
import { isMachineUser } from './machine-users.js';
import { gitKeyRisks } from './permissions.js';
import type { WireCredentialAuthorization, WirePatGrant } from './wire.js';
import { withFields } from '../../util/with-fields.js';

// Credentials people hold: fine-grained PATs granted access to the org, and classic PATs and
// SSH keys authorized for the org's SAML SSO. Each is a person's credential (human: true, unless
// its owner is a machine user) that an agent may be borrowing; whose it is and whether they are
// still here are facts.

function ownerAttributes(ctx: OrgContext, login: string) {
  const role = orgRole(ctx, login);
  return {
    ownerLogin: login,
    ...(role ? { ownerOrgRole: role } : {}),
    ...(isMachineUser(ctx, login) ? { ownerIsMachineUser: true } : {}),
  };
}

/** A grant's repository_selection, in the words repositoriesResource uses. */
const SELECTION = { all: 'all', subset: 'selected', none: 'public' } as const;

export function patGrantIdentity(ctx: OrgContext, grant: WirePatGrant, repositories?: string[]): Identity {
  const login = grant.owner.login;
  const expiresAt = utc(grant.token_expires_at);
  const lastUsedAt = utc(grant.token_last_used_at);
  const via: Entitlement['via'] = { type: 'token-scope', name: grant.token_name, id: String(grant.id) };
  const allRepositories = grant.repository_selection === 'all';
  const { organization = {}, repository = {}, other = {} } = grant.permissions;

  const entitlements = [
    fineGrainedEntitlement(repository, {
      resource: repositoriesResource(ctx, SELECTION[grant.repository_selection]),
      scope: allRepositories ? 'organization' : 'resource',
      via,
      allRepositories,
      expiresAt,
    }),
    fineGrainedEntitlement(organization, { resource: ctx.org, scope: 'organization', via, allRepositories, expiresAt }),
    // "Account" permissions act on the owner's own GitHub account (keys, e-mails, profile).
    fineGrainedEntitlement(other, { resource: `user/${login}`, scope: 'resource', via, allRepositories: false, expiresAt }),
  ].filter((e): e is Entitlement => e !== undefined);

  const credential: Credential = {
    id: `token/${grant.token_id}`,
    type: 'pat-fine-grained',
    // GitHub does not report when the token was made; the grant is the earliest date we know.
    createdAt: utc(grant.access_granted_at),
    ...(expiresAt ? { expiresAt } : {}),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    status: grant.token_expired ? 'inactive' : 'active',
    managedBy: 'user',
    scopes: entitlements.flatMap((e) => e.permissions),
    attributes: { usageTracked: true, note: grant.token_name, createdAtSource: 'access-grant' },
  };

  return {
    id: patGrantIdentityId(ctx, grant),
    provider: 'github',
    kind: 'fine-grained-pat',
    name: `${login}/${grant.token_name}`,
    container: ctx.container,
    owners: [userOwner(ctx, login)],
    tags: {},
    createdAt: utc(grant.access_granted_at),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    enabled: !grant.token_expired,
    // A machine user's token is the automation's, not a person's.
    human: !isMachineUser(ctx, login),
    agent: UNCLASSIFIED,
    credentials: [credential],
    entitlements,
    trustedBy: [{ principal: login, kind: 'user', via: 'token owner' }],
    // Field by field after the owner's part: a literal opening with that spread gave every token's
    // attributes a hidden class of its own (see util/with-fields.ts).
    attributes: withFields(ownerAttributes(ctx, login), {
      ownerType: grant.owner.type,
      grantId: grant.id,
      tokenId: grant.token_id,
      tokenName: grant.token_name,
      tokenExpired: grant.token_expired,
      repositorySelection: grant.repository_selection,
      ...(repositories ? { repositories } : {}),
      accessGrantedAt: utc(grant.access_granted_at),
    }),
  };
}

/** GitHub labels SSH keys `SSH key`; every other authorized credential is a token. */
const isSshKey = (auth: WireCredentialAuthorization) => /ssh/i.test(auth.credential_type);

export const patGrantIdentityId = (ctx: OrgContext, grant: WirePatGrant) => `github:${ctx.org}:fine-grained-pat/${grant.token_id}`;

export const credentialAuthorizationIdentityId = (ctx: OrgContext, auth: WireCredentialAuthorization) =>
  `github:${ctx.org}:${isSshKey(auth) ? 'ssh-key' : 'classic-pat'}/${auth.credential_id}`;

/** The label the owner gave the credential: an SSH key's title, a token's note. */
export const credentialAuthorizationLabel = (auth: WireCredentialAuthorization) =>
  (isSshKey(auth) ? auth.authorized_credential_title : auth.authorized_credential_note) ?? undefined;

export function credentialAuthorizationIdentity(ctx: OrgContext, auth: WireCredentialAuthorization): Identity {
  const ssh = isSshKey(auth);
  const login = auth.login;
  const label = credentialAuthorizationLabel(auth);
  const expiresAt = utc(auth.authorized_credential_expires_at);
  const lastUsedAt = utc(auth.credential_accessed_at);
  const scopes = auth.scopes ?? [];
  const credentialId = `credential/${auth.credential_id}`;
  const via: Entitlement['via'] = { type: 'token-scope', name: label ?? credentialId, id: String(auth.credential_id) };

  // An SSH key or a classic token reaches whatever its owner reaches in the org.
  const entitlement = ssh
    ? gitKeyEntitlement(false, { resource: `${ctx.org}/*`, scope: 'organization', via, allRepositories: true }, gitKeyRisks(false, true))
    : classicEntitlement(scopes, { resource: ctx.org, scope: 'organization', via, allRepositories: true, expiresAt });

  const credential: Credential = {
    id: credentialId,
    type: ssh ? 'ssh-key' : 'pat-classic',
    // The SSO authorization date: the credential is at least this old.
    createdAt: utc(auth.credential_authorized_at),
    ...(expiresAt ? { expiresAt } : {}),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    status: expiredAt(ctx, expiresAt) ? 'inactive' : 'active',
    managedBy: 'user',
    ...(ssh && auth.fingerprint ? { fingerprint: auth.fingerprint } : {}),
    ...(ssh ? {} : { scopes }),
    attributes: {
      usageTracked: true,
      ...(label ? { note: label } : {}),
      ...(auth.token_last_eight ? { tokenLastEight: auth.token_last_eight } : {}),
      ...(auth.authorized_credential_id ? { authorizedCredentialId: auth.authorized_credential_id } : {}),
      createdAtSource: 'sso-authorization',
    },
  };

  const kind = ssh ? 'ssh-key' : 'classic-pat';
  return {
    id: credentialAuthorizationIdentityId(ctx, auth),
    provider: 'github',
    kind,
    name: `${login}/${label ?? (auth.token_last_eight ? `…${auth.token_last_eight}` : credentialId)}`,
    container: ctx.container,
    owners: [userOwner(ctx, login)],
    tags: {},
    createdAt: utc(auth.credential_authorized_at),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    enabled: credential.status === 'active',
    human: !isMachineUser(ctx, login),
    agent: UNCLASSIFIED,
    credentials: [credential],
    entitlements: entitlement ? [entitlement] : [],
    trustedBy: [{ principal: login, kind: 'user', via: ssh ? 'key owner' : 'token owner' }],
    attributes: withFields(ownerAttributes(ctx, login), {
      credentialId: auth.credential_id,
      credentialType: auth.credential_type,
      ssoAuthorizedAt: utc(auth.credential_authorized_at),
    }),
  };
}
