import { deflateRawSync } from 'node:zlib';
import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { intFromEnv } from '../collect/timeouts.js';
import type { Finding, Severity } from '../model/finding.js';
import { OWASP_NHI, SEVERITY_RANK } from '../model/finding.js';
import type { RuleInfo, ScanResult } from '../model/scan-result.js';
import { TOOL } from '../util/version.js';
import { chunked } from './json-layout.js';

// GitHub code scanning's limits on an upload (docs.github.com, "SARIF results exceed limits" and
// "SARIF file is too large"): a file over 10 MB gzip-compressed, over 20 runs, a run over 25,000
// results or rules, a result over 1,000 locations or a rule over 20 tags is rejected; of a run's
// results only the 5,000 most severe are kept, and of a rule's tags the first 10. A scan of a big
// estate has more findings than that, so the SARIF log keeps the most severe ones (5,000 by
// default), says how many it left out (a warning notification and the run's properties, and on
// standard error), and shrinks evidence lists so the file stays well under the size limit.
export const SARIF_LIMITS = {
  /** Results code scanning keeps (it rejects a run of more than 25,000). */
  results: 5000,
  resultsHard: 25000,
  tagsPerRule: 10,
  /** Gzip-compressed bytes, with a margin under code scanning's 10 MB. */
  gzipBytes: 9_500_000,
  /** Evidence lists longer than this are cut, with a count of the rest. */
  evidenceItems: 20,
  evidenceText: 2000,
};

/** AGENTSCAN_SARIF_MAX_RESULTS (at most 25,000) and AGENTSCAN_SARIF_MAX_BYTES (gzip-compressed). */
export function sarifLimits(env: NodeJS.ProcessEnv = process.env): { results: number; gzipBytes: number } {
  return {
    results: intFromEnv(env, 'AGENTSCAN_SARIF_MAX_RESULTS', SARIF_LIMITS.results, 1, SARIF_LIMITS.resultsHard),
    gzipBytes: intFromEnv(env, 'AGENTSCAN_SARIF_MAX_BYTES', SARIF_LIMITS.gzipBytes, 1024, 10_000_000),
  };
}

// GitHub code scanning reads `security-severity` (0–10) to rank alerts, and keys alerts on
// partialFingerprints, so a finding keeps its alert across runs.
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

export const FINGERPRINT_KEY = 'agentscan/v1';

export interface SarifOptions {
  /** The repository file results point at (GitHub requires a physical location). */
  artifactUri: string;
  /** Where a finding is written in the repository, when something better than the artifact is known. */
  locate?: (f: Finding) => SourceLocation | undefined;
  /** Told when results had to be left out to stay within code scanning's limits. */
  warn?: (message: string) => void;
  limits?: { results: number; gzipBytes: number };
  /** Cleans what a result quotes of a finding for output, when the scan's findings are raw. */
  clean?: <T>(value: T) => T;
}

export interface SourceLocation {
  uri: string;
  line: number;
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

function ruleDescriptor(rule: RuleInfo): ReportingDescriptor {
  const owasp = rule.owasp.map((id) => `${id} ${OWASP_NHI[id]}`).join('; ');
  const commands = Object.entries(rule.remediation.commands ?? {})
    .map(([p, c]) => `- ${p}: \`${c}\``)
    .join('\n');
  const markdown = [
    `**${rule.title}**`,
    '',
    rule.description.trim(),
    '',
    `**Remediation.** ${rule.remediation.text.trim()}`,
    commands ? `\n${commands}` : '',
    '',
    `**OWASP NHI Top 10:** ${owasp}`,
    ...(rule.references.length ? ['', '**References**', ...rule.references.map((r) => `- ${r}`)] : []),
  ].join('\n');
  return {
    id: rule.id,
    name: pascal(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description.trim() },
    help: { text: `${rule.description.trim()}\n\nRemediation: ${rule.remediation.text.trim()}`, markdown },
    ...(rule.references[0] ? { helpUri: rule.references[0] } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', rule.family, ...rule.owasp.map((o) => `owasp-${o.toLowerCase()}`)].slice(0, SARIF_LIMITS.tagsPerRule),
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
      family: rule.family,
    },
  };
}

function result(f: Finding, ruleIndex: number, opts: SarifOptions, evidence: Record<string, unknown>): Result {
  const at = opts.locate?.(f) ?? { uri: opts.artifactUri, line: 1 };
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: sarifText(`${f.identityName}: ${f.message}`) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: at.uri }, region: { startLine: at.line } },
        logicalLocations: [{ name: f.identityName, fullyQualifiedName: f.identityId, kind: 'resource' }],
      },
    ],
    // Our own fingerprint, and the line hash code scanning would otherwise compute from the text
    // around the location: set from the fingerprint, an alert stays matched when lines move or
    // the manifest entry is edited.
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint, primaryLocationLineHash: `${f.fingerprint}:1` },
    ...(f.baselineState && { baselineState: f.baselineState }),
    ...(f.suppression && {
      suppressions: [{ kind: 'external' as const, status: 'accepted' as const, justification: f.suppression.reason }],
    }),
    properties: {
      'security-severity': SECURITY_SEVERITY[f.severity],
      severity: f.severity,
      family: f.family,
      provider: f.provider,
      identityId: f.identityId,
      target: f.target,
      evidence,
      ...(f.remediation.command ? { remediationCommand: f.remediation.command } : {}),
    },
  };
}

