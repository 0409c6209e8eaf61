import { createHash } from 'node:crypto';
import { Clock, Rng, UniqueIds } from './rng.mjs';
import { COLLECTED_AT, pages } from './writer.mjs';
import { PURPOSES, TEAMS } from './aws.mjs';

// One GitHub organisation: app installations, fine-grained PAT grants, SAML SSO credential
// authorizations (classic PATs and SSH keys), repositories with deploy keys, and members.

const APPS = ['copilot-swe-agent', 'claude', 'devin-ai-integration', 'cursor', 'renovate', 'dependabot-preview', 'snyk', 'linear', 'slack', 'jira', 'codecov', 'sentry', 'vercel', 'netlify', 'circleci', 'buildkite', 'terraform-cloud', 'argo-bot'];
const WORDS = ['api', 'web', 'infra', 'models', 'pipelines', 'docs', 'mobile', 'payments', 'search', 'auth', 'billing', 'ml', 'agent', 'gateway', 'worker', 'sdk', 'cli', 'ops'];
const TOKEN_NAMES = ['cursor-agent', 'claude-code', 'aider', 'ci-mirror', 'release-bot', 'devin', 'local-dev', 'backup', 'codex', 'copilot-cli', 'renovate-self-hosted', 'terraform'];
const PERMS = ['contents', 'issues', 'pull_requests', 'workflows', 'actions', 'checks', 'deployments', 'secrets', 'administration', 'packages', 'statuses'];

/** A structurally valid OpenSSH ed25519 public key line from 32 seeded bytes. */
function ed25519Key(rng, comment) {
  const type = Buffer.from('ssh-ed25519');
  const len = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
  const blob = Buffer.concat([len(type.length), type, len(32), rng.bytes(32)]);
  const key = `ssh-ed25519 ${blob.toString('base64')}`;
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { line: comment ? `${key} ${comment}` : key, bare: key, fingerprint };
}

