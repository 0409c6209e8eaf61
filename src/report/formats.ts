import type { ScanResult } from '../model/scan-result.js';
import { InputError } from '../util/errors.js';
import { parseOutputSpec } from './output-files.js';
import { cleanDrift } from './drift-text.js';
import { htmlChunks } from './html.js';
import { jsonReportChunks } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderOcsf } from './ocsf.js';
import { renderSarif, type SarifOptions } from './sarif.js';
import { mapStrings, stringCleaner } from './sanitize.js';
import { renderTable } from './table.js';

export const FORMATS = ['table', 'json', 'sarif', 'markdown', 'html', 'ocsf'] as const;
export type Format = (typeof FORMATS)[number];

export const BY_EXTENSION: Record<string, Format> = {
  '.json': 'json',
  '.sarif': 'sarif',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'table',
  '.html': 'html',
  '.htm': 'html',
  '.ocsf': 'ocsf',
  '.jsonl': 'ocsf',
};

export interface RenderContext {
  generatedAt: string;
  color: boolean;
  width: number;
  /** The table lists provider-managed identities too (JSON always has them). */
  includeProviderManaged?: boolean;
  sarifArtifact: string;
  /** Better SARIF locations than the artifact, e.g. the agents manifest's entries. */
  sarifLocate?: SarifOptions['locate'];
  /** Where a format says it had to leave something out (SARIF over code scanning's limits). */
  warn?: (message: string) => void;
}

/** A report as one string, or as chunks for those that can exceed one (JSON). */
export type Rendered = string | Iterable<string>;

export function render(format: Format, raw: ScanResult, ctx: RenderContext): Rendered {
  // The JSON report cleans each item as it writes it: a copy of the whole scan would double its memory.
  if (format === 'json') return jsonReportChunks(raw, ctx.generatedAt);
  // Table and markdown land in terminals and job logs; JSON, SARIF and HTML escape controls themselves.
  const terminal = format === 'table' || format === 'markdown';
  const cleaner = stringCleaner(terminal);
  const clean = <T>(value: T): T => mapStrings(value, cleaner);
  // Only the HTML page draws the access graph: the other formats never read `reach`, so its
  // hundreds of thousands of edges at 100,000 identities are not copied and cleaned for them.
  const source = withoutReach(raw);
  // The table prints every identity itself.
  const { drift, ...rest } = source;
  const printedDrift = drift && { drift: cleanDrift(drift, clean) };
  if (format === 'table') return renderTable({ ...clean(rest), ...printedDrift }, { color: ctx.color, width: ctx.width, includeProviderManaged: ctx.includeProviderManaged });
  // The other formats clean each identity and finding as they print it: a cleaned copy of the whole
  // inventory and every finding up front was most of their time and memory at 100,000 identities
  // (markdown and SARIF print only the most severe findings: 20, or at most 5,000 results).
  if (format === 'ocsf') return renderOcsf(source, { generatedAt: ctx.generatedAt, clean });
  const scan = { ...clean({ ...rest, identities: [], findings: [] }), identities: source.identities, findings: source.findings, ...printedDrift };
  if (format === 'markdown') return renderMarkdown(scan, { clean });
  if (format === 'sarif') return renderSarif(scan, { artifactUri: ctx.sarifArtifact, locate: ctx.sarifLocate, warn: ctx.warn, clean });
  // The page draws the graph's nodes and edges, never the reach of each identity.
  const reach = raw.reach && clean({ nodes: raw.reach.nodes, edges: raw.reach.edges, byIdentity: {} });
  return htmlChunks({ ...scan, reach }, { generatedAt: ctx.generatedAt, clean });
}

function withoutReach(scan: ScanResult): ScanResult {
  const copy = { ...scan };
  delete copy.reach;
  return copy;
}

/** The whole report as one string: for reports known to be small, and tests. */
export function renderText(format: Format, scan: ScanResult, ctx: RenderContext): string {
  const out = render(format, scan, ctx);
  return typeof out === 'string' ? out : [...out].join('');
}

export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new InputError(`unknown format "${value}"; expected one of ${FORMATS.join(', ')}`);
  }
  return value as Format;
}

/** `sarif=out/results.sarif`, or a bare path whose extension names the format. */
export function parseOutput(spec: string): { format: Format; file: string } {
  return parseOutputSpec(spec, FORMATS, BY_EXTENSION);
}
