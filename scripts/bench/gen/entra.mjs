import { Clock, Rng, UniqueIds } from './rng.mjs';
import { COLLECTED_AT, pages } from './writer.mjs';

// One Entra tenant: service principals of the tenant's own apps, third-party multi-tenant apps,
// managed identities and Agent ID objects, next to Microsoft first-party resource SPs (with
// appRoles); applications with secrets, certificates and federated credentials; app role
// assignments, owners, delegated grants, directory roles and PIM eligibility.

const GRAPH = 'https://graph.microsoft.com/v1.0';
const MICROSOFT_SERVICES = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
/** Microsoft Graph's application permissions, with their published ids. */
const GRAPH_ROLES = [
  ['RoleManagement.ReadWrite.Directory', '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', 0.2],
  ['AppRoleAssignment.ReadWrite.All', '06b708a9-e830-4db3-a914-8e69da51d44f', 0.2],
  ['Application.ReadWrite.All', '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', 0.5],
  ['Application.ReadWrite.OwnedBy', '18a4783c-866b-4cc7-a460-3d5e5662c884', 0.5],
  ['Application.Read.All', '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', 2],
  ['Directory.ReadWrite.All', '19dbc75e-c2e2-444c-a770-ec69d8559fc7', 0.3],
  ['Directory.Read.All', '7ab1d382-f21e-4acd-a863-ba3e13f7da61', 4],
  ['User.Read.All', 'df021288-bdef-4463-88db-98f22de89214', 6],
  ['Sites.Read.All', '332a536c-c7ef-4017-ab91-336970924f0d', 3],
  ['Sites.Selected', '883ea226-0bf2-4a8f-9f9d-92c9162a727d', 2],
  ['Files.Read.All', '01d4889c-1287-42c6-ac1f-5d1e02578ef6', 3],
  ['Mail.Read', '810c84a8-4a9e-49e6-bf7d-12d183f40d01', 2],
  ['Reports.Read.All', '230c1aed-a721-4c5d-9cb4-a90514e508ef', 1],
  ['ServicePrincipalEndpoint.ReadWrite.All', '89c8469c-83ad-45f7-8ff2-6e3d4285709e', 0.2],
];
/** Other first-party resource apps, with their published app ids; role ids are generated. */
const OTHER_FIRST_PARTY = [
  ['Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000', ['full_access_as_app', 'Mail.Read', 'Exchange.ManageAsApp']],
  ['Office 365 SharePoint Online', '00000003-0000-0ff1-ce00-000000000000', ['Sites.FullControl.All', 'Sites.Read.All']],
  ['Azure Key Vault', 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093', []],
  ['Windows Azure Service Management API', '797f4846-ba00-4fd7-ba43-dac1f8f63013', []],
];
/** Built-in directory roles by template id. */
const DIRECTORY_ROLES = [
  ['Global Administrator', '62e90394-69f5-4237-9190-012177145e10', 0.3],
  ['Privileged Role Administrator', 'e8611ab8-c189-46e8-94e1-60213ab1f814', 0.3],
  ['Application Administrator', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', 1],
  ['Cloud Application Administrator', '158c047a-c907-4556-b7ef-446551a6b5f7', 1],
  ['User Administrator', 'fe930be7-5e62-47db-91af-98c3a49a38b1', 1],
  ['Exchange Administrator', '29232cdf-9323-42fd-ade2-1d097af3e4de', 0.5],
  ['Global Reader', 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', 2],
  ['Security Reader', '5d6b6bb7-de71-4623-b4af-96380a352509', 2],
  ['Directory Readers', '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', 3],
  ['Intune Administrator', '3a2c62db-5318-420d-8d74-23affee5d9d5', 0.5],
];
const SCOPES = ['User.Read', 'Mail.Read', 'Files.Read.All', 'Calendars.Read', 'offline_access', 'Sites.Read.All', 'Mail.Send', 'Chat.Read', 'Directory.AccessAsUser.All'];
const WORDS = ['hr', 'finance', 'sales', 'support', 'ops', 'legal', 'it', 'data', 'marketing', 'procurement', 'security', 'devops'];
const ROLES_OF = ['copilot', 'agent', 'connector', 'sync', 'exporter', 'bot', 'portal', 'pipeline', 'indexer', 'assistant', 'api', 'scheduler'];
const NAMES = ['Ada', 'Bo', 'Cy', 'Dee', 'Eve', 'Finn', 'Gia', 'Hal', 'Ines', 'Jon', 'Kit', 'Lou', 'Max', 'Noor', 'Oli', 'Pat'];

export function generateEntraTenant(bundle, { scopeIndex, identities, seed, githubOrg }) {
  const rng = new Rng(`${seed}/entra/${scopeIndex}`);
  const clock = new Clock(COLLECTED_AT);
  const ids = new UniqueIds();
  const guid = () => ids.take(() => rng.guid());
  const tenant = guid();
  const out = bundle.source('entra', tenant);
  const ts = (d) => clock.daysAgoSeconds(d);
  const odata = (path) => `${GRAPH}/$metadata#${path}`;
  const collection = (file, context, list, size, nextPath) => {
    if (size === undefined) return out.json(`${file}.json`, { '@odata.context': odata(context), value: list });
    pages(list, size).forEach((page, n, all) =>
      out.json(`${file}.page-${n + 1}.json`, {
        '@odata.context': odata(context),
        ...(n < all.length - 1 ? { '@odata.nextLink': `${GRAPH}/${nextPath}?$top=${size}&$skiptoken=${rng.alnum(60)}` } : {}),
        value: page,
      }),
    );
  };
  const domain = `acme-bench-${scopeIndex}.example`;
  out.json('organization.json', {
    '@odata.context': odata('organization(id,displayName,verifiedDomains,createdDateTime,tenantType)'),
    value: [{ id: tenant, displayName: `Acme bench ${scopeIndex}`, createdDateTime: ts(2000), tenantType: 'AAD', verifiedDomains: [{ name: domain, isDefault: true, isInitial: false }, { name: `acmebench${scopeIndex}.onmicrosoft.com`, isDefault: false, isInitial: true }] }],
  });

  // People who own apps; a few have been deleted.
  const users = Array.from({ length: Math.max(10, Math.round(identities / 8)) }, (_, i) => {
    const name = `${rng.pick(NAMES)} ${rng.pick(['Berg', 'Costa', 'Diaz', 'Ek', 'Fox', 'Gray', 'Holm', 'Ito', 'Lund', 'Moss'])}`;
    return { '@odata.type': '#microsoft.graph.user', id: guid(), displayName: name, userPrincipalName: `${name.toLowerCase().replace(' ', '.')}${i}@${domain}`, accountEnabled: rng.chance(0.95) };
  });
  const deleted = rng.sample(users, Math.max(1, Math.round(users.length * 0.04)));
  const deletedIds = new Set(deleted.map((u) => u.id));
  const liveUsers = users.filter((u) => !deletedIds.has(u.id));

  const sp = (fields) => ({
    id: guid(), appId: null, displayName: '', servicePrincipalType: 'Application', accountEnabled: true, appOwnerOrganizationId: tenant,
    tags: [], alternativeNames: [], createdDateTime: ts(rng.int(10, 1500)), description: null, notes: null, signInAudience: 'AzureADMyOrg',
    publisherName: `Acme bench ${scopeIndex}`, verifiedPublisher: { displayName: null }, passwordCredentials: [], keyCredentials: [], appRoles: [], ...fields,
  });

  // Microsoft first-party resources
  const graph = sp({
    appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph', appOwnerOrganizationId: MICROSOFT_SERVICES, signInAudience: 'AzureADMultipleOrgs', publisherName: 'Microsoft Services',
    appRoles: GRAPH_ROLES.map(([value, id]) => ({ allowedMemberTypes: ['Application'], displayName: value, id, isEnabled: true, origin: 'Application', value })),
  });
  const firstParty = [graph, ...OTHER_FIRST_PARTY.map(([displayName, appId, roles]) => sp({
    appId, displayName, appOwnerOrganizationId: MICROSOFT_SERVICES, signInAudience: 'AzureADMultipleOrgs', publisherName: 'Microsoft Services',
    appRoles: roles.map((value) => ({ allowedMemberTypes: ['Application'], displayName: value, id: guid(), isEnabled: true, origin: 'Application', value })),
  }))];

  const secret = (name) => {
    const start = rng.int(1, 900);
    return { customKeyIdentifier: null, displayName: name, endDateTime: rng.chance(0.15) ? ts(start - rng.int(30, start)) : ts(-rng.int(30, 700)), hint: rng.alnum(3), keyId: guid(), secretText: null, startDateTime: ts(start) };
  };
  const cert = (name) => {
    const start = rng.int(1, 700);
    return { customKeyIdentifier: rng.bytes(20).toString('base64'), displayName: `CN=${name}`, endDateTime: ts(-rng.int(30, 700)), key: null, keyId: guid(), startDateTime: ts(start), type: 'AsymmetricX509Cert', usage: 'Verify' };
  };

  const principals = [];
  const applications = [];
  const blueprints = [];
  const names = new UniqueIds();
  const kindMix = [['app', 50], ['thirdparty', 15], ['mi', 25], ['blueprint', 2], ['agent', 8]];
  for (let i = 0; i < identities; i++) {
    let kind = rng.weighted(kindMix);
    if (kind === 'agent' && blueprints.length === 0) kind = 'blueprint';
    const displayName = names.take(() => `${rng.pick(WORDS)}-${rng.pick(ROLES_OF)}-${rng.int(1, 9999999)}`);
    if (kind === 'app' || kind === 'blueprint') {
      const appId = guid();
      const app = {
        id: guid(), appId, displayName, createdDateTime: ts(rng.int(10, 1500)), description: rng.chance(0.5) ? `${displayName} integration` : null, notes: null,
        signInAudience: 'AzureADMyOrg', tags: rng.chance(0.3) ? ['ai-agent=true'] : [], publisherDomain: domain,
        passwordCredentials: rng.chance(0.5) ? Array.from({ length: rng.int(1, 2) }, (_, k) => secret(`${displayName}-${k}`)) : [],
        keyCredentials: rng.chance(0.2) ? [cert(displayName)] : [],
        requiredResourceAccess: rng.chance(0.5) ? [{ resourceAppId: graph.appId, resourceAccess: rng.sample(GRAPH_ROLES, rng.int(1, 3)).map(([, id]) => ({ id, type: 'Role' })) }] : [],
        ...(kind === 'blueprint' ? { '@odata.type': '#microsoft.graph.agentIdentityBlueprint' } : {}),
      };
      applications.push(app);
      const principal = sp({ appId, displayName, tags: ['WindowsAzureActiveDirectoryIntegratedApp', ...app.tags], ...(kind === 'blueprint' ? { '@odata.type': '#microsoft.graph.agentIdentityBlueprintPrincipal' } : {}) });
      principals.push(principal);
      if (kind === 'blueprint') blueprints.push(appId);
    } else if (kind === 'thirdparty') {
      principals.push(sp({ appId: guid(), displayName: `${displayName} (vendor)`, appOwnerOrganizationId: guid(), signInAudience: 'AzureADMultipleOrgs', publisherName: `Vendor ${rng.int(1, 500)}`, tags: ['WindowsAzureActiveDirectoryIntegratedApp'] }));
    } else if (kind === 'mi') {
      const sub = guid();
      principals.push(sp({
        appId: guid(), displayName, servicePrincipalType: 'ManagedIdentity', appOwnerOrganizationId: null, signInAudience: null, publisherName: null,
        alternativeNames: ['isExplicit=True', `/subscriptions/${sub}/resourcegroups/rg-${rng.pick(WORDS)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${displayName}`],
      }));
    } else {
      const id = guid();
      principals.push(sp({ '@odata.type': '#microsoft.graph.agentIdentity', id, appId: id, displayName, servicePrincipalType: 'ServiceIdentity', agentIdentityBlueprintId: rng.pick(blueprints), tags: rng.chance(0.5) ? [`department=${rng.pick(WORDS)}`] : [] }));
    }
  }

  const allSps = [...firstParty, ...principals];
  collection('servicePrincipals', 'servicePrincipals(id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId,tags,alternativeNames,createdDateTime,description,notes,signInAudience,publisherName,verifiedPublisher,passwordCredentials,keyCredentials,appRoles,agentIdentityBlueprintId,createdByAppId)', allSps, 999, 'servicePrincipals');
  collection('applications', 'applications(id,appId,displayName,createdDateTime,description,notes,signInAudience,tags,publisherDomain,passwordCredentials,keyCredentials,requiredResourceAccess)', applications, 999, 'applications');

  const owners = (n) => Array.from(new Set(Array.from({ length: n }, () => (rng.chance(0.9) ? rng.pick(users) : rng.pick(principals))))).map((o) =>
    o['@odata.type'] === '#microsoft.graph.user' ? o : { '@odata.type': '#microsoft.graph.servicePrincipal', id: o.id, displayName: o.displayName, userPrincipalName: null, accountEnabled: true },
  );
  for (const app of applications) {
    const fics = [];
    if (rng.chance(0.15)) fics.push({ audiences: ['api://AzureADTokenExchange'], description: 'GitHub Actions', id: guid(), issuer: 'https://token.actions.githubusercontent.com', name: `${app.displayName}-main`, subject: `repo:${githubOrg}/${app.displayName}:ref:refs/heads/main`, claimsMatchingExpression: null });
    if (rng.chance(0.03)) fics.push({ audiences: ['api://AzureADTokenExchange'], description: 'Any repository', id: guid(), issuer: 'https://token.actions.githubusercontent.com', name: `${app.displayName}-any`, subject: null, claimsMatchingExpression: { value: `claims['sub'] matches 'repo:${githubOrg}/*'`, languageVersion: 1 } });
    out.json(`applications-federatedIdentityCredentials/${app.id}.json`, { '@odata.context': odata(`applications('${app.id}')/federatedIdentityCredentials`), value: fics });
    out.json(`applications-owners/${app.id}.json`, { '@odata.context': odata('directoryObjects(id,displayName,userPrincipalName,accountEnabled)'), value: rng.chance(0.6) ? owners(rng.int(1, 2)) : [] });
  }

  const grants = [];
  const roleAssignments = [];
  const eligibility = [];
  const appRoleWeights = GRAPH_ROLES.map(([, id, w]) => [id, w]);
  for (const p of principals) {
    const assignments = [];
    if (rng.chance(0.35)) {
      for (const appRoleId of new Set(Array.from({ length: rng.int(1, 4) }, () => rng.weighted(appRoleWeights)))) {
        assignments.push({ id: rng.alnum(43), deletedDateTime: null, appRoleId, createdDateTime: ts(rng.int(1, 900)), principalDisplayName: p.displayName, principalId: p.id, principalType: 'ServicePrincipal', resourceDisplayName: graph.displayName, resourceId: graph.id });
      }
    }
    if (rng.chance(0.03)) {
      const exo = firstParty[1];
      assignments.push({ id: rng.alnum(43), deletedDateTime: null, appRoleId: rng.pick(exo.appRoles).id, createdDateTime: ts(rng.int(1, 900)), principalDisplayName: p.displayName, principalId: p.id, principalType: 'ServicePrincipal', resourceDisplayName: exo.displayName, resourceId: exo.id });
    }
    out.json(`servicePrincipals-appRoleAssignments/${p.id}.json`, { '@odata.context': odata(`servicePrincipals('${p.id}')/appRoleAssignments`), value: assignments });
    out.json(`servicePrincipals-owners/${p.id}.json`, { '@odata.context': odata('directoryObjects(id,displayName,userPrincipalName,accountEnabled)'), value: p.servicePrincipalType === 'ManagedIdentity' || rng.chance(0.5) ? [] : owners(rng.int(1, 2)) });

    if (rng.chance(0.2)) {
      const all = rng.chance(0.4);
      grants.push({ clientId: p.id, consentType: all ? 'AllPrincipals' : 'Principal', id: rng.alnum(43), principalId: all ? null : rng.pick(liveUsers).id, resourceId: graph.id, scope: rng.sample(SCOPES, rng.int(1, 4)).join(' ') });
    }
    const role = () => rng.weighted(DIRECTORY_ROLES.map((r) => [r, r[2]]));
    const definition = ([displayName, id]) => ({ id, displayName, templateId: id, isBuiltIn: true });
    if (rng.chance(0.03)) {
      const r = role();
      roleAssignments.push({ id: `${rng.alnum(43)}-1`, principalId: p.id, directoryScopeId: '/', roleDefinitionId: r[1], roleDefinition: definition(r) });
    }
    if (rng.chance(0.02)) {
      const r = role();
      const bounded = rng.chance(0.5);
      eligibility.push({
        id: guid(), principalId: p.id, roleDefinitionId: r[1], directoryScopeId: '/', appScopeId: null, status: 'Provisioned', memberType: 'Direct',
        scheduleInfo: { startDateTime: ts(rng.int(1, 300)), recurrence: null, expiration: bounded ? { type: 'afterDateTime', endDateTime: ts(-rng.int(10, 300)), duration: null } : { type: 'noExpiration', endDateTime: null, duration: null } },
        roleDefinition: definition(r),
      });
    }
  }
  for (const u of rng.sample(liveUsers, Math.min(5, liveUsers.length))) {
    roleAssignments.push({ id: `${rng.alnum(43)}-1`, principalId: u.id, directoryScopeId: '/', roleDefinitionId: DIRECTORY_ROLES[0][1], roleDefinition: { id: DIRECTORY_ROLES[0][1], displayName: DIRECTORY_ROLES[0][0], templateId: DIRECTORY_ROLES[0][1], isBuiltIn: true } });
  }
  collection('oauth2PermissionGrants', 'oauth2PermissionGrants', grants, 999, 'oauth2PermissionGrants');
  collection('roleManagement-directory-roleAssignments', 'roleManagement/directory/roleAssignments(roleDefinition(id,displayName,templateId,isBuiltIn))', roleAssignments);
  collection('roleManagement-directory-roleEligibilitySchedules', 'roleManagement/directory/roleEligibilitySchedules(roleDefinition(id,displayName,templateId,isBuiltIn))', eligibility);
  collection('directory-deletedItems-users', 'users(id,displayName,userPrincipalName,deletedDateTime)', deleted.map((u) => ({ id: u.id, displayName: u.displayName, userPrincipalName: `${u.id.replace(/-/g, '')}${u.userPrincipalName}`, deletedDateTime: ts(rng.int(1, 29)) })));

  const signIn = (d) => ({ lastSignInDateTime: d === undefined ? null : ts(d), lastSignInRequestId: d === undefined ? null : guid() });
  const spActivities = [];
  for (const p of [graph, ...principals]) {
    if (!rng.chance(0.7)) continue;
    const d = rng.chance(0.7) ? rng.int(0, 10) : rng.int(11, 400);
    spActivities.push({
      id: Buffer.from(p.appId).toString('base64'), appId: p.appId,
      applicationAuthenticationClientSignInActivity: signIn(p === graph ? undefined : d), applicationAuthenticationResourceSignInActivity: signIn(p === graph ? d : undefined),
      delegatedClientSignInActivity: signIn(undefined), delegatedResourceSignInActivity: signIn(undefined), lastSignInActivity: signIn(d),
    });
  }
  out.json('reports-servicePrincipalSignInActivities.json', { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#reports/servicePrincipalSignInActivities', value: spActivities });
  const credActivities = [];
  for (const app of applications) {
    for (const c of [...app.passwordCredentials, ...app.keyCredentials]) {
      if (!rng.chance(0.5)) continue;
      credActivities.push({ id: Buffer.from(app.appId + c.keyId).toString('base64'), keyId: c.keyId, keyType: c.hint ? 'clientSecret' : 'certificate', keyUsage: 'verify', appId: app.appId, appObjectId: app.id, resourceId: graph.id, credentialOrigin: 'application', createdDateTime: c.startDateTime, expirationDateTime: c.endDateTime, signInActivity: signIn(rng.int(0, 300)) });
    }
  }
  out.json('reports-appCredentialSignInActivities.json', { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#reports/appCredentialSignInActivities', value: credActivities });

  out.ok(...['organization', 'servicePrincipals', 'applications', 'federatedIdentityCredentials', 'appRoleAssignments', 'oauth2PermissionGrants', 'roleAssignments', 'roleEligibilitySchedules', 'servicePrincipalOwners', 'applicationOwners', 'deletedUsers', 'servicePrincipalSignInActivities', 'appCredentialSignInActivities'].map((k) => CALLS[k]));
  return { scope: tenant, identities: principals.length };
}

const CALLS = {
  organization: 'GET /organization',
  servicePrincipals: 'GET /servicePrincipals',
  applications: 'GET /applications',
  federatedIdentityCredentials: 'GET /applications/{id}/federatedIdentityCredentials',
  appRoleAssignments: 'GET /servicePrincipals/{id}/appRoleAssignments',
  oauth2PermissionGrants: 'GET /oauth2PermissionGrants',
  roleAssignments: 'GET /roleManagement/directory/roleAssignments',
  roleEligibilitySchedules: 'GET /roleManagement/directory/roleEligibilitySchedules',
  servicePrincipalOwners: 'GET /servicePrincipals/{id}/owners',
  applicationOwners: 'GET /applications/{id}/owners',
  deletedUsers: 'GET /directory/deletedItems/microsoft.graph.user',
  servicePrincipalSignInActivities: 'GET /reports/servicePrincipalSignInActivities',
  appCredentialSignInActivities: 'GET /reports/appCredentialSignInActivities',
};
