import { afterEach, describe, expect, it } from 'vitest';
import { normalizeEntra } from '../../../src/providers/entra/normalize.js';
import { bundleErrorOf } from '../../helpers/errors.js';
import { byName, failed, reader, TempBundle } from './helpers.js';

const HR_SP = '9ac2cab7-d280-400b-9b39-0dbd9534a1e6';
const HR_APP_OBJECT = '56b240d5-7f67-4e59-b488-ba8967afc845';

let bundle: TempBundle;
afterEach(() => bundle?.dispose());

describe('entra bundle with a malformed file', () => {
  it('names the file and the nested field that has the wrong type', () => {
    bundle = new TempBundle();
    bundle.edit('applications.page-1.json', (body) => {
      body.value[1].passwordCredentials[0].endDateTime = 12345;
    });
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir)));
    expect(err.message).toContain('applications.page-1.json');
    expect(err.message).toContain('at value[1].passwordCredentials[0].endDateTime:');
    expect(err.message).toMatch(/expected string, received number/);
  });

  it('rejects an id that is not a GUID where Graph always sends one', () => {
    bundle = new TempBundle();
    bundle.edit(`servicePrincipals-appRoleAssignments/${HR_SP}.json`, (body) => {
      body.value[0].appRoleId = 'Sites.Read.All';
    });
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir)));
    expect(err.message).toContain(`servicePrincipals-appRoleAssignments/${HR_SP}.json`);
    expect(err.message).toContain('at value[0].appRoleId: expected a GUID');
  });

  it('rejects a consent type Graph does not have', () => {
    bundle = new TempBundle();
    bundle.edit('oauth2PermissionGrants.page-1.json', (body) => {
      body.value[0].consentType = 'Everyone';
    });
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir)));
    expect(err.message).toContain('oauth2PermissionGrants.page-1.json: at value[0].consentType');
  });

  it('reports a file that is not JSON', () => {
    bundle = new TempBundle();
    bundle.write('roleManagement-directory-roleAssignments.json', '{"value": [');
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir)));
    expect(err.message).toMatch(/roleManagement-directory-roleAssignments\.json: not valid JSON/);
  });

  it('rejects a single-file response that announces more pages', () => {
    bundle = new TempBundle();
    bundle.edit('roleManagement-directory-roleAssignments.json', (body) => {
      body['@odata.nextLink'] = 'https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignments?$skiptoken=X';
    });
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir)));
    expect(err.message).toContain('roleManagement-directory-roleAssignments.json: at @odata.nextLink');
  });
});

describe('entra bundle with a missing file', () => {
  it('fails when a required collection is missing and coverage does not explain it', () => {
    bundle = new TempBundle();
    bundle.remove('roleManagement-directory-roleAssignments.json');
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir)));
    expect(err.message).toContain('roleManagement-directory-roleAssignments.json');
    expect(err.message).toContain('GET /roleManagement/directory/roleAssignments');
  });

  it('fails when a per-object file is missing and coverage does not explain it', () => {
    bundle = new TempBundle();
    bundle.remove(`servicePrincipals-owners/${HR_SP}.json`);
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir)));
    expect(err.message).toContain(`servicePrincipals-owners/${HR_SP}.json`);
  });

  it('fails when a page announced by @odata.nextLink is missing', () => {
    bundle = new TempBundle();
    splitServicePrincipals(bundle);
    bundle.remove('servicePrincipals.page-2.json');
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir)));
    expect(err.message).toContain('servicePrincipals.page-2.json');
    expect(err.message).toContain('GET /servicePrincipals');
  });
});

describe('entra bundle with failed calls (partial data)', () => {
  it('carries on without directory roles when that call failed', () => {
    bundle = new TempBundle();
    bundle.remove('roleManagement-directory-roleAssignments.json');
    const identities = normalizeEntra(reader(bundle.dir, [failed('GET /roleManagement/directory/roleAssignments')]));
    expect(identities).toHaveLength(12);
    expect(byName(identities, 'mi-automation-runbook').entitlements).toEqual([]);
    // Everything else is still there.
    expect(byName(identities, 'ops-agent').entitlements.map((e) => e.via.type)).toEqual(['app-role', 'directory-role']);
  });

  it('accepts the concrete per-object call as the explanation', () => {
    bundle = new TempBundle();
    bundle.remove(`servicePrincipals-owners/${HR_SP}.json`);
    bundle.remove(`applications-owners/${HR_APP_OBJECT}.json`);
    const identities = normalizeEntra(
      reader(bundle.dir, [failed(`GET /servicePrincipals/${HR_SP}/owners`), failed('GET /applications/{id}/owners')]),
    );
    const hr = byName(identities, 'HR-Copilot');
    expect(hr.owners).toEqual([]);
    expect(hr.entitlements).toHaveLength(2);
  });

  it('leaves owner existence unknown when the deleted-users call failed', () => {
    bundle = new TempBundle();
    bundle.remove('directory-deletedItems-users.json');
    const identities = normalizeEntra(reader(bundle.dir, [failed('GET /directory/deletedItems/microsoft.graph.user')]));
    expect(byName(identities, 'HR-Copilot').owners[0].exists).toBeUndefined();
  });

  it('marks usage as untracked when the sign-in reports are absent', () => {
    bundle = new TempBundle();
    bundle.remove('reports-servicePrincipalSignInActivities.json');
    bundle.remove('reports-appCredentialSignInActivities.json'); // optional: no coverage entry needed
    const identities = normalizeEntra(reader(bundle.dir, [failed('GET /reports/servicePrincipalSignInActivities')]));
    const legacy = byName(identities, 'legacy-sync');
    expect(legacy.lastUsedAt).toBeUndefined();
    expect(legacy.attributes.usageTracked).toBeUndefined();
    for (const credential of legacy.credentials) {
      expect(credential.lastUsedAt).toBeUndefined();
      expect(credential.attributes?.usageTracked).toBeUndefined();
    }
  });

  it('produces no identities but no error when listing service principals failed', () => {
    bundle = new TempBundle();
    bundle.remove('servicePrincipals.page-1.json');
    expect(normalizeEntra(reader(bundle.dir, [failed('GET /servicePrincipals')]))).toEqual([]);
  });

  it('uses the pages present when a later page failed', () => {
    bundle = new TempBundle();
    const firstPage = splitServicePrincipals(bundle);
    bundle.remove('servicePrincipals.page-2.json');
    const identities = normalizeEntra(reader(bundle.dir, [failed('GET /servicePrincipals')]));
    expect(identities.map((i) => i.name)).toEqual(firstPage.filter((n) => n !== 'Microsoft Graph'));
  });
});

describe('entra paging', () => {
  it('follows @odata.nextLink across pages', () => {
    bundle = new TempBundle();
    splitServicePrincipals(bundle);
    expect(normalizeEntra(reader(bundle.dir))).toHaveLength(12);
  });
});

/** Splits the demo's single service-principal page into two, as Graph would with a small $top. */
function splitServicePrincipals(b: TempBundle): string[] {
  const body = b.read('servicePrincipals.page-1.json');
  const first = body.value.slice(0, 5);
  const second = body.value.slice(5);
  b.write('servicePrincipals.page-1.json', {
    ...body,
    value: first,
    '@odata.nextLink': 'https://graph.microsoft.com/v1.0/servicePrincipals?$top=5&$skiptoken=RFNwdAIAAQAAAB',
  });
  b.write('servicePrincipals.page-2.json', { '@odata.context': body['@odata.context'], value: second });
  return first.map((sp: { displayName: string }) => sp.displayName);
}
