import type { Credential } from '../../model/inventory.js';
import type { ServiceAccountKey } from './wire.js';

// Service account keys → credentials. keys.list returns no key material, only the key's
// resource name, whose last segment is the key id (40 hex digits, the private_key_id of the
// JSON key file), so the id is safe to print.

/** keys.list reports keys that never expire with this validBeforeTime. */
const NO_EXPIRY_YEAR = 9999;

export function keyId(key: ServiceAccountKey): string {
  return key.name.slice(key.name.lastIndexOf('/') + 1);
}

/**
 * @param keyLastUsed last authentication per key id; undefined when the key activity query
 *   failed, so a key absent from it is only "never used" when the query succeeded.
 */
export function keyCredential(key: ServiceAccountKey, keyLastUsed: ReadonlyMap<string, string> | undefined): Credential {
  const id = keyId(key);
  // Google creates, rotates and holds SYSTEM_MANAGED keys for its own signing; nobody can
  // download them, and Activity Analyzer does not report their use.
  const providerManaged = key.keyType === 'SYSTEM_MANAGED';
  const usageTracked = !providerManaged && keyLastUsed !== undefined;
  const lastUsedAt = usageTracked ? keyLastUsed.get(id) : undefined;
  const neverExpires = new Date(key.validBeforeTime).getUTCFullYear() >= NO_EXPIRY_YEAR;
  return {
    id,
    type: 'service-account-key',
    createdAt: key.validAfterTime,
    ...(neverExpires ? {} : { expiresAt: key.validBeforeTime }),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    // An expired key that is not disabled stays 'active': it is still present, which is the
    // finding; expiry is read from expiresAt.
    status: key.disabled ? 'inactive' : 'active',
    managedBy: providerManaged ? 'provider' : 'user',
    attributes: {
      keyType: key.keyType,
      ...(key.keyOrigin ? { keyOrigin: key.keyOrigin } : {}),
      ...(key.keyAlgorithm ? { keyAlgorithm: key.keyAlgorithm } : {}),
      usageTracked,
    },
  };
}
