import type { ScanResult } from '../model/scan-result.js';
import { isIncomplete } from '../scan/analyse.js';
import { TOOL } from '../util/version.js';
import { summarize } from './summary.js';

/** Version of the JSON report contract. Bump on any breaking change to its fields. */
export const REPORT_SCHEMA_VERSION = '1';

export function buildJsonReport(result: ScanResult, generatedAt: string) {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: TOOL,
    generatedAt,
    collectedAt: result.collectedAt,
    complete: !isIncomplete(result),
    scope: result.scope,
    coverage: result.coverage,
    ruleErrors: result.ruleErrors.map(({ ruleId, identityId, message, count }) => ({ ruleId, identityId, message, count })),
    summary: summarize(result.identities, result.findings),
    identities: result.identities,
    findings: result.findings,
    ...(result.drift && { drift: result.drift }),
    ...(result.reach && { reach: result.reach }),
  };
}

export type JsonReport = ReturnType<typeof buildJsonReport>;

export function renderJson(result: ScanResult, generatedAt: string): string {
  return `${JSON.stringify(buildJsonReport(result, generatedAt), null, 2)}\n`;
}
