import { afterAll, describe, expect, it } from 'vitest';
import { normalizeGcp } from '../../../src/providers/gcp/normalize.js';
import { bundleErrorOf } from '../../helpers/errors.js';
import { baseFiles, BOT, BOT_KEY, ETL, removeTempSources, tempSource } from './bundle.js';

afterAll(removeTempSources);

const KEYS_BOT = `iam-projects-serviceAccounts-keys-list/${BOT}.json`;
const ACCOUNT_ACTIVITY = 'policyanalyzer-activities-query.serviceAccountLastAuthentication.page-1.json';
const KEY_ACTIVITY = 'policyanalyzer-activities-query.serviceAccountKeyLastAuthentication.page-1.json';

describe('gcp normalizer on malformed bundles', () => {
  it('the base bundle is fine', () => {
    const ids = normalizeGcp(tempSource(baseFiles()));
    expect(ids.map((i) => i.name)).toEqual([BOT, ETL]);
    expect(ids[0].credentials[0]).toMatchObject({ id: BOT_KEY, lastUsedAt: '2026-11-18T08:00:00Z' });
  });

  it('a wrong type deep in a key names the file and the field path', () => {
    const files = baseFiles();
    (files[KEYS_BOT] as { keys: Array<Record<string, unknown>> }).keys[0].validAfterTime = 1737706364;
    const err = bundleErrorOf(() => normalizeGcp(tempSource(files)));
    expect(err.message).toContain(KEYS_BOT);
    expect(err.message).toContain('at keys[0].validAfterTime');
  });

  it('a binding whose members is not a list names the binding', () => {
    const files = baseFiles();
    (files['cloudresourcemanager-projects-getIamPolicy.json'] as { bindings: Array<Record<string, unknown>> }).bindings[1].members =
      `serviceAccount:${ETL}`;
    const err = bundleErrorOf(() => normalizeGcp(tempSource(files)));
    expect(err.message).toContain('cloudresourcemanager-projects-getIamPolicy.json');
    expect(err.message).toContain('at bindings[1].members');
  });

  it('an activity without lastAuthenticatedTime is rejected', () => {
    const files = baseFiles();
    (files[ACCOUNT_ACTIVITY] as { activities: Array<{ activity: Record<string, unknown> }> }).activities[0].activity = {};
    const err = bundleErrorOf(() => normalizeGcp(tempSource(files)));
    expect(err.message).toContain(ACCOUNT_ACTIVITY);
    expect(err.message).toContain('at activities[0].activity.lastAuthenticatedTime');
  });

  it('a file that is not JSON names the file', () => {
    const err = bundleErrorOf(() => normalizeGcp(tempSource({ ...baseFiles(), [KEYS_BOT]: '{"keys": [' })));
    expect(err.message).toContain(KEYS_BOT);
    expect(err.message).toContain('not valid JSON');
  });

  it('a missing file that no failed call explains is an error naming the file and the call', () => {
    const err = bundleErrorOf(() => normalizeGcp(tempSource({ ...baseFiles(), 'cloudresourcemanager-projects-getIamPolicy.json': undefined })));
    expect(err.message).toContain('cloudresourcemanager-projects-getIamPolicy.json');
    expect(err.message).toContain('cloudresourcemanager.projects.getIamPolicy');
  });

  it('a page promised by nextPageToken but absent is an error', () => {
    const files = baseFiles();
    (files['iam-projects-serviceAccounts-list.page-1.json'] as Record<string, unknown>).nextPageToken = 'CiRwcm9qZWN0cy9hY21l';
    const err = bundleErrorOf(() => normalizeGcp(tempSource(files)));
    expect(err.message).toContain('iam-projects-serviceAccounts-list.page-2.json');
  });
});

