import { PERMISSION_SET_MIN, permissionSetId } from '../model/permission-set.js';
import type { ScanResult } from '../model/scan-result.js';
import { isIncomplete } from '../scan/analyse.js';
import { TOOL } from '../util/version.js';
import { chunked, hasToJSON, jsonLayout } from './json-layout.js';
import { stringCleaner } from './sanitize.js';
import { summarize } from './summary.js';

/** Version of the JSON report contract. Bump on any breaking change to its fields.
 * 2: long permission lists are written once, in `permissionSets` (see PERMISSION_SET_MIN). */
export const REPORT_SCHEMA_VERSION = '2';

export { PERMISSION_SET_MIN };

/** ScanResult fields that are not part of the report: the rules' texts (SARIF carries them), the
 * bundle's own tool, and the manifest's claims (they are in each identity's signals). Every
 * other field is written, so a stage that adds one to ScanResult reaches the report. */
const NOT_REPORTED = new Set(['rules', 'bundleTool', 'declaredAgents']);
/** Fields written in this order first; the rest follow in ScanResult's order. */
const LEADING = ['collectedAt', 'complete', 'scope', 'coverage', 'ruleErrors', 'summary'];

/** Each distinct long permission list, by a content hash. */
class PermissionSets {
  private readonly byList = new WeakMap<readonly string[], string>();
  /** id → list, filled while the report is written. */
  readonly table: Record<string, string[]> = {};

  id(list: string[], clean: (s: string) => string): string {
    let id = this.byList.get(list);
    if (id === undefined) {
      const cleaned = list.map(clean);
      id = permissionSetId(cleaned);
      this.table[id] ??= cleaned;
      this.byList.set(list, id);
    }
    return id;
  }
}

const isLongStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length >= PERMISSION_SET_MIN && v.every((x) => typeof x === 'string');

/** A copy of `value` as the report holds it: strings cleaned, long permission lists by reference. */
function reportValue(value: unknown, sets: PermissionSets, clean: (s: string) => string): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map((v) => reportValue(v, sets, clean));
  if (value && typeof value === 'object') {
    // An object that says how it is written (each identity's reach) is cleaned as it is written.
    if (hasToJSON(value)) return reportValue(value.toJSON(), sets, clean);
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'permissions' && isLongStringList(v)) {
        out.permissionSet = sets.id(v, clean);
        out.permissionCount = v.length;
      } else {
        out[k] = reportValue(v, sets, clean);
      }
    }
    return out;
  }
  return value;
}

/** The report's top-level fields, unprocessed: identities, findings and drift are the scan's own
 * arrays, transformed item by item as they are written. */
export function jsonReportFields(result: ScanResult, generatedAt: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: TOOL,
    generatedAt,
    collectedAt: result.collectedAt,
    complete: !isIncomplete(result),
    scope: result.scope,
    coverage: result.coverage,
    ruleErrors: result.ruleErrors.map(({ ruleId, identityId, message, count }) => ({ ruleId, identityId, message, count })),
    summary: summarize(result.identities, result.findings),
  };
  for (const [key, value] of Object.entries(result)) {
    if (NOT_REPORTED.has(key) || LEADING.includes(key) || key in fields || value === undefined) continue;
    if (key === 'identities' || key === 'findings' || key === 'drift') continue;
    fields[key] = value;
  }
  fields.identities = result.identities;
  fields.findings = result.findings;
  if (result.drift) fields.drift = result.drift;
  return fields;
}

/** The JSON report, chunk by chunk. `permissionSets` comes last: it holds the lists met on the
 * way (the layout lists an object's members when it reaches it, so the table is complete then). */
export function* jsonReportChunks(result: ScanResult, generatedAt: string): Generator<string> {
  const clean = stringCleaner(false);
  const sets = new PermissionSets();
  const fields = { ...jsonReportFields(result, generatedAt), permissionSets: sets.table };
  yield* chunked(jsonLayout(fields, (v) => (v === sets.table ? v : reportValue(v, sets, clean))));
  yield '\n';
}

/** The whole report as one value (tests and small scans; reports are written with jsonReportChunks). */
export function buildJsonReport(result: ScanResult, generatedAt: string): JsonReport {
  return JSON.parse([...jsonReportChunks(result, generatedAt)].join('')) as JsonReport;
}

export interface JsonReport {
  schemaVersion: string;
  tool: typeof TOOL;
  generatedAt: string;
  collectedAt: string;
  complete: boolean;
  scope: ScanResult['scope'];
  coverage: ScanResult['coverage'];
  ruleErrors: Array<Pick<ScanResult['ruleErrors'][number], 'ruleId' | 'identityId' | 'message' | 'count'>>;
  summary: ReturnType<typeof summarize>;
  identities: ScanResult['identities'];
  findings: ScanResult['findings'];
  drift?: ScanResult['drift'];
  permissionSets: Record<string, string[]>;
  [field: string]: unknown;
}
