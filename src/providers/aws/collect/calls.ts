// Call names of multi-account collection, as coverage entries and the permissions policy name
// them. (The per-account calls are CALLS in ../files.ts.) Kept apart from the SDK-using modules
// so that commands which only print them do not load the AWS SDK.

export const ASSUME_ROLE = 'sts:AssumeRole';
export const LIST_ACCOUNTS = 'organizations:ListAccounts';

/** Accounts collected at once unless --concurrency says otherwise. */
export const DEFAULT_CONCURRENCY = 4;
