import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceReader } from '../../../src/bundle/source-reader.js';
import type { CoverageEntry } from '../../../src/model/bundle.js';

// Small gcp bundles for the negative and edge cases: a base project with two service
// accounts, where each test replaces or drops the files it is about.

export const SCOPE = 'acme-ml-prod';
export const COLLECTED_AT = '2026-11-20T09:30:00Z';
export const BOT = 'bot@acme-ml-prod.iam.gserviceaccount.com';
export const ETL = 'etl@acme-ml-prod.iam.gserviceaccount.com';
export const BOT_KEY = 'a3f09c1d2b7e4f5a6c8d9e0f1a2b3c4d5e6f7a8b';

export function demoSource(coverage: CoverageEntry[] = []): SourceReader {
  const demo = fileURLToPath(new URL('../../../fixtures/demo', import.meta.url));
  return new SourceReader(demo, { provider: 'gcp', scope: SCOPE, path: `gcp/${SCOPE}` }, COLLECTED_AT, coverage);
}

export function baseFiles(): Record<string, unknown> {
  const account = (email: string, uniqueId: string) => ({
    name: `projects/${SCOPE}/serviceAccounts/${email}`,
    projectId: SCOPE,
    uniqueId,
    email,
    oauth2ClientId: uniqueId,
  });
  return {
    'cloudresourcemanager-projects-get.json': { name: 'projects/482910573746', projectId: SCOPE, displayName: 'Acme ML Production', state: 'ACTIVE' },
    'iam-projects-serviceAccounts-list.page-1.json': {
      accounts: [account(BOT, '104011223344556677889'), account(ETL, '108877665544332211009')],
    },
    'cloudresourcemanager-projects-getIamPolicy.json': {
      version: 1,
      etag: 'BwYd2Jd4+1M=',
      bindings: [
        { role: 'roles/owner', members: [`serviceAccount:${BOT}`, 'user:alice@acme.example'] },
        { role: 'roles/bigquery.dataEditor', members: [`serviceAccount:${ETL}`] },
      ],
    },
    [`iam-projects-serviceAccounts-keys-list/${BOT}.json`]: {
      keys: [
        {
          name: `projects/${SCOPE}/serviceAccounts/${BOT}/keys/${BOT_KEY}`,
          validAfterTime: '2026-01-24T08:12:44Z',
          validBeforeTime: '9999-12-31T23:59:59Z',
          keyAlgorithm: 'KEY_ALG_RSA_2048',
          keyOrigin: 'GOOGLE_PROVIDED',
          keyType: 'USER_MANAGED',
        },
      ],
    },
    [`iam-projects-serviceAccounts-keys-list/${ETL}.json`]: {},
    [`iam-projects-serviceAccounts-getIamPolicy/${BOT}.json`]: { etag: 'ACAB' },
    [`iam-projects-serviceAccounts-getIamPolicy/${ETL}.json`]: { etag: 'ACAB' },
    'policyanalyzer-activities-query.serviceAccountLastAuthentication.page-1.json': {
      activities: [
        {
          activity: { lastAuthenticatedTime: '2026-11-18T08:00:00Z' },
          activityType: 'serviceAccountLastAuthentication',
          fullResourceName: `//iam.googleapis.com/projects/${SCOPE}/serviceAccounts/${BOT}`,
        },
      ],
    },
    'policyanalyzer-activities-query.serviceAccountKeyLastAuthentication.page-1.json': {
      activities: [
        {
          activity: { lastAuthenticatedTime: '2026-11-18T08:00:00Z' },
          activityType: 'serviceAccountKeyLastAuthentication',
          fullResourceName: `//iam.googleapis.com/projects/${SCOPE}/serviceAccounts/${BOT}/keys/${BOT_KEY}`,
        },
      ],
    },
  };
}

const created: string[] = [];

/** Removes the folders tempSource made; call from afterAll. */
export function removeTempSources(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes the files (undefined drops one; a string is written verbatim) and returns a reader over them. */
export function tempSource(files: Record<string, unknown>, coverage: Array<Omit<CoverageEntry, 'provider' | 'scope'>> = []): SourceReader {
  const bundleDir = mkdtempSync(join(tmpdir(), 'agentscan-gcp-'));
  created.push(bundleDir);
  const dir = join(bundleDir, 'gcp', SCOPE);
  for (const [file, body] of Object.entries(files)) {
    if (body === undefined) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  }
  mkdirSync(dir, { recursive: true });
  const entries = coverage.map((c) => ({ provider: 'gcp' as const, scope: SCOPE, ...c }));
  return new SourceReader(bundleDir, { provider: 'gcp', scope: SCOPE, path: `gcp/${SCOPE}` }, COLLECTED_AT, entries);
}