/** Evidence for an alert: long lists cut to their first entries and a count (the JSON report has
 * them whole). Only what is kept is cleaned, each text before it is cut (a secret cut in half
 * could escape the mask): cleaning the whole finding first copied every grant's action list into
 * each of 5,000 results, 120 MiB at 100,000 AWS identities. */
function shortEvidence(evidence: Record<string, unknown>, clean: (text: string) => string): Record<string, unknown> {
  const cut = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const text = clean(v);
      return text.length > SARIF_LIMITS.evidenceText ? `${text.slice(0, SARIF_LIMITS.evidenceText)}… (cut)` : text;
    }
    if (Array.isArray(v)) {
      const head = v.slice(0, SARIF_LIMITS.evidenceItems).map(cut);
      return v.length > SARIF_LIMITS.evidenceItems ? [...head, `… and ${v.length - SARIF_LIMITS.evidenceItems} more`] : head;
    }
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cut(x)]));
    return v;
  };
  return cut(evidence) as Record<string, unknown>;
}

interface Candidate {
  finding: Finding;
  resolved: boolean;
  order: number;
}

/** Which results code scanning should see first: open before resolved, then the most severe,
 * new before known, unsuppressed before suppressed, then in the scan's order. */
function keepFirst(a: Candidate, b: Candidate): number {
  return (
    Number(a.resolved) - Number(b.resolved) ||
    SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] ||
    Number(b.finding.baselineState === 'new') - Number(a.finding.baselineState === 'new') ||
    Number(Boolean(a.finding.suppression)) - Number(Boolean(b.finding.suppression)) ||
    a.order - b.order
  );
}

function toResult(c: Candidate, index: Map<string, number>, opts: SarifOptions): Result {
  const clean = opts.clean ?? (<T>(value: T) => value);
  const finding = clean({ ...c.finding, evidence: {} });
  const r = result(finding, index.get(finding.ruleId)!, opts, shortEvidence(c.finding.evidence, clean));
  // Resolved findings are reported as absent and passing (kind "pass", level "none"), so a
  // consumer that ignores baselineState still does not raise them as problems.
  return c.resolved ? { ...r, kind: 'pass', level: 'none', baselineState: 'absent' } : r;
}

/** The log as an object (tests; the report is written from its chunks). */
export function buildSarif(scan: ScanResult, opts: SarifOptions): Log {
  return JSON.parse([...renderSarif(scan, opts)].join('')) as Log;
}

/** Where each result's lines start in the pretty-printed log: inside runs[0].results, 8 spaces deep. */
const RESULT_INDENT = '\n        ';
/** Stands in the laid-out log for its results, which are laid out one by one. */
const RESULTS_MARK = '\u0000results';

/** The log's text as a file, piece by piece: the layout, then each result as
 * `JSON.stringify(log, null, 2)` would lay it out, then the rest and a final newline. The whole
 * log (5,000 results with their evidence) never exists as objects or as one string: at 100,000
 * identities that was a 24 MB text, its encoding and its compression on top of the scan.
 * Re-running the pieces gives the same text. */
function logPieces(log: Log, results: () => Iterable<Result>): Iterable<string> {
  const laid = JSON.stringify(log, null, 2);
  // The last: only the run's counts follow its results, while a rule's title or a coverage message
  // before them could be any text.
  const mark = laid.lastIndexOf(JSON.stringify(RESULTS_MARK));
  if (mark < 0) return [laid, '\n'];
  return (function* () {
    yield laid.slice(0, mark);
    let first = true;
    for (const r of results()) {
      const text = JSON.stringify(r, null, 2).replaceAll('\n', RESULT_INDENT);
      yield first ? text : `,${RESULT_INDENT}${text}`;
      first = false;
    }
    yield laid.slice(mark + JSON.stringify(RESULTS_MARK).length);
    yield '\n';
  })();
}

