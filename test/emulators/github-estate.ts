import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Json, OrgEstate } from './github.js';

// Estates for the GitHub emulator: one read back from a bundle's org folder (so a collected
// bundle can be compared with what was served), and synthetic ones sized for call counting.

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

function pagesOf(dir: string, base: string): any[] {
  const out = [];
  for (let n = 1; existsSync(join(dir, `${base}.page-${n}.json`)); n++) out.push(readJson(join(dir, `${base}.page-${n}.json`)));
  return out;
}

/** The org folder of a bundle (e.g. fixtures/demo/github/<org>) as an estate: every page joined. */
export function estateFromBundle(dir: string, login: string): OrgEstate {
  const grantRepositories: Record<string, Json[]> = {};
  const grantsDir = join(dir, 'orgs-list-pat-grant-repositories');
  if (existsSync(grantsDir)) {
    for (const f of readdirSync(grantsDir)) {
      const id = f.split('.')[0];
      grantRepositories[id] = [...(grantRepositories[id] ?? []), ...readJson(join(grantsDir, f))];
    }
  }
  const installationRepositories: Record<string, string[]> = {};
  const installationsDir = join(dir, 'apps-list-installation-repos-for-authenticated-user');
  if (existsSync(installationsDir)) {
    for (const f of readdirSync(installationsDir).sort()) {
      const id = f.split('.')[0];
      installationRepositories[id] = [...(installationRepositories[id] ?? []), ...readJson(join(installationsDir, f)).repositories.map((r: Json) => r.name)];
    }
  }
  const repoOidcTemplates: Record<string, Json> = {};
  const templatesDir = join(dir, 'actions-get-custom-oidc-sub-claim-for-repo');
  if (existsSync(templatesDir)) for (const f of readdirSync(templatesDir)) repoOidcTemplates[f.replace(/\.json$/, '')] = readJson(join(templatesDir, f));
  const deployKeys: Record<string, Json[]> = {};
  for (const f of readdirSync(join(dir, 'repos-list-deploy-keys'))) {
    const keys = readJson(join(dir, 'repos-list-deploy-keys', f));
    if (keys.length > 0) deployKeys[f.replace(/\.json$/, '')] = keys;
  }
  const saml = pagesOf(dir, 'orgs-list-saml-sso-authorizations');
  const optional = (file: string, fallback: Json) => (existsSync(join(dir, file)) ? readJson(join(dir, file)) : fallback);
  return {
    login,
    org: readJson(join(dir, 'orgs-get.json')),
    installations: pagesOf(dir, 'orgs-list-app-installations').flatMap((p) => p.installations),
    patGrants: pagesOf(dir, 'orgs-list-pat-grants').flat(),
    grantRepositories,
    installationRepositories,
    credentialAuthorizations: saml.length > 0 ? saml.flat() : undefined,
    repositories: pagesOf(dir, 'repos-list-for-org').flat().map((r: Json) => ({ name: r.name, archived: r.archived })),
    deployKeys,
    members: pagesOf(dir, 'orgs-list-members').flat(),
    admins: pagesOf(dir, 'orgs-list-members-role-admin').flat(),
    workflowPermissions: optional('actions-get-github-actions-default-workflow-permissions-organization.json', { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false }),
    oidcSubjectTemplate: optional('oidc-get-oidc-custom-sub-template-for-org.json', { include_claim_keys: [] }),
    repoOidcTemplates,
    secrets: pagesOf(dir, 'actions-list-org-secrets').flatMap((p) => p.secrets),
  };
}

export const ED25519_KEYS = [
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFl1x1Gq6pO0Kc3cZ3m2f0pZy6b6jv2q7m6XoY0D2wQe',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC8dZ6qJ0yM4n1b7kq3jYt5m2cQ9o0wX2Rr8a7bV5nLp',
];

export interface SyntheticSize {
  login: string;
  repositories: number;
  /** The first `reposWithKeys` repositories (by name) hold `keysPerRepo` keys each. */
  reposWithKeys: number;
  keysPerRepo?: number;
  members?: number;
}

const user = (login: string, id: number): Json => ({
  login,
  id,
  node_id: `U_kgDO${id}`,
  avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
  gravatar_id: '',
  url: `https://api.github.com/users/${login}`,
  html_url: `https://github.com/${login}`,
  followers_url: `https://api.github.com/users/${login}/followers`,
  following_url: `https://api.github.com/users/${login}/following{/other_user}`,
  gists_url: `https://api.github.com/users/${login}/gists{/gist_id}`,
  starred_url: `https://api.github.com/users/${login}/starred{/owner}{/repo}`,
  subscriptions_url: `https://api.github.com/users/${login}/subscriptions`,
  organizations_url: `https://api.github.com/users/${login}/orgs`,
  repos_url: `https://api.github.com/users/${login}/repos`,
  events_url: `https://api.github.com/users/${login}/events{/privacy}`,
  received_events_url: `https://api.github.com/users/${login}/received_events`,
  type: 'User',
  site_admin: false,
});

/** A generated org: many repositories, a few with deploy keys, members, no grants or apps. */
export function syntheticEstate(size: SyntheticSize): OrgEstate {
  const { login } = size;
  const repositories = Array.from({ length: size.repositories }, (_, i) => ({ name: `repo-${String(i).padStart(5, '0')}`, archived: i % 50 === 49 }));
  const deployKeys: Record<string, Json[]> = {};
  let keyId = 90_000_000;
  for (const repo of repositories.slice(0, size.reposWithKeys)) {
    deployKeys[repo.name] = Array.from({ length: size.keysPerRepo ?? 1 }, (_, k) => ({
      id: ++keyId,
      key: ED25519_KEYS[k % ED25519_KEYS.length],
      url: `https://api.github.com/repos/${login}/${repo.name}/keys/${keyId}`,
      title: `deploy-${k}`,
      verified: true,
      created_at: '2025-03-01T10:00:00Z',
      read_only: k % 2 === 0,
      added_by: 'ops-admin',
      last_used: '2026-11-01T08:00:00Z',
      enabled: true,
    }));
  }
  const members = Array.from({ length: size.members ?? 3 }, (_, i) => user(i === 0 ? 'ops-admin' : `member-${i}`, 5000 + i));
  return {
    login,
    org: { login, id: 7000, node_id: 'O_kgDOsynth', url: `https://api.github.com/orgs/${login}`, name: `${login} (synthetic)`, description: null, type: 'Organization', created_at: '2020-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', archived_at: null, has_organization_projects: true, has_repository_projects: true, public_repos: 0, public_gists: 0, followers: 0, following: 0, html_url: `https://github.com/${login}`, repos_url: '', events_url: '', hooks_url: '', issues_url: '', members_url: '', public_members_url: '', avatar_url: '', blog: '', location: null, email: null, twitter_username: null, is_verified: false },
    installations: [],
    patGrants: [],
    grantRepositories: {},
    repositories,
    deployKeys,
    members,
    admins: members.slice(0, 1),
    workflowPermissions: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: true },
    oidcSubjectTemplate: { include_claim_keys: ['repo', 'context'] },
    secrets: [],
  };
}