export function generateGithubOrg(bundle, { scopeIndex, identities, seed, githubOrg }) {
  const rng = new Rng(`${seed}/github/${scopeIndex}`);
  const clock = new Clock(COLLECTED_AT);
  const ids = new UniqueIds();
  const org = githubOrg;
  const orgId = 180000000 + scopeIndex * 101;
  const out = bundle.source('github', org);
  const num = (min, max) => ids.take(() => rng.int(min, max));
  const ts = (d) => clock.daysAgoSeconds(d);

  const installCount = Math.max(1, Math.round(identities * 0.04));
  const patCount = Math.round(identities * 0.36);
  const samlCount = Math.round(identities * 0.2);
  const deployKeyCount = Math.max(0, identities - installCount - patCount - samlCount);

  const user = (login, id) => ({ login, id, node_id: `MDQ6VXNlcj${id}`, type: 'User', site_admin: false, url: `https://api.github.com/users/${login}` });
  const logins = new UniqueIds();
  const members = Array.from({ length: Math.max(10, Math.round(identities * 0.25)) }, () => user(logins.take(() => `${rng.pick(['a', 'b', 'c', 'd', 'j', 'k', 'm', 'r', 's', 't'])}${rng.pick(['chen', 'smith', 'patel', 'kim', 'wong', 'doe', 'nguyen', 'rossi', 'silva', 'novak'])}${rng.int(1, 99999)}`), num(1000000, 99999999)));
  const departed = Array.from({ length: Math.max(1, Math.round(members.length * 0.05)) }, () => user(logins.take(() => `former-${rng.int(1, 999999)}`), num(1000000, 99999999)));
  const admins = rng.sample(members, Math.max(2, Math.round(members.length * 0.03)));
  const someone = () => (rng.chance(0.05) ? rng.pick(departed) : rng.pick(members));

  out.json('orgs-get.json', { login: org, id: orgId, node_id: `MDEyOk9yZ2FuaXphdGlvbj${orgId}`, name: `Acme bench ${scopeIndex}`, type: 'Organization', two_factor_requirement_enabled: true, plan: { name: 'enterprise' } });

  // App installations
  const installations = [];
  for (let i = 0; i < installCount; i++) {
    const slug = i < APPS.length ? APPS[i] : `${rng.pick(WORDS)}-${rng.pick(['bot', 'agent', 'sync', 'app'])}-${i}`;
    const permissions = { metadata: 'read' };
    for (const p of rng.sample(PERMS, rng.int(1, 5))) permissions[p] = rng.weighted([['read', 3], ['write', 3], ['admin', 0.3]]);
    const suspended = rng.chance(0.05);
    const id = num(10000000, 99999999);
    installations.push({
      id,
      client_id: `Iv23li${rng.alnum(14)}`,
      account: { login: org, id: orgId, type: 'Organization' },
      repository_selection: rng.chance(0.5) ? 'all' : 'selected',
      access_tokens_url: `https://api.github.com/app/installations/${id}/access_tokens`,
      app_id: num(100000, 2999999),
      app_slug: slug,
      target_id: orgId,
      target_type: 'Organization',
      permissions,
      events: rng.sample(['push', 'pull_request', 'issues', 'issue_comment', 'workflow_run', 'check_suite'], rng.int(0, 4)),
      created_at: ts(rng.int(10, 1200)),
      updated_at: ts(rng.int(0, 9)),
      single_file_name: null,
      suspended_by: suspended ? rng.pick(admins) : null,
      suspended_at: suspended ? ts(rng.int(1, 100)) : null,
    });
  }
  pages(installations, 100).forEach((page, n) => out.json(`orgs-list-app-installations.page-${n + 1}.json`, { total_count: installations.length, installations: page }));

  // Fine-grained PAT grants
  const grants = [];
  for (let i = 0; i < patCount; i++) {
    const id = num(1000000, 99999999);
    const repository = { metadata: 'read' };
    for (const p of rng.sample(PERMS, rng.int(1, 4))) repository[p] = rng.weighted([['read', 2], ['write', 3], ['admin', 0.2]]);
    const organization = rng.chance(0.15) ? { members: 'read', ...(rng.chance(0.2) ? { administration: 'write' } : {}) } : {};
    const expires = rng.weighted([['never', 3], ['future', 6], ['past', 1]]);
    const expiresAt = expires === 'never' ? null : expires === 'future' ? ts(-rng.int(5, 360)) : ts(rng.int(1, 100));
    grants.push({
      id,
      owner: someone(),
      repository_selection: rng.weighted([['all', 3], ['subset', 6], ['none', 1]]),
      repositories_url: `https://api.github.com/organizations/${orgId}/personal-access-tokens/${id}/repositories`,
      permissions: { organization, repository, other: {} },
      access_granted_at: ts(rng.int(1, 700)),
      token_id: num(1000000, 99999999),
      token_name: `${rng.pick(TOKEN_NAMES)}-${rng.int(1, 999)}`,
      token_expired: expires === 'past',
      token_expires_at: expiresAt,
      token_last_used_at: rng.chance(0.85) ? ts(rng.chance(0.6) ? rng.int(0, 7) : rng.int(8, 400)) : null,
    });
  }
  pages(grants, 100).forEach((page, n) => out.json(`orgs-list-pat-grants.page-${n + 1}.json`, page));

  // SAML SSO authorizations: classic PATs and SSH keys
  const auths = [];
  for (let i = 0; i < samlCount; i++) {
    const who = someone();
    const base = {
      login: who.login,
      credential_id: num(1000000, 99999999),
      credential_authorized_at: ts(rng.int(1, 900)),
      credential_accessed_at: rng.chance(0.8) ? ts(rng.int(0, 300)) : null,
      authorized_credential_id: num(100000000, 1999999999),
    };
    if (rng.chance(0.7)) {
      auths.push({
        ...base,
        credential_type: 'personal access token',
        token_last_eight: rng.alnum(8),
        authorized_credential_note: `${rng.pick(TOKEN_NAMES)} ${rng.int(1, 99)}`,
        authorized_credential_expires_at: rng.chance(0.6) ? null : ts(-rng.int(1, 300)),
        scopes: rng.sample(['repo', 'workflow', 'read:org', 'admin:org', 'write:packages', 'gist', 'delete_repo'], rng.int(1, 3)),
      });
    } else {
      auths.push({ ...base, credential_type: 'SSH key', fingerprint: ed25519Key(rng).fingerprint, authorized_credential_title: `${who.login}@laptop-${rng.int(1, 99)}`, scopes: [] });
    }
  }
  pages(auths, 100).forEach((page, n) => out.json(`orgs-list-saml-sso-authorizations.page-${n + 1}.json`, page));

  // Repositories and their deploy keys
  const repoNames = new UniqueIds();
  const repos = Array.from({ length: Math.max(5, Math.round(deployKeyCount / 1.3)) }, () => {
    const name = repoNames.take(() => `${rng.pick(WORDS)}-${rng.pick(WORDS)}-${rng.int(1, 99999)}`);
    const priv = rng.chance(0.85);
    return { id: num(100000000, 999999999), node_id: `R_${rng.alnum(12)}`, name, full_name: `${org}/${name}`, private: priv, visibility: priv ? 'private' : 'public', archived: rng.chance(0.05), keys: [] };
  });
  for (let i = 0; i < deployKeyCount; i++) {
    const repo = rng.pick(repos);
    if (repo.keys.length >= 100) continue;
    const id = num(10000000, 999999999);
    const title = `${rng.pick(['argo-cd', 'flux', 'jenkins', 'buildkite', 'backup', 'mirror', 'agent', 'deploy'])}-${rng.int(1, 999)}`;
    repo.keys.push({
      id,
      key: ed25519Key(rng).bare,
      url: `https://api.github.com/repos/${repo.full_name}/keys/${id}`,
      title,
      verified: true,
      created_at: ts(rng.int(1, 1500)),
      read_only: rng.chance(0.6),
      added_by: rng.chance(0.9) ? someone().login : null,
      last_used: rng.chance(0.75) ? ts(rng.chance(0.6) ? rng.int(0, 10) : rng.int(11, 500)) : null,
      enabled: true,
    });
  }
  // The repositories cloud trusts name (team-purpose, as the AWS and GCP generators pin them),
  // with ids from their own stream, and the org's Actions settings (default OIDC subject).
  const paths = new Rng(`${seed}/github/${scopeIndex}/access-paths`);
  for (const team of TEAMS) {
    for (const purpose of PURPOSES) {
      const name = `${team}-${purpose}`;
      repos.push({ id: 1000000000 + paths.int(1, 899999999), node_id: `R_${paths.alnum(12)}`, name, full_name: `${org}/${name}`, private: true, visibility: 'private', archived: false, keys: [] });
    }
  }
  out.json('oidc-get-oidc-custom-sub-template-for-org.json', { include_claim_keys: [] });
  out.json('actions-get-github-actions-default-workflow-permissions-organization.json', { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false });
  pages(repos, 100).forEach((page, n) => out.json(`repos-list-for-org.page-${n + 1}.json`, page.map(({ keys, ...r }) => r)));
  for (const r of repos) out.json(`repos-list-deploy-keys/${r.name}.json`, r.keys);

  pages(members, 100).forEach((page, n) => out.json(`orgs-list-members.page-${n + 1}.json`, page));
  pages(admins, 100).forEach((page, n) => out.json(`orgs-list-members-role-admin.page-${n + 1}.json`, page));

  out.ok(
    'GET /orgs/{org}',
    'GET /orgs/{org}/installations',
    'GET /orgs/{org}/personal-access-tokens',
    'GET /orgs/{org}/credential-authorizations',
    'GET /orgs/{org}/repos',
    'GET /orgs/{org}/members',
    'GET /orgs/{org}/members?role=admin',
    'GET /orgs/{org}/actions/oidc/customization/sub',
    'GET /orgs/{org}/actions/permissions/workflow',
    ...repos.map((r) => `GET /repos/${org}/${r.name}/keys`),
  );
  return { scope: org, identities: 1 + installations.length + grants.length + auths.length + repos.reduce((s, r) => s + r.keys.length, 0) };
}