/** Gzip-compressed bytes of the pieces, compressed a megabyte at a time, each part with the 32 KB
 * before it as deflate's dictionary (all deflate looks back on), so the whole text is never held
 * to measure it. Measured within 0.05% of compressing the whole text, either way; the 0.1% added
 * keeps the written file from ever being the one over the limit. */
function gzipSize(pieces: Iterable<string>): number {
  const GZIP_FRAME = 18;
  let size = GZIP_FRAME;
  let window: Buffer | undefined;
  for (const part of chunked(pieces, 1 << 20)) {
    const bytes = Buffer.from(part);
    size += deflateRawSync(bytes, window && { dictionary: window }).length;
    window = bytes.subarray(-32 * 1024);
  }
  return Math.ceil(size * 1.001);
}

/** The log's text in chunks. Which results are kept (the size limit is on the compressed file) is
 * settled before the first chunk, measuring the text that is then written. */
export function renderSarif(scan: ScanResult, opts: SarifOptions): Iterable<string> {
  const limits = opts.limits ?? sarifLimits();
  const rules = [...scan.rules].sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const incomplete = scan.coverage.filter((c) => c.status === 'error');
  const resolved = (scan.drift?.findings.resolved ?? []).filter((f) => index.has(f.ruleId));
  const candidates: Candidate[] = [
    ...scan.findings.map((finding, order) => ({ finding, resolved: false, order })),
    ...resolved.map((finding, i) => ({ finding, resolved: true, order: scan.findings.length + i })),
  ];
  let kept = candidates;
  if (candidates.length > limits.results) kept = [...candidates].sort(keepFirst).slice(0, limits.results);
  const notifications: Notification[] = incomplete.map((c) => ({
    level: 'error' as const,
    message: { text: sarifText(`${c.provider} ${c.scope}: ${c.call} failed${c.message ? `: ${c.message}` : ''}`) },
  }));
  const driver = { name: TOOL.name, version: TOOL.version, semanticVersion: TOOL.version, rules: rules.map(ruleDescriptor) };
  const pieces = (results: Candidate[]): Iterable<string> => {
    const omitted = candidates.length - results.length;
    const note = omitted
      ? `${omitted} of ${candidates.length} results left out to stay within GitHub code scanning's limits (at most ${limits.results} results, ${(limits.gzipBytes / 1e6).toFixed(1)} MB compressed); the most severe are kept, and every finding is in the JSON report`
      : undefined;
    const inOrder = [...results].sort((a, b) => a.order - b.order);
    const log: Log = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver },
          automationDetails: { id: `agentscan/${scan.scope.map((s) => `${s.provider}:${s.scope}`).join(',')}/` },
          invocations: [
            {
              executionSuccessful: incomplete.length === 0,
              toolExecutionNotifications: [
                ...notifications,
                ...(note ? [{ level: 'warning' as const, message: { text: sarifText(note) } }] : []),
              ],
            },
          ],
          results: inOrder.length ? [RESULTS_MARK as unknown as Result] : [],
          ...(note && {
            properties: { 'agentscan/results': { total: candidates.length, kept: results.length, omitted, limit: limits.results } },
          }),
        },
      ],
    };
    return logPieces(log, function* () {
      for (const c of inOrder) yield toResult(c, index, opts);
    });
  };
  // The size limit is on the compressed file: halve what is kept until it fits.
  while (kept.length > 1 && gzipSize(pieces(kept)) > limits.gzipBytes) {
    kept = [...kept].sort(keepFirst).slice(0, Math.floor(kept.length / 2));
  }
  const omitted = candidates.length - kept.length;
  if (omitted) opts.warn?.(`SARIF: ${omitted} of ${candidates.length} results left out (GitHub code scanning limits); the ${kept.length} most severe are kept`);
  return chunked(pieces(kept));
}

/** SARIF plain-text messages (§3.11): `[`/`]` would start an embedded link and `\\` escapes
 * them, `{`/`}` are placeholders and must be doubled. Names from the estate carry all four. */
export function sarifText(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`).replace(/\{/g, '{{').replace(/\}/g, '}}');
}
