import { mapPool } from '../../../collect/pool.js';
import { FILES, GRANT_REPOSITORIES_CALL, INSTALLATION_REPOSITORIES_CALL, grantRepositoriesFile, installationRepositoriesFile } from '../files.js';
import { needsRepositoryList } from '../installations.js';
import {
  credentialAuthorizationsPageSchema,
  grantRepositoriesPageSchema,
  installationRepositoriesPageSchema,
  installationsPageSchema,
  membersPageSchema,
  oidcSubjectTemplateSchema,
  organizationSchema,
  orgSecretsPageSchema,
  patGrantsPageSchema,
  workflowPermissionsSchema,
  type WireInstallation,
  type WirePatGrant,
} from '../wire.js';
import { ORG_CALLS } from './calls.js';
import { collectDeployKeys } from './deploy-keys.js';
import { statusOf, tokenExchangeFailed } from './failure.js';
import { failureMessage, pages, single, type OrgRun } from './run.js';

// One organization's call plan. Every list is paged through Link headers; the calls run side by
// side, and each records its own coverage outcome.

const NOT_SAML = 'skipped: the organization has no SAML single sign-on (GET /orgs/{org}/credential-authorizations answered 404), so no credential is authorized for it';

export const APP_ONLY_MESSAGE =
  'not collected: GitHub lists fine-grained personal access tokens granted to an organization only to a GitHub App ' +
  '(organization_personal_access_tokens: read); collect with --github-app-id and --github-app-key-file (see `agentscan permissions github`)';

export const TOKEN_ONLY_MESSAGE =
  'not collected: GitHub lists the repositories another App\'s installation was given only to that installation\'s own token ' +
  'or to a user (GET /user/installations/{installation_id}/repositories); set GITHUB_TOKEN to an organization owner\'s token ' +
  'beside the App to see which repositories its selected-repository installations can write';

/** GitHub refused the credential itself: nothing can be collected with it. */
export class CredentialRefused extends Error {}

/** Records every call of the org as not made, so an org that could not be entered reads as partial. */
export function skipOrg(run: Pick<OrgRun, 'calls'>, message: string): void {
  for (const { call } of ORG_CALLS) run.calls.failed(call, message, 'skipped');
}

/** Collects one organization; throws CredentialRefused when GitHub refuses the credential outright (401). */
export async function collectOrganization(run: OrgRun, apiUrl: string): Promise<void> {
  const list = (url: string, extra: Record<string, unknown> = {}) => ({ method: 'GET', url, org: run.org, per_page: run.settings.pageSize, ...extra });
  const org = await single(run, FILES.org, { method: 'GET', url: '/orgs/{org}', org: run.org }, organizationSchema);
  if (statusOf(org.error) === 401) throw new CredentialRefused(failureMessage(org.error, FILES.org.call));
  // Without an installation token every other call would fail the same way, each after its own retries.
  if (org.error && tokenExchangeFailed(org.error)) {
    const why = `not collected: ${failureMessage(org.error, FILES.org.call)}`;
    for (const { call } of ORG_CALLS) if (call !== FILES.org.call) run.calls.failed(call, why);
    return;
  }
  await Promise.all([
    pages(run, FILES.installations, list('/orgs/{org}/installations'), installationsPageSchema).then((r) => installationRepositories(run, r)),
    patGrants(run, list),
    credentialAuthorizations(run, list('/orgs/{org}/credential-authorizations')),
    pages(run, FILES.members, list('/orgs/{org}/members', { role: 'all' }), membersPageSchema),
    pages(run, FILES.admins, list('/orgs/{org}/members', { role: 'admin' }), membersPageSchema),
    single(run, FILES.workflowPermissions, { method: 'GET', url: '/orgs/{org}/actions/permissions/workflow', org: run.org }, workflowPermissionsSchema),
    single(run, FILES.oidcSubjectTemplate, { method: 'GET', url: '/orgs/{org}/actions/oidc/customization/sub', org: run.org }, oidcSubjectTemplateSchema),
    pages(run, FILES.orgSecrets, list('/orgs/{org}/actions/secrets'), orgSecretsPageSchema),
    collectDeployKeys(run, apiUrl),
  ]);
}

async function credentialAuthorizations(run: OrgRun, first: Record<string, unknown>): Promise<void> {
  const call = FILES.credentialAuthorizations.call;
  const result = await pages(run, FILES.credentialAuthorizations, first, credentialAuthorizationsPageSchema, { record: false });
  if (result.complete) run.calls.ok(call);
  else if (statusOf(result.error) === 404 && result.pages.length === 0) run.calls.failed(call, NOT_SAML, 'skipped');
  else run.calls.failed(call, failureMessage(result.error, call));
}

/** Fine-grained PAT grants (App only), then the repositories of each grant limited to a subset. */
async function patGrants(run: OrgRun, list: (url: string) => Record<string, unknown>): Promise<void> {
  if (!run.asApp) {
    run.calls.failed(FILES.patGrants.call, APP_ONLY_MESSAGE);
    run.calls.failed(GRANT_REPOSITORIES_CALL, APP_ONLY_MESSAGE);
    return;
  }
  const result = await pages(run, FILES.patGrants, list('/orgs/{org}/personal-access-tokens'), patGrantsPageSchema);
  const subset = result.pages.flat().filter((g: WirePatGrant) => g.repository_selection === 'subset');
  await mapPool(subset, run.settings.repoConcurrency, async (grant) => {
    const file = grantRepositoriesFile(grant.id);
    // Failures are recorded under the grant's own call (it excuses only its pages); success under the generic one.
    const r = await pages(
      run,
      file,
      { method: 'GET', url: '/orgs/{org}/personal-access-tokens/{pat_id}/repositories', org: run.org, pat_id: grant.id, per_page: run.settings.pageSize },
      grantRepositoriesPageSchema,
      { record: false },
    );
    if (r.complete) run.calls.ok(GRANT_REPOSITORIES_CALL);
    else run.calls.failed(file.call, failureMessage(r.error, file.call));
  });
  if (subset.length === 0 && result.complete) run.calls.ok(GRANT_REPOSITORIES_CALL);
}

/**
 * The repositories of each installation limited to selected repositories that can push (the
 * others write everywhere or nowhere): a paged list per such installation, which GitHub answers
 * to a user token only, listing what the user can see through it (all of them for an org owner).
 */
async function installationRepositories(run: OrgRun, listed: { pages: Array<{ installations: WireInstallation[] }>; complete: boolean }): Promise<void> {
  const selected = listed.pages.flatMap((p) => p.installations).filter(needsRepositoryList);
  if (selected.length === 0) {
    if (listed.complete) run.calls.ok(INSTALLATION_REPOSITORIES_CALL);
    return;
  }
  if (!run.userClient) {
    run.calls.failed(INSTALLATION_REPOSITORIES_CALL, TOKEN_ONLY_MESSAGE);
    return;
  }
  const asUser: OrgRun = { ...run, client: run.userClient };
  await mapPool(selected, run.settings.repoConcurrency, async (inst) => {
    const file = installationRepositoriesFile(inst.id);
    const r = await pages(
      asUser,
      file,
      { method: 'GET', url: '/user/installations/{installation_id}/repositories', installation_id: inst.id, per_page: run.settings.pageSize },
      installationRepositoriesPageSchema,
      { record: false },
    );
    if (r.complete) run.calls.ok(INSTALLATION_REPOSITORIES_CALL);
    else run.calls.failed(file.call, failureMessage(r.error, file.call));
  });
}