describe('gcp normalizer on partial bundles (calls recorded as failed)', () => {
  it('a keys.list that failed for one account leaves that account without credentials', () => {
    const source = tempSource({ ...baseFiles(), [KEYS_BOT]: undefined }, [
      { call: `iam.projects.serviceAccounts.keys.list(${BOT})`, status: 'error', message: '403 PERMISSION_DENIED' },
    ]);
    const ids = normalizeGcp(source);
    expect(ids).toHaveLength(2);
    expect(ids[0].credentials).toEqual([]);
    expect(ids[0].entitlements[0].permissions).toEqual(['roles/owner']);
    // The account's own use is still known from the account activity.
    expect(ids[0].lastUsedAt).toBe('2026-11-18T08:00:00Z');
  });

  it('a failure recorded for a whole per-account method explains every account', () => {
    const files = { ...baseFiles() };
    for (const email of [BOT, ETL]) files[`iam-projects-serviceAccounts-getIamPolicy/${email}.json`] = undefined;
    const ids = normalizeGcp(tempSource(files, [{ call: 'iam.projects.serviceAccounts.getIamPolicy', status: 'error' }]));
    expect(ids).toHaveLength(2);
    expect(ids.every((i) => i.trustedBy.length === 0)).toBe(true);
  });

  it('a failed key activity query leaves key use unknown rather than "never used"', () => {
    const source = tempSource({ ...baseFiles(), [KEY_ACTIVITY]: undefined }, [
      { call: 'policyanalyzer.projects.locations.activityTypes.activities.query(serviceAccountKeyLastAuthentication)', status: 'error' },
    ]);
    const [bot] = normalizeGcp(source);
    expect(bot.credentials[0].lastUsedAt).toBeUndefined();
    expect(bot.credentials[0].attributes?.usageTracked).toBe(false);
    expect(bot.attributes.usageTracked).toBe(true);
  });

  it('a failed account activity query marks accounts as untracked', () => {
    const source = tempSource({ ...baseFiles(), [ACCOUNT_ACTIVITY]: undefined }, [
      { call: 'policyanalyzer.projects.locations.activityTypes.activities.query(serviceAccountLastAuthentication)', status: 'error' },
    ]);
    const [bot, etl] = normalizeGcp(source);
    expect(etl.attributes.usageTracked).toBe(false);
    expect(etl.lastUsedAt).toBeUndefined();
    // The key activity still shows the account in use.
    expect(bot.lastUsedAt).toBe('2026-11-18T08:00:00Z');
  });

  it('a failed project policy yields the accounts without project grants', () => {
    const source = tempSource({ ...baseFiles(), 'cloudresourcemanager-projects-getIamPolicy.json': undefined }, [
      { call: 'cloudresourcemanager.projects.getIamPolicy', status: 'error', message: '403' },
    ]);
    const ids = normalizeGcp(source);
    expect(ids).toHaveLength(2);
    expect(ids.flatMap((i) => i.entitlements)).toEqual([]);
  });

  it('a failed projects.get falls back to the scope for the container', () => {
    const source = tempSource({ ...baseFiles(), 'cloudresourcemanager-projects-get.json': undefined }, [
      { call: 'cloudresourcemanager.projects.get', status: 'error' },
    ]);
    const [bot] = normalizeGcp(source);
    expect(bot.container).toEqual({ type: 'project', id: 'acme-ml-prod' });
    expect(bot.attributes.projectNumber).toBeUndefined();
  });

  it('a failed serviceAccounts.list yields no identities', () => {
    const source = tempSource({ ...baseFiles(), 'iam-projects-serviceAccounts-list.page-1.json': undefined }, [
      { call: 'iam.projects.serviceAccounts.list', status: 'error' },
    ]);
    expect(normalizeGcp(source)).toEqual([]);
  });

  it('a list that failed on page 2 keeps the accounts of page 1', () => {
    const files = baseFiles();
    (files['iam-projects-serviceAccounts-list.page-1.json'] as Record<string, unknown>).nextPageToken = 'CiRwcm9qZWN0cy9hY21l';
    const source = tempSource(files, [{ call: 'iam.projects.serviceAccounts.list', status: 'error', message: '503 after retries' }]);
    expect(normalizeGcp(source)).toHaveLength(2);
  });
});
