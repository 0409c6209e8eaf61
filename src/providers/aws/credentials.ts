import type { SourceReader } from '../../bundle/source-reader.js';
import type { Credential } from '../../model/inventory.js';
import { dropUndefined } from './context.js';
import { accessKeySlots, certificateSlots, type ReportSlot } from './credential-report.js';
import { CALLS, FILES } from './files.js';
import { accessKeyLastUsedSchema, listAccessKeysSchema, type CredentialReportRow } from './wire.js';

// A user's credentials. Access keys come from ListAccessKeys (which names the key id) and
// GetAccessKeyLastUsed; the credential report is the fallback when those calls failed, and the
// only source for console passwords, signing certificates and the root user's keys.

/** "N/A" is what IAM writes for a key never used; it is not a service or region. */
const notApplicable = (v: string) => (v === 'N/A' ? undefined : v);

/** The same for a key whether ListAccessKeys or only the report described it: its user and
 * creation date (the report's last_rotated is the key's CreateDate). */
const stableKeyId = (userName: string, createdAt: string | undefined) => (createdAt ? `${userName}/access-key@${createdAt}` : undefined);

/** A report slot as a credential, for the root user and for users whose key calls failed. */
function slotKey(idPrefix: string, slot: ReportSlot): Credential {
  return dropUndefined<Credential>({
    id: `${idPrefix}/access_key_${slot.slot}`,
    stableId: stableKeyId(idPrefix, slot.lastRotated),
    type: 'access-key',
    createdAt: slot.lastRotated,
    lastUsedAt: slot.lastUsedAt,
    lastUsedService: slot.lastUsedService,
    status: slot.active ? 'active' : 'inactive',
    attributes: dropUndefined({ usageTracked: true, lastUsedRegion: slot.lastUsedRegion, source: 'credential-report' }),
  });
}

/** The report slot describing a key: its last_rotated is the key's CreateDate. */
function matchingSlot(row: CredentialReportRow | undefined, createdAt: string): ReportSlot | undefined {
  return row ? accessKeySlots(row).find((s) => s.lastRotated === createdAt) : undefined;
}

export function userAccessKeys(source: SourceReader, userName: string, row: CredentialReportRow | undefined): Credential[] {
  const file = FILES.accessKeys(userName);
  // The collector writes a key listing only for users with keys; the report says who has them.
  const expected = source.exists(file) || (row !== undefined && accessKeySlots(row).length > 0);
  if (!expected) return [];
  const listing = source.json(file, listAccessKeysSchema, { call: CALLS.accessKeys });
  if (!listing) return row ? accessKeySlots(row).map((slot) => slotKey(userName, slot)) : [];

  return listing.AccessKeyMetadata.map((key) => {
    const used = source.json(FILES.accessKeyLastUsed(key.AccessKeyId), accessKeyLastUsedSchema, {
      call: CALLS.accessKeyLastUsed,
    })?.AccessKeyLastUsed;
    const slot = used ? undefined : matchingSlot(row, key.CreateDate);
    const tracked = used !== undefined || slot !== undefined;
    return dropUndefined<Credential>({
      id: key.AccessKeyId,
      stableId: stableKeyId(userName, key.CreateDate),
      type: 'access-key',
      createdAt: key.CreateDate,
      lastUsedAt: used ? used.LastUsedDate : slot?.lastUsedAt,
      lastUsedService: used ? notApplicable(used.ServiceName) : slot?.lastUsedService,
      status: key.Status === 'Active' ? 'active' : 'inactive',
      // usageTracked: IAM reported last use for this key, so a missing lastUsedAt means never used.
      attributes: dropUndefined({
        usageTracked: tracked,
        lastUsedRegion: used ? notApplicable(used.Region) : slot?.lastUsedRegion,
        awsStatus: key.Status === 'Expired' ? 'Expired' : undefined,
      }),
    });
  });
}

/** The root user's keys; the report is the only place they appear. */
export function rootAccessKeys(row: CredentialReportRow): Credential[] {
  return accessKeySlots(row).map((slot) => slotKey(row.user, slot));
}

/** An IAM user's console password, when the report shows one. (The root user's password is
 * not a credential to rotate or delete like these; its last use is an attribute of root.) */
export function consolePassword(row: CredentialReportRow): Credential | undefined {
  if (row.password_enabled !== true) return undefined;
  return dropUndefined<Credential>({
    id: `${row.user}/console-password`,
    type: 'password',
    createdAt: row.password_last_changed,
    expiresAt: row.password_next_rotation,
    lastUsedAt: row.password_last_used,
    status: 'active',
    attributes: { usageTracked: true },
  });
}

/** X.509 signing certificates (legacy SOAP/SDB signing) still present on the user. */
export function signingCertificates(row: CredentialReportRow): Credential[] {
  return certificateSlots(row).map((slot) =>
    dropUndefined<Credential>({
      id: `${row.user}/cert_${slot.slot}`,
      type: 'certificate',
      createdAt: slot.lastRotated,
      status: slot.active ? 'active' : 'inactive',
      attributes: { usageTracked: false, source: 'credential-report' },
    }),
  );
}

/** The latest of some ISO timestamps. */
export function latest(dates: (string | undefined)[]): string | undefined {
  return dates.filter((d): d is string => d !== undefined).sort().at(-1);
}
