import { createHash } from 'node:crypto';

// A long permission list is written once in a report's `permissionSets` and referred to by an id
// (report/json.ts); drift compares grants by that id without reading the lists back
// (drift/identity-digest.ts). Both take the rule from here.

/** A `permissions` list of at least this many entries is written once in the report's
 * `permissionSets` and referred to by id: thousands of identities hold the same managed policy,
 * and AWS's ReadOnlyAccess alone lists some 2,900 actions. */
export const PERMISSION_SET_MIN = 20;

/** The id a long list is written under: a hash of its (cleaned) entries, so the same list has
 * the same id in every report. */
export function permissionSetId(list: readonly string[]): string {
  return `ps-${createHash('sha256').update(list.join('\n')).digest('hex').slice(0, 16)}`;
}
