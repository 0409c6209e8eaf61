import type { AccessLevel, Risk } from '../../model/inventory.js';

// How powerful each GitHub permission is, and why it is dangerous. Two vocabularies:
// fine-grained permissions (GitHub Apps and fine-grained PATs: `contents: write`) and classic
// OAuth scopes (classic PATs: `repo`, `admin:org`). Names are exactly GitHub's.

const ORDER: Record<AccessLevel, number> = { read: 0, write: 1, admin: 2 };

export function maxLevel(levels: AccessLevel[]): AccessLevel {
  return levels.reduce<AccessLevel>((a, b) => (ORDER[b] > ORDER[a] ? b : a), 'read');
}

// ── Fine-grained permissions ─────────────────────────────────────────────────────────────

/**
 * Permissions whose write access governs who can do what, so write on them is admin:
 * repository settings and collaborators, org settings, team membership, custom roles,
 * and approving or revoking other people's fine-grained tokens.
 */
const ADMIN_WHEN_WRITTEN = new Set([
  'administration',
  'organization_administration',
  'members',
  'organization_custom_roles',
  'organization_custom_org_roles',
  'organization_personal_access_tokens',
  'organization_personal_access_token_requests',
]);

/** `read` is read; `write` (and projects' `admin`) is write, or admin for the set above. */
export function fineGrainedLevel(permission: string, access: string): AccessLevel {
  if (access === 'read') return 'read';
  return ADMIN_WHEN_WRITTEN.has(permission) ? 'admin' : 'write';
}

interface FineGrainedRisk {
  permission: string;
  /** The least access that carries the risk; write includes read. */
  access: 'read' | 'write';
  risks: Risk[];
  /** Only a risk when the grant covers every repository of the org. */
  allRepositoriesOnly?: boolean;
}

const PRIVESC_AND_EXPOSURE: Risk[] = ['privilege-escalation', 'resource-exposure'];
const SECRETS: Risk[] = ['credential-exposure', 'privilege-escalation'];

const FINE_GRAINED_RISKS: FineGrainedRisk[] = [
  // Add collaborators, deploy keys, change branch protection, make a private repo public.
  { permission: 'administration', access: 'write', risks: PRIVESC_AND_EXPOSURE },
  // Org settings: base permissions, member privileges, outside-collaborator policy.
  { permission: 'organization_administration', access: 'write', risks: PRIVESC_AND_EXPOSURE },
  // Put anyone (itself included, for PATs) in a team that holds repository roles.
  { permission: 'members', access: 'write', risks: ['privilege-escalation'] },
  // Define a role with more permissions, then hand it out.
  { permission: 'organization_custom_roles', access: 'write', risks: ['privilege-escalation'] },
  { permission: 'organization_custom_org_roles', access: 'write', risks: ['privilege-escalation'] },
  // Approve a broader token request, or keep a revoked token alive.
  { permission: 'organization_personal_access_tokens', access: 'write', risks: ['privilege-escalation'] },
  { permission: 'organization_personal_access_token_requests', access: 'write', risks: ['privilege-escalation'] },
  // A workflow file runs with the repository's secrets and can mint GITHUB_TOKEN / OIDC tokens.
  { permission: 'workflows', access: 'write', risks: SECRETS },
  // Dispatch and re-run workflows that hold secrets; read and delete their logs.
  { permission: 'actions', access: 'write', risks: SECRETS },
  // Replace a secret a deployment reads (point it at an attacker's key) or plant one.
  { permission: 'secrets', access: 'write', risks: SECRETS },
  { permission: 'organization_secrets', access: 'write', risks: SECRETS },
  { permission: 'dependabot_secrets', access: 'write', risks: SECRETS },
  { permission: 'environments', access: 'write', risks: SECRETS },
  // A self-hosted runner receives jobs, with their secrets, and runs on our infrastructure.
  { permission: 'organization_self_hosted_runners', access: 'write', risks: ['credential-exposure', 'infrastructure-modification'] },
  // A webhook sends every push and event to a URL of the holder's choosing.
  { permission: 'repository_hooks', access: 'write', risks: ['data-exfiltration'] },
  { permission: 'organization_hooks', access: 'write', risks: ['data-exfiltration'] },
  // Reading or pushing code in a few chosen repositories is the job of most integrations;
  // doing it across every repository of the org is the exposure.
  { permission: 'contents', access: 'read', risks: ['data-exfiltration'], allRepositoriesOnly: true },
  { permission: 'contents', access: 'write', risks: ['infrastructure-modification'], allRepositoriesOnly: true },
  // Publishing packages and creating deployments change what runs downstream.
  { permission: 'packages', access: 'write', risks: ['infrastructure-modification'] },
  { permission: 'organization_packages', access: 'write', risks: ['infrastructure-modification'] },
  { permission: 'deployments', access: 'write', risks: ['infrastructure-modification'] },
  // Account permission of a PAT: add an SSH key to the owner's account, a lasting way in.
  { permission: 'git_ssh_keys', access: 'write', risks: ['privilege-escalation'] },
];

