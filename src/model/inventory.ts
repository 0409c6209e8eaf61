// The provider-neutral inventory. Normalizers build these from a bundle; classify, facts,
// rules, drift and reports read them. Timestamps are ISO-8601 strings so an inventory
// round-trips through JSON (snapshots, reports) unchanged.

export const PROVIDERS = ['aws', 'gcp', 'github', 'entra'] as const;
export type Provider = (typeof PROVIDERS)[number];

export type IdentityKind =
  // AWS
  | 'iam-user'
  | 'iam-role'
  | 'root'
  // Google Cloud
  | 'service-account'
  | 'service-agent'
  // GitHub
  | 'github-app-installation'
  | 'fine-grained-pat'
  | 'classic-pat'
  | 'deploy-key'
  | 'ssh-key'
  | 'machine-user' // an org member account shared by automation (a bot, a CI user)
  | 'github-actions' // an org's Actions workflows: GITHUB_TOKEN, org secrets, OIDC
  // Entra ID
  | 'service-principal'
  | 'managed-identity'
  | 'agent-identity'
  // any provider: a person's account
  | 'user';

export interface Container {
  /** account (AWS), project (GCP), org (GitHub), tenant (Entra) */
  type: 'account' | 'project' | 'organization' | 'tenant';
  id: string;
  name?: string;
}

export interface Owner {
  /** Provider-qualified id where known (an Entra object id, a GitHub login, an e-mail). */
  id: string;
  name?: string;
  /** 'resource': the resource or service the identity belongs to (a managed identity's VM, a
   * service-linked role's service), which lives and dies with it. */
  kind: 'user' | 'group' | 'team' | 'service-principal' | 'resource' | 'unknown';
  /** Where we learned of the owner: an API relationship, a tag/label, or the agents manifest. */
  source: 'api' | 'tag' | 'manifest';
  /** false when the owner no longer exists in the directory; undefined when we cannot tell. */
  exists?: boolean;
  /** false when the owner's account is disabled or suspended. */
  active?: boolean;
}

export type CredentialType =
  | 'access-key' // AWS access key
  | 'password' // console / interactive password
  | 'service-account-key' // GCP user-managed key
  | 'client-secret' // Entra passwordCredential
  | 'certificate' // Entra keyCredential
  | 'federated' // Entra federated identity credential (no secret)
  | 'pat-fine-grained'
  | 'pat-classic'
  | 'ssh-key'
  | 'deploy-key'
  | 'app-private-key'
  | 'ci-secret'; // a secret stored in CI (GitHub Actions): its name and age, never its value

export interface Credential {
  /** An identifier safe to print: a key id, a hint, a fingerprint. Never the secret. */
  id: string;
  /** Names the same credential whichever optional call answered, when `id` depends on that (an
   * AWS key is AKIA… from ListAccessKeys but only a report slot without it). Findings about the
   * credential are fingerprinted with it, so a partial collection does not renew them. */
  stableId?: string;
  type: CredentialType;
  createdAt?: string;
  expiresAt?: string;
  lastUsedAt?: string;
  /** The service the credential was last used against, where the provider reports it (AWS). */
  lastUsedService?: string;
  status: 'active' | 'inactive';
  /** Who manages the secret: a person ('user') or the provider itself (GCP system keys). */
  managedBy?: 'user' | 'provider';
  /** Stable fingerprint of the public part, used to spot one key on several identities. */
  fingerprint?: string;
  /** Scopes the credential itself carries (classic PAT scopes, SSH key read-only…). */
  scopes?: string[];
  /** Provider-specific facts (e.g. a PAT's note, a deploy key's readOnly flag). */
  attributes?: Record<string, unknown>;
}

export type AccessLevel = 'admin' | 'write' | 'read';

/** Why a permission is dangerous, after Cloudsplaining's categories. */
export type Risk =
  | 'privilege-escalation'
  | 'resource-exposure'
  | 'data-exfiltration'
  | 'credential-exposure'
  | 'infrastructure-modification';

