import { GenerateCredentialReportCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { parse } from 'csv-parse/sync';
import { CALLS, FILES } from '../files.js';
import type { AccountRun } from './account-run.js';
import { describeFailure, hasCode, isAccessDenied } from './failure.js';
import { sleep } from './settings.js';
import { formatPath } from '../../../util/zod-issues.js';
import { CREDENTIAL_REPORT_COLUMNS, credentialReportRowSchema } from '../wire.js';

// The IAM credential report: one CSV row per user with password, MFA and both key slots. IAM
// builds it asynchronously: GenerateCredentialReport starts it (or returns COMPLETE at once
// when a report under four hours old exists), later calls say INPROGRESS until it is done,
// and GetCredentialReport returns it base64-encoded (the SDK decodes that to bytes).

const GENERATE = 'iam:GenerateCredentialReport';
const ROOT_ROW = '<root_account>';
/** A report that vanished or expired between calls is regenerated at most this many times. */
const MAX_REGENERATIONS = 2;
const REPORT_STATES = new Set(['STARTED', 'INPROGRESS', 'COMPLETE']);

export interface CredentialReportResult {
  /** Users whose report row shows an access key (active, or inactive but present); undefined without a report. */
  usersWithKeys?: string[];
  /** Every user row, root excluded; undefined without a report. */
  users?: string[];
}

export async function collectCredentialReport(run: AccountRun): Promise<CredentialReportResult> {
  const { iam } = run.clients;
  const deadline = Date.now() + run.settings.reportTimeoutMs;
  let wait = 250;
  const pause = async () => {
    await sleep(Math.min(wait, run.settings.maxBackoffMs));
    wait = Math.min(wait * 2, 5_000);
  };
  const fail = (message: string) => {
    run.calls.failed(CALLS.credentialReport, message);
    return {};
  };

  let generate = true;
  let generateDenied: unknown;
  let regenerations = 0;
  for (;;) {
    if (Date.now() > deadline) {
      return fail(`Timeout: ${CALLS.credentialReport} (the report was still being generated after ${Math.round(run.settings.reportTimeoutMs / 1000)} s)`);
    }
    if (generate) {
      try {
        const { State } = await run.calls.send(GENERATE, () => iam.send(new GenerateCredentialReportCommand({})));
        // Anything but IAM's three states is a broken answer: polling it would only run out the clock.
        if (!REPORT_STATES.has(State ?? '')) {
          return fail(`malformed response: ${GENERATE} answered State ${State === undefined ? '(none)' : JSON.stringify(State)}, not STARTED, INPROGRESS or COMPLETE`);
        }
        if (State !== 'COMPLETE') {
          await pause();
          continue;
        }
        generate = false;
      } catch (err) {
        if (hasCode(err, 'LimitExceeded', 'LimitExceededException')) {
          // Too many report requests at once (e.g. another scanner): wait and ask again.
          await pause();
          continue;
        }
        if (!isAccessDenied(err)) return fail(describeFailure(err, GENERATE));
        // A recent report may still be readable without the right to generate one.
        generateDenied = err;
        generate = false;
      }
    }
    try {
      const out = await run.calls.send(CALLS.credentialReport, () => iam.send(new GetCredentialReportCommand({})));
      if (!out.Content) return fail(`malformed response: ${CALLS.credentialReport} returned no Content`);
      const csv = Buffer.from(out.Content).toString('utf8');
      const rows = reportRows(csv);
      if (typeof rows === 'string') return fail(`malformed response: ${CALLS.credentialReport} Content is not a credential report CSV (${rows})`);
      run.out.text(FILES.credentialReport, csv);
      run.calls.ok(CALLS.credentialReport);
      return rows;
    } catch (err) {
      if (hasCode(err, 'ReportInProgress', 'CredentialReportNotReadyException')) {
        await pause();
        continue;
      }
      const gone = hasCode(err, 'ReportNotPresent', 'ReportExpired', 'CredentialReportNotPresentException', 'CredentialReportExpiredException');
      if (gone && generateDenied) return fail(describeFailure(generateDenied, GENERATE));
      if (gone && regenerations < MAX_REGENERATIONS) {
        regenerations++;
        generate = true;
        continue;
      }
      return fail(describeFailure(err, CALLS.credentialReport));
    }
  }
}

/** Which users the report lists and which of them hold keys; what is wrong when it is not a report the normalizer can read. */
function reportRows(csv: string): Required<CredentialReportResult> | string {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, bom: true });
  } catch (err) {
    return (err as Error).message.split('\n')[0].slice(0, 200);
  }
  if (records.length === 0) return 'no rows';
  const missing = CREDENTIAL_REPORT_COLUMNS.filter((c) => !(c in records[0]));
  if (missing.length > 0) return `missing column(s) ${missing.join(', ')}`;
  for (const [i, record] of records.entries()) {
    const parsed = credentialReportRowSchema.safeParse(record);
    if (!parsed.success) return `row ${i + 1}, ${formatPath(parsed.error.issues[0].path)}: ${parsed.error.issues[0].message}`;
  }
  const users = records.map((r) => r.user).filter((u) => u && u !== ROOT_ROW);
  const hasKey = (r: Record<string, string>, n: 1 | 2) =>
    r[`access_key_${n}_active`] === 'true' || (r[`access_key_${n}_last_rotated`] ?? 'N/A') !== 'N/A';
  const usersWithKeys = records.filter((r) => r.user !== ROOT_ROW && (hasKey(r, 1) || hasKey(r, 2))).map((r) => r.user);
  return { users, usersWithKeys };
}
