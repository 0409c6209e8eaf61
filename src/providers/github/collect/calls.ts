import { DEPLOY_KEYS_CALL, FILES, GRANT_REPOSITORIES_CALL, INSTALLATION_REPOSITORIES_CALL, REPO_OIDC_TEMPLATE_CALL } from '../files.js';

// Every GitHub call the collector makes, with what it needs: the GitHub App permission (the
// same names fine-grained tokens use) and the classic token scope. `agentscan permissions
// github` prints these, so the permissions cannot drift from the calls. Kept free of the SDK so
// that printing them does not load Octokit.

export interface CallNeed {
  call: string;
  /** App / fine-grained permission, e.g. `organization_administration: read`; undefined when none is needed. */
  app?: string;
  /** Classic token scope; undefined when none is needed. */
  classic?: string;
  /** GitHub answers this only to a GitHub App (installation token). */
  appOnly?: boolean;
  note?: string;
}

export const APP_INSTALLATIONS_CALL = 'GET /app/installations';
export const ORG_INSTALLATION_CALL = 'GET /orgs/{org}/installation';
export const USER_ORGS_CALL = 'GET /user/orgs';
export const INSTALLATION_TOKEN_CALL = 'POST /app/installations/{installation_id}/access_tokens';

export const ORG_CALLS: CallNeed[] = [
  { call: FILES.org.call, app: 'metadata: read', note: 'name and plan of the organization' },
  { call: FILES.installations.call, app: 'organization_administration: read', classic: 'read:org', note: 'App installations (owner or Administration read)' },
  {
    call: FILES.patGrants.call,
    app: 'organization_personal_access_tokens: read',
    appOnly: true,
    note: 'fine-grained personal access tokens granted to the organization',
  },
  {
    call: INSTALLATION_REPOSITORIES_CALL,
    classic: 'repo',
    note: 'token only (an org owner\'s): repositories of each selected-repository installation that can push; an App cannot ask for another App\'s',
  },
  { call: GRANT_REPOSITORIES_CALL, app: 'organization_personal_access_tokens: read', appOnly: true, note: 'repositories of each `subset` grant' },
  {
    call: FILES.credentialAuthorizations.call,
    app: 'organization_administration: read',
    classic: 'read:org',
    note: 'classic tokens and SSH keys authorized for SAML SSO (Enterprise Cloud with SAML only; answered to org owners)',
  },
  { call: FILES.repositoriesGraphql.call, app: 'administration: read (repository), metadata: read', classic: 'repo', note: 'every repository with its deploy keys, 100 a query' },
  { call: DEPLOY_KEYS_CALL, app: 'administration: read (repository)', classic: 'repo', note: 'last use and author of the keys, only for repositories that have keys' },
  { call: FILES.members.call, app: 'members: read', classic: 'read:org' },
  { call: FILES.admins.call, app: 'members: read', classic: 'read:org', note: 'organization owners' },
  { call: FILES.workflowPermissions.call, app: 'organization_administration: read', classic: 'admin:org', note: 'default GITHUB_TOKEN permissions; GitHub offers no narrower classic scope' },
  { call: FILES.oidcSubjectTemplate.call, app: 'organization_administration: read', classic: 'read:org', note: 'OIDC subject-claim template' },
  {
    call: REPO_OIDC_TEMPLATE_CALL,
    app: 'actions: read (repository)',
    classic: 'repo',
    note: 'opt-in (AGENTSCAN_GITHUB_REPO_OIDC_TEMPLATES=1): each active repository\'s own OIDC subject template, one call a repository',
  },
  { call: FILES.orgSecrets.call, app: 'organization_secrets: read', classic: 'admin:org', note: 'secret names, visibility and dates — never values' },
];

/** Calls made to find the organizations and to sign in to each; none needs a permission of its own. */
export const DISCOVERY_CALLS: CallNeed[] = [
  { call: INSTALLATION_TOKEN_CALL, note: 'App only, with the App JWT: an hour-long installation token per organization' },
  { call: APP_INSTALLATIONS_CALL, note: 'App only, with the App JWT: the organizations the App is installed on' },
  { call: ORG_INSTALLATION_CALL, note: 'App only, with the App JWT: the installation of each --github-org organization' },
  { call: USER_ORGS_CALL, classic: 'read:org', note: 'token only: the organizations the token can see' },
];

/** Organizations collected at once unless --concurrency says otherwise. */
export const DEFAULT_ORG_CONCURRENCY = 4;
