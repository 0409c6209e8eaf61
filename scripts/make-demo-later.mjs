// Builds fixtures/demo-later/ from fixtures/demo/: the same estate collected a day later, after
// the team fixed some problems and others drifted in. Deterministic, so a test can check the
// committed folder is what this script makes. Run: node scripts/make-demo-later.mjs [OUT_DIR]
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const FROM = join(ROOT, 'fixtures', 'demo');
const OUT = process.argv[2] ?? join(ROOT, 'fixtures', 'demo-later');
const LATER = '2026-11-21T16:45:00Z';
const TENANT = '7f3c2a9e-4b1d-4c8e-9a6f-2d5e8b1c0a37';

rmSync(OUT, { recursive: true, force: true });
cpSync(FROM, OUT, { recursive: true });

const path = (...parts) => join(OUT, ...parts);
const read = (...parts) => JSON.parse(readFileSync(path(...parts), 'utf8'));
const write = (value, ...parts) => writeFileSync(path(...parts), `${JSON.stringify(value, null, 2)}\n`);
const edit = (parts, change) => {
  const value = read(...parts);
  change(value);
  write(value, ...parts);
};
const notFound = (what) => {
  throw new Error(`make-demo-later: ${what} not found in fixtures/demo — update the script`);
};

edit(['bundle.json'], (b) => {
  b.collectedAt = LATER;
});

// AWS: the any-principal break-glass role was deleted (fixed); a "temporary" AdministratorAccess
// grant was attached to the triage agent (drifted).
const AWS = ['aws', '314159265358'];
edit([...AWS, 'iam-list-roles.page-1.json'], (p) => {
  p.Roles = p.Roles.filter((r) => r.RoleName !== 'legacy-break-glass');
});
for (const page of [1, 2]) {
  edit([...AWS, `iam-get-account-authorization-details.page-${page}.json`], (p) => {
    p.RoleDetailList = (p.RoleDetailList ?? []).filter((r) => r.RoleName !== 'legacy-break-glass');
    for (const role of p.RoleDetailList) {
      if (role.RoleName === 'bedrock-triage-agent') {
        role.AttachedManagedPolicies.push({ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
      }
    }
  });
}

// GCP: the never-used research-agent key was deleted (fixed); support-bot's key was rotated;
// vertex-agent was granted Storage Admin on the project (drifted beyond its declaration).
const GCP = ['gcp', 'acme-ml-prod'];
const keysOf = (email) => [...GCP, 'iam-projects-serviceAccounts-keys-list', `${email}.json`];
edit(keysOf('research-agent@acme-ml-prod.iam.gserviceaccount.com'), (k) => {
  k.keys = k.keys.filter((key) => key.keyType !== 'USER_MANAGED');
});
edit(keysOf('support-bot@acme-ml-prod.iam.gserviceaccount.com'), (k) => {
  const old = k.keys.find((key) => key.keyType === 'USER_MANAGED') ?? notFound('support-bot user-managed key');
  Object.assign(old, {
    name: old.name.replace(/\/keys\/[0-9a-f]+$/, '/keys/8c41f0d27e5a9b36c1d4e8f20a7b5c93d6e1f042'),
    validAfterTime: '2026-11-21T10:12:05Z',
    validBeforeTime: '2027-02-19T10:12:05Z',
  });
});
edit([...GCP, 'cloudresourcemanager-projects-getIamPolicy.json'], (policy) => {
  policy.bindings.push({ role: 'roles/storage.admin', members: ['serviceAccount:vertex-agent@acme-ml-prod.iam.gserviceaccount.com'] });
  policy.etag = 'BwYmQ2x9f0E=';
});

// GitHub: jdoe's classic token lost its SSO authorisation (fixed); the Devin app was installed
// on every repository (a new, undeclared agent).
const GH = ['github', 'acme-corp'];
edit([...GH, 'orgs-list-saml-sso-authorizations.page-1.json'], (list) => {
  const i = list.findIndex((c) => c.login === 'jdoe');
  if (i < 0) notFound('jdoe credential authorization');
  list.splice(i, 1);
});
edit([...GH, 'orgs-list-app-installations.page-1.json'], (page) => {
  const template = page.installations.find((x) => x.app_slug === 'copilot-swe-agent') ?? notFound('copilot-swe-agent installation');
  page.installations.push({
    ...structuredClone(template),
    id: 63314587,
    app_id: 811240,
    app_slug: 'devin-ai-integration',
    client_id: 'Iv23liDv1nAi8Kq3xTzP',
    repository_selection: 'all',
    permissions: { contents: 'write', pull_requests: 'write', workflows: 'write', metadata: 'read', actions: 'read' },
    created_at: '2026-11-21T09:58:41Z',
    updated_at: '2026-11-21T09:58:41Z',
    html_url: 'https://github.com/organizations/acme-corp/settings/installations/63314587',
    access_tokens_url: 'https://api.github.com/app/installations/63314587/access_tokens',
  });
  page.total_count = page.installations.length;
});

// Entra: the tenant-wide consent to Contoso GPT Connector was revoked (fixed); HR-Copilot's
// secret was rotated; legacy-sync's expired secret was removed.
const EN = ['entra', TENANT];
edit([...EN, 'oauth2PermissionGrants.page-1.json'], (page) => {
  page.value = page.value.filter((g) => g.consentType !== 'AllPrincipals');
});
edit([...EN, 'applications.page-1.json'], (page) => {
  for (const app of page.value) {
    if (app.displayName === 'HR-Copilot') {
      app.passwordCredentials = [
        {
          customKeyIdentifier: null,
          displayName: 'hr-copilot-2026-11',
          endDateTime: '2027-05-20T10:00:00Z',
          hint: 'q7T',
          keyId: 'b3f1c2d4-6a8e-4f0b-9c1d-2e3f4a5b6c7d',
          secretText: null,
          startDateTime: '2026-11-21T10:00:00Z',
        },
      ];
    }
    if (app.displayName === 'legacy-sync') {
      app.passwordCredentials = app.passwordCredentials.filter((p) => Date.parse(p.endDateTime) > Date.parse(LATER));
    }
  }
});

console.log(`wrote ${OUT}`);
