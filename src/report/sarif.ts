import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Finding, Severity } from '../model/finding.js';
import { OWASP_NHI } from '../model/finding.js';
import type { RuleInfo, ScanResult } from '../model/scan-result.js';
import { TOOL } from '../util/version.js';

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
      tags: ['security', rule.family, ...rule.owasp.map((o) => `owasp-${o.toLowerCase()}`)],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
      family: rule.family,
    },
  };
}

function result(f: Finding, ruleIndex: number, opts: SarifOptions): Result {
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
      evidence: f.evidence,
      ...(f.remediation.command ? { remediationCommand: f.remediation.command } : {}),
    },
  };
}

export function buildSarif(scan: ScanResult, opts: SarifOptions): Log {
  const rules = [...scan.rules].sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const incomplete = scan.coverage.filter((c) => c.status === 'error');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            semanticVersion: TOOL.version,
            rules: rules.map(ruleDescriptor),
          },
        },
        automationDetails: { id: `agentscan/${scan.scope.map((s) => `${s.provider}:${s.scope}`).join(',')}/` },
        invocations: [
          {
            executionSuccessful: incomplete.length === 0,
            toolExecutionNotifications: incomplete.map((c) => ({
              level: 'error' as const,
              message: { text: sarifText(`${c.provider} ${c.scope}: ${c.call} failed${c.message ? `: ${c.message}` : ''}`) },
            })),
          },
        ],
        results: [
          ...scan.findings.map((f) => result(f, index.get(f.ruleId)!, opts)),
          // Resolved findings are reported as absent and passing (kind "pass", level "none"), so a
          // consumer that ignores baselineState still does not raise them as problems.
          ...(scan.drift?.findings.resolved ?? [])
            .filter((f) => index.has(f.ruleId))
            .map((f) => ({
              ...result(f, index.get(f.ruleId)!, opts),
              kind: 'pass' as const,
              level: 'none' as const,
              baselineState: 'absent' as const,
            })),
        ],
      },
    ],
  };
}

export function renderSarif(scan: ScanResult, opts: SarifOptions): string {
  return `${JSON.stringify(buildSarif(scan, opts), null, 2)}\n`;
}

/** SARIF plain-text messages (§3.11): `[`/`]` would start an embedded link and `\\` escapes
 * them, `{`/`}` are placeholders and must be doubled. Names from the estate carry all four. */
export function sarifText(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`).replace(/\{/g, '{{').replace(/\}/g, '}}');
}
