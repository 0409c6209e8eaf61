import { Clock, Rng, UniqueIds } from './rng.mjs';
import { COLLECTED_AT, pages } from './writer.mjs';

// One Google Cloud project: service accounts (list pages of 100), their keys and own IAM
// policies, one project policy binding many accounts across ~30 roles (some conditional),
// and the Policy Analyzer last-authentication activities.

const TEAMS = ['ml', 'data', 'platform', 'search', 'support', 'billing', 'growth', 'risk', 'ops', 'web'];
const PURPOSES = ['agent', 'etl', 'runner', 'deploy', 'indexer', 'export', 'api', 'batch', 'bot', 'sync', 'vertex', 'gemini', 'worker'];
const ROLES = [
  ['roles/aiplatform.user', 10], ['roles/aiplatform.admin', 1], ['roles/storage.objectViewer', 10], ['roles/storage.objectAdmin', 4],
  ['roles/storage.admin', 1], ['roles/bigquery.dataViewer', 6], ['roles/bigquery.dataEditor', 4], ['roles/bigquery.jobUser', 8],
  ['roles/bigquery.admin', 1], ['roles/run.invoker', 5], ['roles/run.admin', 1], ['roles/cloudsql.client', 4],
  ['roles/secretmanager.secretAccessor', 6], ['roles/pubsub.publisher', 4], ['roles/pubsub.subscriber', 4], ['roles/logging.logWriter', 10],
  ['roles/monitoring.metricWriter', 8], ['roles/iam.serviceAccountUser', 0.05], ['roles/iam.serviceAccountTokenCreator', 0.05],
  ['roles/cloudfunctions.invoker', 3], ['roles/artifactregistry.reader', 5], ['roles/artifactregistry.writer', 2],
  ['roles/container.developer', 2], ['roles/dataflow.worker', 3], ['roles/compute.instanceAdmin.v1', 1],
  ['roles/cloudkms.cryptoKeyDecrypter', 2], ['roles/datastore.user', 3], ['roles/editor', 2], ['roles/owner', 0.3],
  ['roles/viewer', 3], ['roles/resourcemanager.projectIamAdmin', 0.2],
];
const PEOPLE = ['alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter'];

