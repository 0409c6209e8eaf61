import type { SourceWriter } from '../../../bundle/write.js';
import type { CallLog } from '../../../collect/call-log.js';
import type { AwsClients } from './clients.js';
import type { AwsCollectSettings } from './settings.js';

/** What the per-call collectors share while collecting one account. */
export interface AccountRun {
  account: string;
  clients: AwsClients;
  calls: CallLog;
  out: SourceWriter;
  settings: AwsCollectSettings;
}

/** An SDK output as the bundle stores it: the parsed object without the SDK's $metadata. */
export function responseBody<T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> {
  const { $metadata, ...body } = output;
  void $metadata;
  return body;
}
