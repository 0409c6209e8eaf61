import type { SourceReader } from '../../bundle/source-reader.js';
import { activityCall, FILES, type ActivityType } from './files.js';
import { readPages } from './read.js';
import { activitiesPageSchema } from './wire.js';

// Policy Analyzer's last-authentication activities, indexed for lookup. An account or key
// without an activity did not authenticate in the observation period; that only means
// "never used" when the query itself succeeded, so a failed query yields undefined.

export interface LastAuthentication {
  /** By service account e-mail or unique id (the resource name may carry either). */
  accounts: Map<string, string>;
  /** By key id. */
  keys: Map<string, string>;
}

const RESOURCE = /\/serviceAccounts\/([^/]+)(?:\/keys\/([^/]+))?$/;

function keepLatest(map: Map<string, string>, key: string | undefined, time: string): void {
  if (!key) return;
  const seen = map.get(key);
  if (!seen || Date.parse(time) > Date.parse(seen)) map.set(key, time);
}

export function readLastAuthentication(source: SourceReader, type: ActivityType): LastAuthentication | undefined {
  const pages = readPages(source, (n) => FILES.activitiesPage(type, n), activitiesPageSchema, activityCall(type));
  if (!pages) return undefined;
  const index: LastAuthentication = { accounts: new Map(), keys: new Map() };
  for (const { fullResourceName, activity } of pages.flatMap((p) => p.activities)) {
    const time = activity.lastAuthenticatedTime;
    const [, account, key] = RESOURCE.exec(fullResourceName) ?? [];
    if (key) keepLatest(index.keys, key, time);
    else {
      keepLatest(index.accounts, account, time);
      keepLatest(index.accounts, activity.serviceAccount?.serviceAccountId, time);
    }
  }
  return index;
}