export function fineGrainedRisks(permission: string, access: string, allRepositories: boolean): Risk[] {
  const granted = access === 'read' ? 0 : 1;
  return FINE_GRAINED_RISKS.filter(
    (r) =>
      r.permission === permission &&
      granted >= (r.access === 'read' ? 0 : 1) &&
      (!r.allRepositoriesOnly || allRepositories),
  ).flatMap((r) => r.risks);
}

// ── Classic OAuth scopes ─────────────────────────────────────────────────────────────────

interface ScopeFacts {
  level: AccessLevel;
  risks: Risk[];
}

/**
 * Classic scopes. A classic PAT reaches every repository and org its owner can, so scopes
 * are never narrowed to chosen repositories. Unlisted scopes: `read:*` → read, others write.
 */
const CLASSIC_SCOPES: Record<string, ScopeFacts> = {
  // Full control of every private repository the owner can reach: clone all, push anywhere.
  repo: { level: 'write', risks: ['data-exfiltration', 'infrastructure-modification'] },
  public_repo: { level: 'write', risks: ['infrastructure-modification'] },
  'repo:status': { level: 'write', risks: [] },
  repo_deployment: { level: 'write', risks: ['infrastructure-modification'] },
  'repo:invite': { level: 'write', risks: [] },
  security_events: { level: 'write', risks: [] },
  // Edit workflow files: run code with every secret the repositories hold.
  workflow: { level: 'write', risks: ['credential-exposure', 'privilege-escalation'] },
  'write:packages': { level: 'write', risks: ['infrastructure-modification'] },
  'delete:packages': { level: 'write', risks: ['infrastructure-modification'] },
  'read:packages': { level: 'read', risks: [] },
  // Full org control: members, teams, settings, and (for owners) everything else.
  'admin:org': { level: 'admin', risks: ['privilege-escalation', 'resource-exposure'] },
  'write:org': { level: 'write', risks: ['privilege-escalation'] },
  'read:org': { level: 'read', risks: [] },
  'manage_runners:org': { level: 'write', risks: ['credential-exposure', 'infrastructure-modification'] },
  // Add SSH keys to the owner's account: access that outlives the token.
  'admin:public_key': { level: 'write', risks: ['privilege-escalation'] },
  'admin:repo_hook': { level: 'write', risks: ['data-exfiltration'] },
  'write:repo_hook': { level: 'write', risks: ['data-exfiltration'] },
  'admin:org_hook': { level: 'write', risks: ['data-exfiltration'] },
  delete_repo: { level: 'admin', risks: ['infrastructure-modification'] },
  'admin:enterprise': { level: 'admin', risks: ['privilege-escalation', 'resource-exposure'] },
  'manage_runners:enterprise': { level: 'write', risks: ['credential-exposure', 'infrastructure-modification'] },
  site_admin: { level: 'admin', risks: ['privilege-escalation', 'resource-exposure'] },
  gist: { level: 'write', risks: [] },
  notifications: { level: 'read', risks: [] },
  user: { level: 'write', risks: [] },
  'user:email': { level: 'read', risks: [] },
  audit_log: { level: 'read', risks: [] },
};

export function classicScope(scope: string): ScopeFacts {
  return CLASSIC_SCOPES[scope] ?? { level: scope.startsWith('read:') ? 'read' : 'write', risks: [] };
}

// ── SSH keys (deploy keys and users' keys) ───────────────────────────────────────────────

/**
 * Git over SSH with write access pushes any file, workflow files included (the `workflows`
 * permission and `workflow` scope gate only tokens), so a writable key carries the
 * workflow risks on top of what contents write carries.
 */
export function gitKeyRisks(readOnly: boolean, allRepositories: boolean): Risk[] {
  const contents = fineGrainedRisks('contents', readOnly ? 'read' : 'write', allRepositories);
  return readOnly ? contents : [...contents, ...SECRETS];
}

export function uniqueRisks(risks: Risk[]): Risk[] {
  return [...new Set(risks)].sort();
}

/**
 * An App installation's permissions arrive as one flat map; org permissions apply to the
 * whole org whatever repositories were selected, so they are split out.
 */
export function isOrganizationPermission(permission: string): boolean {
  return permission.startsWith('organization_') || permission === 'members' || permission === 'team_discussions';
}
