import { parse } from 'csv-parse/sync';
import type { SourceReader } from '../../bundle/source-reader.js';
import { BundleError } from '../../util/errors.js';
import { formatPath } from '../../util/zod-issues.js';
import { CALLS, FILES } from './files.js';
import { CREDENTIAL_REPORT_COLUMNS, credentialReportRowSchema, type CredentialReportRow } from './wire.js';

// The IAM credential report: one CSV row per user plus <root_account>. It is the only source of
// console-password facts, MFA state and the root user's keys.

export const ROOT_ROW = '<root_account>';

/** One access-key or signing-certificate slot of a row that holds a credential. */
export interface ReportSlot {
  slot: 1 | 2;
  active: boolean;
  /** When the key or certificate was created or last rotated. */
  lastRotated?: string;
  lastUsedAt?: string;
  lastUsedRegion?: string;
  lastUsedService?: string;
}

/** Rows by user name; undefined when the GetCredentialReport call failed. */
export function readCredentialReport(source: SourceReader): Map<string, CredentialReportRow> | undefined {
  const file = FILES.credentialReport;
  const text = source.text(file, { call: CALLS.credentialReport });
  if (text === undefined) return undefined;
  const shown = source.display(file);

  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, info: true, skip_empty_lines: true, bom: true });
  } catch (err) {
    throw new BundleError(shown, '', `not a readable credential report CSV (${(err as Error).message})`);
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const missing = CREDENTIAL_REPORT_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new BundleError(shown, 'header', `missing column(s) ${missing.join(', ')}`);

  const rows = new Map<string, CredentialReportRow>();
  for (const { record, info } of records) {
    const parsed = credentialReportRowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BundleError(shown, `line ${info.lines} (user ${record.user}).${formatPath(issue.path)}`, issue.message);
    }
    rows.set(parsed.data.user, parsed.data);
  }
  return rows;
}

/** The access-key slots that hold a key (active, or inactive but still present). */
export function accessKeySlots(row: CredentialReportRow): ReportSlot[] {
  const slots: ReportSlot[] = [
    {
      slot: 1,
      active: row.access_key_1_active === true,
      lastRotated: row.access_key_1_last_rotated,
      lastUsedAt: row.access_key_1_last_used_date,
      lastUsedRegion: row.access_key_1_last_used_region,
      lastUsedService: row.access_key_1_last_used_service,
    },
    {
      slot: 2,
      active: row.access_key_2_active === true,
      lastRotated: row.access_key_2_last_rotated,
      lastUsedAt: row.access_key_2_last_used_date,
      lastUsedRegion: row.access_key_2_last_used_region,
      lastUsedService: row.access_key_2_last_used_service,
    },
  ];
  return slots.filter((s) => s.active || s.lastRotated !== undefined);
}

/** The X.509 signing-certificate slots that hold a certificate. */
export function certificateSlots(row: CredentialReportRow): ReportSlot[] {
  const slots: ReportSlot[] = [
    { slot: 1, active: row.cert_1_active === true, lastRotated: row.cert_1_last_rotated },
    { slot: 2, active: row.cert_2_active === true, lastRotated: row.cert_2_last_rotated },
  ];
  return slots.filter((s) => s.active || s.lastRotated !== undefined);
}
