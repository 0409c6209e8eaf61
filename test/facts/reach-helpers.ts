import type { Entitlement, Identity, Trust } from '../../src/model/inventory.js';
import { makeIdentity } from '../helpers/identity.js';

// Small estates for the reach tests: just the fields each hop reads.

export const ACCOUNT = '111111111111';

export function grant(permissions: string[], level: Entitlement['level'], extra: Partial<Entitlement> = {}): Entitlement {
  return { permissions, resource: '*', scope: 'global', via: { type: 'inline-policy', name: permissions.join('+') }, level, standing: true, risks: [], ...extra };
}

export function role(name: string, opts: { trustedBy?: Trust[]; entitlements?: Entitlement[]; account?: string } = {}): Identity {
  const account = opts.account ?? ACCOUNT;
  return makeIdentity({
    id: `aws:${account}:role/${name}`,
    name,
    container: { type: 'account', id: account },
    attributes: { arn: `arn:aws:iam::${account}:role/${name}` },
    trustedBy: opts.trustedBy ?? [],
    entitlements: opts.entitlements ?? [],
  });
}

export const GITHUB_OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

export function oidcTrust(subject?: string): Trust {
  return { principal: GITHUB_OIDC, kind: 'federated', protocol: 'oidc', via: 'AssumeRolePolicyDocument.Statement[0]', ...(subject ? { subject } : {}) };
}

/** An org's Actions identity: its repositories (names as normalizers list them, or name → id) and subject template. */
export function actions(org: string, repositories: Record<string, number | null> | string[], claimKeys: string[] = [], organizationId?: number): Identity {
  return makeIdentity({
    id: `github:${org}:actions/workflows`,
    provider: 'github',
    kind: 'github-actions',
    name: `${org} Actions workflows`,
    container: { type: 'organization', id: org },
    attributes: {
      repositories,
      oidcSubjectClaimKeys: claimKeys,
      oidcSubjectDefault: claimKeys.length === 0,
      ...(organizationId !== undefined ? { organizationId } : {}),
    },
  });
}

export function githubWriter(org: string, name: string, permissions: string[], resource: string, kind: Identity['kind'] = 'github-app-installation'): Identity {
  return makeIdentity({
    id: `github:${org}:app/${name}`,
    provider: 'github',
    kind,
    name,
    container: { type: 'organization', id: org },
    entitlements: [grant(permissions, 'write', { resource, scope: resource.endsWith('/*') ? 'organization' : 'resource', via: { type: 'installation', name } })],
  });
}

export function serviceAccount(project: string, name: string, opts: { trustedBy?: Trust[]; entitlements?: Entitlement[]; attributes?: Record<string, unknown> } = {}): Identity {
  const email = `${name}@${project}.iam.gserviceaccount.com`;
  return makeIdentity({
    id: `gcp:${project}:sa/${email}`,
    provider: 'gcp',
    kind: 'service-account',
    name: email,
    container: { type: 'project', id: project },
    attributes: { email, ...(opts.attributes ?? {}) },
    trustedBy: opts.trustedBy ?? [],
    entitlements: opts.entitlements ?? [],
  });
}

export function servicePrincipal(tenant: string, objectId: string, name: string, opts: Partial<Identity> = {}): Identity {
  return makeIdentity({
    id: `entra:${tenant}:sp/${objectId}`,
    provider: 'entra',
    kind: 'service-principal',
    name,
    container: { type: 'tenant', id: tenant },
    ...opts,
    attributes: { objectId, ...(opts.attributes ?? {}) },
  });
}