export function generateGcpProject(bundle, { scopeIndex, identities, seed, githubOrg }) {
  const rng = new Rng(`${seed}/gcp/${scopeIndex}`);
  const clock = new Clock(COLLECTED_AT);
  const ids = new UniqueIds();
  const project = `acme-bench-ml-${scopeIndex}`;
  const number = String(400000000000 + scopeIndex * 7777777 + 1234567);
  const out = bundle.source('gcp', project);
  const uniqueId = () => ids.take(() => '1' + rng.chars('0123456789', 20));
  const keyId = () => ids.take(() => rng.hex(40));

  out.json('cloudresourcemanager-projects-get.json', {
    name: `projects/${number}`,
    parent: `folders/${rng.digits(12)}`,
    projectId: project,
    state: 'ACTIVE',
    displayName: `Acme bench ML ${scopeIndex}`,
    createTime: clock.daysAgo(1200),
    updateTime: clock.daysAgo(30),
    etag: `W/"${rng.hex(16)}"`,
    labels: { env: 'prod' },
  });

  const accounts = [];
  const names = new UniqueIds();
  for (let i = 0; i < identities; i++) {
    const defaultCompute = i === 0;
    const team = rng.pick(TEAMS);
    const purpose = rng.pick(PURPOSES);
    const name = defaultCompute ? `${number}-compute` : names.take(() => `${team}-${purpose}-${rng.int(1, 9999999)}`.slice(0, 30));
    const email = defaultCompute ? `${number}-compute@developer.gserviceaccount.com` : `${name}@${project}.iam.gserviceaccount.com`;
    const id = uniqueId();
    const sa = {
      name: `projects/${project}/serviceAccounts/${email}`,
      projectId: project,
      uniqueId: id,
      email,
      displayName: defaultCompute ? 'Compute Engine default service account' : `${team} ${purpose}`,
      etag: 'MDEwMjE5MjA=',
      ...(rng.chance(0.6) ? { description: `${purpose} for ${team}${rng.chance(0.3) ? `. Owner: ${rng.pick(PEOPLE)}@acme.example` : ''}` } : {}),
      oauth2ClientId: id,
      ...(rng.chance(0.03) ? { disabled: true } : {}),
    };
    const keys = [];
    if (rng.chance(0.6)) keys.push({ type: 'SYSTEM_MANAGED', id: keyId(), after: clock.daysAgoSeconds(rng.int(1, 300)), before: clock.daysAgoSeconds(-rng.int(300, 700)) });
    const userKeys = rng.weighted([[0, 70], [1, 25], [2, 5]]);
    for (let k = 0; k < userKeys; k++) {
      const age = rng.int(1, 1000);
      keys.push({ type: 'USER_MANAGED', id: keyId(), after: clock.daysAgoSeconds(age), before: rng.chance(0.8) ? '9999-12-31T23:59:59Z' : clock.daysAgoSeconds(age - rng.int(30, 365)) });
    }
    accounts.push({ sa, team, purpose, keys, roles: defaultCompute ? ['roles/editor'] : [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.weighted(ROLES)))] });
  }

  pages(accounts, 100).forEach((page, n, all) => {
    out.json(`iam-projects-serviceAccounts-list.page-${n + 1}.json`, {
      accounts: page.map((a) => a.sa),
      ...(n < all.length - 1 ? { nextPageToken: rng.alnum(40) } : {}),
    });
  });

  for (const a of accounts) {
    out.json(`iam-projects-serviceAccounts-keys-list/${a.sa.email}.json`, a.keys.length === 0 ? {} : {
      keys: a.keys.map((k) => ({
        name: `projects/${project}/serviceAccounts/${a.sa.email}/keys/${k.id}`,
        validAfterTime: k.after,
        validBeforeTime: k.before,
        keyAlgorithm: 'KEY_ALG_RSA_2048',
        keyOrigin: 'GOOGLE_PROVIDED',
        keyType: k.type,
      })),
    });
    // Most accounts have an empty policy; some let people, other accounts or GitHub act as them.
    const bindings = [];
    if (rng.chance(0.15)) {
      const kind = rng.weighted([['user', 3], ['sa', 2], ['wif', 2]]);
      if (kind === 'user') bindings.push({ role: 'roles/iam.serviceAccountUser', members: [`user:${rng.pick(PEOPLE)}@acme.example`, ...(rng.chance(0.3) ? [`group:${a.team}-eng@acme.example`] : [])] });
      if (kind === 'sa') bindings.push({ role: 'roles/iam.serviceAccountTokenCreator', members: [`serviceAccount:${rng.pick(accounts).sa.email}`] });
      if (kind === 'wif')
        bindings.push({
          role: 'roles/iam.workloadIdentityUser',
          members: [`principalSet://iam.googleapis.com/projects/${number}/locations/global/workloadIdentityPools/github/attribute.repository/${githubOrg}/${a.team}-${a.purpose}`],
        });
    }
    out.json(`iam-projects-serviceAccounts-getIamPolicy/${a.sa.email}.json`, bindings.length ? { version: 1, etag: `BwY${rng.alnum(9)}=`, bindings } : { etag: 'ACAB' });
  }

  // The project policy: one binding per role, plus conditional bindings for time-bound grants.
  const byRole = new Map();
  const conditional = new Map();
  const expiries = Array.from({ length: 8 }, (_, i) => clock.daysAgoSeconds(-(30 + i * 45)).replace(/T.*/, 'T00:00:00Z'));
  for (const a of accounts) {
    for (const role of a.roles) {
      const member = `serviceAccount:${a.sa.email}`;
      if (rng.chance(0.04)) {
        const until = rng.pick(expiries);
        const key = `${role}|${until}`;
        if (!conditional.has(key)) conditional.set(key, { role, members: [], condition: { title: `until-${until.slice(0, 10)}`, description: 'Time-bound grant', expression: `request.time < timestamp("${until}")` } });
        conditional.get(key).members.push(member);
      } else {
        if (!byRole.has(role)) byRole.set(role, []);
        byRole.get(role).push(member);
      }
    }
  }
  const people = (role) => (rng.chance(0.3) ? [`user:${rng.pick(PEOPLE)}@acme.example`] : []).concat(rng.chance(0.2) ? [`group:${rng.pick(TEAMS)}-eng@acme.example`] : []);
  const bindings = [...byRole.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([role, members]) => ({ role, members: [...members, ...people(role)].sort() }));
  bindings.push(
    { role: 'roles/aiplatform.serviceAgent', members: [`serviceAccount:service-${number}@gcp-sa-aiplatform.iam.gserviceaccount.com`] },
    { role: 'roles/editor', members: [`serviceAccount:${number}@cloudservices.gserviceaccount.com`] },
    { role: 'roles/iam.serviceAccountTokenCreator', members: [`group:platform-admins@acme.example`] },
    { role: 'roles/viewer', members: [`deleted:user:former.employee@acme.example?uid=${rng.digits(21)}`, 'group:ml-engineers@acme.example'] },
    ...conditional.values(),
  );
  out.json('cloudresourcemanager-projects-getIamPolicy.json', { version: 3, etag: `BwY${rng.alnum(9)}=`, bindings });

  // Policy Analyzer: most accounts and about half the user-managed keys authenticated recently.
  const activity = (type, field, resource, when, serviceAccountId) => ({
    activity: { lastAuthenticatedTime: when, [field]: { fullResourceName: resource, projectNumber: number, serviceAccountId } },
    activityType: type,
    fullResourceName: resource,
    observationPeriod: { endTime: when, startTime: when },
  });
  const day = (d) => clock.daysAgoSeconds(d).replace(/T.*/, 'T08:00:00Z');
  const saActs = [];
  const keyActs = [];
  for (const a of accounts) {
    const resource = `//iam.googleapis.com/projects/${project}/serviceAccounts/${a.sa.email}`;
    if (rng.chance(0.7)) saActs.push(activity('serviceAccountLastAuthentication', 'serviceAccount', resource, day(rng.chance(0.7) ? rng.int(1, 10) : rng.int(11, 300)), a.sa.uniqueId));
    for (const k of a.keys) {
      if (k.type === 'USER_MANAGED' && rng.chance(0.5)) keyActs.push(activity('serviceAccountKeyLastAuthentication', 'serviceAccountKey', `${resource}/keys/${k.id}`, day(rng.int(1, 200)), a.sa.uniqueId));
    }
  }
  const writeActivities = (type, list) =>
    pages(list, 1000).forEach((page, n, all) =>
      out.json(`policyanalyzer-activities-query.${type}.page-${n + 1}.json`, { activities: page, ...(n < all.length - 1 ? { nextPageToken: rng.alnum(48) } : {}) }),
    );
  writeActivities('serviceAccountLastAuthentication', saActs);
  writeActivities('serviceAccountKeyLastAuthentication', keyActs);

  // The project's GitHub workload identity pool, admitting the org's repositories.
  const pool = `projects/${number}/locations/global/workloadIdentityPools/github`;
  out.json('iam-projects-locations-workloadIdentityPools-list.page-1.json', { workloadIdentityPools: [{ name: pool, displayName: 'GitHub Actions', state: 'ACTIVE' }] });
  out.json('iam-projects-locations-workloadIdentityPools-providers-list/github.page-1.json', {
    workloadIdentityPoolProviders: [
      {
        name: `${pool}/providers/github-actions`,
        state: 'ACTIVE',
        attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository', 'attribute.repository_owner': 'assertion.repository_owner' },
        attributeCondition: `assertion.repository_owner == '${githubOrg}'`,
        oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
      },
    ],
  });

  out.ok(
    'iam.projects.locations.workloadIdentityPools.list',
    'iam.projects.locations.workloadIdentityPools.providers.list',
    'cloudresourcemanager.projects.get',
    'cloudresourcemanager.projects.getIamPolicy',
    'iam.projects.serviceAccounts.list',
    'iam.projects.serviceAccounts.keys.list',
    'iam.projects.serviceAccounts.getIamPolicy',
    'policyanalyzer.projects.locations.activityTypes.activities.query(serviceAccountLastAuthentication)',
    'policyanalyzer.projects.locations.activityTypes.activities.query(serviceAccountKeyLastAuthentication)',
  );
  return { scope: project, identities: accounts.length };
}