export interface Entitlement {
  /** Actions, roles or scopes exactly as the provider names them (s3:GetObject, roles/editor, contents:write). */
  permissions: string[];
  /** Actions excluded from `permissions` (AWS NotAction): the grant allows everything else. */
  notPermissions?: string[];
  /** What the grant applies to: a resource ARN/name, a project, an org, '*' for everything. */
  resource: string;
  /** How wide the resource is: one resource, a whole container, the org/tenant, or everything. */
  scope: 'resource' | 'container' | 'organization' | 'global';
  via: {
    type:
      | 'inline-policy'
      | 'managed-policy'
      | 'group-policy'
      | 'role-binding'
      | 'app-role'
      | 'delegated-grant'
      | 'directory-role'
      | 'installation'
      | 'token-scope'
      | 'repository-role'
      | 'org-role';
    name: string;
    id?: string;
  };
  level: AccessLevel;
  /** true unless the grant is time-bound, just-in-time (eligible, not active) or conditioned. */
  standing: boolean;
  condition?: string;
  expiresAt?: string;
  risks: Risk[];
  /** For delegated grants: whose authority the identity acts with ('AllPrincipals' or a user id). */
  onBehalfOf?: string;
  /** Set when the grant can never take effect (a time window that already closed): why. */
  ineffective?: string;
  /** The effect; Deny statements are kept so later analysis can subtract them. */
  effect?: 'allow' | 'deny';
}

export interface Trust {
  /** Who can act as this identity: an ARN, a service, an e-mail, an OIDC issuer, '*'. */
  principal: string;
  kind: 'any' | 'account' | 'service' | 'federated' | 'user' | 'group' | 'service-account' | 'role' | 'app';
  /** The policy, binding or credential that grants it. */
  via: string;
  /** For federated trust: the subject pattern the trust is pinned to; absent when unpinned. */
  subject?: string;
  /** For account/principal trust: whether the principal is outside the identity's container. */
  external?: boolean;
  condition?: string;
  /** What the condition demands of whoever acts: 'mfa' (a person signed in with MFA),
   * 'external-id' (the vendor pattern for third parties), 'source' (a named source account or ARN),
   * 'organization' (a principal of the organisation). */
  gates?: Array<'mfa' | 'external-id' | 'source' | 'organization'>;
  /** For federated trust: the token protocol, and the audience the trust requires when it names one. */
  protocol?: 'oidc' | 'saml';
  audience?: string;
}

export type Verdict = 'agent' | 'automation' | 'human' | 'unknown';

export interface AgentSignal {
  kind:
    | 'manifest'
    | 'tag'
    | 'name'
    | 'trust'
    | 'last-used-service'
    | 'app'
    | 'kind'
    | 'delegated-grant'
    | 'credential-note'
    | 'automation';
  /** What the signal points to: agent or automation. */
  points: 'agent' | 'automation';
  weight: number;
  evidence: string;
  credentialId?: string;
}

export interface AgentVerdict {
  verdict: Verdict;
  confidence: number;
  signals: AgentSignal[];
}

export interface Identity {
  /** Stable, provider-qualified: aws:123456789012:role/triage-agent */
  id: string;
  provider: Provider;
  kind: IdentityKind;
  name: string;
  container: Container;
  owners: Owner[];
  tags: Record<string, string>;
  createdAt?: string;
  lastUsedAt?: string;
  enabled: boolean;
  /** Is a person behind it? */
  human: boolean;
  agent: AgentVerdict;
  credentials: Credential[];
  entitlements: Entitlement[];
  trustedBy: Trust[];
  /** Provider-specific facts rules may read (hasConsolePassword, mfaActive, appSlug…). */
  attributes: Record<string, unknown>;
}

export const UNCLASSIFIED: AgentVerdict = Object.freeze({ verdict: 'unknown', confidence: 0, signals: [] }) as AgentVerdict;
