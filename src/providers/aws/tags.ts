import type { Owner } from '../../model/inventory.js';

// IAM tags as a record, and the owner a tag names. IAM has no owner relationship, so a tag is
// the only place an owner can come from; whether that person still exists is not knowable here.

const OWNER_KEYS = /^(owner|owner[-_]?email|contact)$/i;

export function tagRecord(tags: { Key: string; Value: string }[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}

export function ownersFromTags(tags: Record<string, string>): Owner[] {
  return Object.entries(tags)
    .filter(([key, value]) => OWNER_KEYS.test(key) && value.trim() !== '')
    .map(([, value]) => ({ id: value.trim(), kind: value.includes('@') ? 'user' : 'unknown', source: 'tag' }));
}
