import { chunked } from './json-layout.js';
import type { Finding, Severity } from '../model/finding.js';
import type { Identity } from '../model/inventory.js';
import type { RuleInfo, ScanResult } from '../model/scan-result.js';
import { TOOL } from '../util/version.js';

// OCSF (Open Cybersecurity Schema Framework) Detection Findings, class 2004, one per finding, as
// JSON Lines: the shape Amazon Security Lake, Splunk and Sentinel ingest. The identity is the
// affected resource (with its agent verdict in `data`), the rule is the analytic, the fingerprint
// is the finding's uid so a SIEM de-duplicates re-reports across scans.

export const OCSF_VERSION = '1.8.0';

const CATEGORY_UID = 2; // Findings
const CLASS_UID = 2004; // Detection Finding
const ACTIVITY_CREATE = 1;

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<Severity, string> = { info: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

/** OCSF finding status_id: 1 New, 3 Suppressed, 4 Resolved. */
type Status = { id: 1 | 3 | 4; name: 'New' | 'Suppressed' | 'Resolved' };
const NEW: Status = { id: 1, name: 'New' };
const SUPPRESSED: Status = { id: 3, name: 'Suppressed' };
const RESOLVED: Status = { id: 4, name: 'Resolved' };

export interface OcsfOptions {
  generatedAt: string;
  /** Applied to each finding, rule and identity as its Detection Finding is made (reports mask
   * secrets): cleaning the whole scan first was a second copy of it at 100,000 identities. */
  clean?: <T>(value: T) => T;
}

export function ocsfFindings(scan: ScanResult, opts: OcsfOptions): Record<string, unknown>[] {
  return [...eachOcsfFinding(scan, opts)];
}

/** One Detection Finding at a time: a big estate's findings are never all converted at once. */
function* eachOcsfFinding(scan: ScanResult, opts: OcsfOptions): Generator<Record<string, unknown>> {
  const clean = opts.clean ?? (<T>(value: T): T => value);
  const rules = new Map(scan.rules.map((r) => [r.id, clean(r)]));
  const identities = new Map(scan.identities.map((i) => [i.id, i]));
  // Only the fields a Detection Finding reads, cleaned once per identity.
  const shown = new Map<string, IdentityShown>();
  const identityOf = (id: string): IdentityShown | undefined => {
    let view = shown.get(id);
    if (view === undefined) {
      const i = identities.get(id);
      if (!i) return undefined;
      shown.set(id, (view = clean({ kind: i.kind, owners: i.owners, container: i.container, agent: i.agent })));
    }
    return view;
  };
  const time = Date.parse(opts.generatedAt);
  const one = (f: Finding, status: Status) => detectionFinding(clean(f), status, rules.get(f.ruleId), identityOf(f.identityId), time);
  for (const f of scan.findings) yield one(f, f.suppression ? SUPPRESSED : NEW);
  // Findings gone since the baseline close the SIEM's open record of them.
  for (const f of scan.drift?.findings.resolved ?? []) yield one(f, RESOLVED);
}

type IdentityShown = Pick<Identity, 'kind' | 'owners' | 'container' | 'agent'>;

function detectionFinding(f: Finding, status: Status, rule: RuleInfo | undefined, identity: IdentityShown | undefined, time: number) {
  const title = rule?.title ?? f.title;
  const references = (rule?.references ?? []).filter((r) => /^https:\/\//.test(r));
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Detection Finding',
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Detection Finding: Create',
    time,
    severity_id: SEVERITY_ID[f.severity],
    severity: SEVERITY_NAME[f.severity],
    status_id: status.id,
    status: status.name,
    ...(f.suppression && { status_detail: `Suppressed: ${f.suppression.reason}` }),
    is_alert: status === NEW,
    message: `${f.identityName}: ${f.message}`,
    metadata: {
      version: OCSF_VERSION,
      product: { name: TOOL.name, vendor_name: TOOL.name, version: TOOL.version },
      log_name: 'agentscan findings',
    },
    finding_info: {
      uid: f.fingerprint,
      title,
      desc: f.message,
      types: [f.family],
      analytic: { uid: f.ruleId, name: title, type_id: 1, type: 'Rule', category: f.family },
      ...(f.owasp.length > 0 && { tags: f.owasp.map((o) => ({ name: 'owasp-nhi', value: o })) }),
    },
    resources: [resource(f, identity)],
    remediation: {
      desc: f.remediation.command ? `${f.remediation.text} Command: ${f.remediation.command}` : f.remediation.text,
      ...(references.length > 0 && { references }),
    },
    unmapped: {
      ruleId: f.ruleId,
      family: f.family,
      owasp: f.owasp,
      target: f.target,
      ...(f.credentialId && { credentialId: f.credentialId }),
      ...(f.baselineState && { baselineState: f.baselineState }),
      evidence: f.evidence,
    },
  };
}

function resource(f: Finding, identity: IdentityShown | undefined) {
  const owner = identity?.owners.find((o) => o.kind === 'user') ?? identity?.owners[0];
  return {
    uid: f.identityId,
    name: f.identityName,
    type: identity?.kind ?? f.target.type,
    labels: [f.provider, ...(identity ? [`agent-verdict:${identity.agent.verdict}`] : [])],
    ...(owner && { owner: { name: owner.name ?? owner.id, uid: owner.id } }),
    data: {
      provider: f.provider,
      ...(identity && {
        container: identity.container,
        agent: { verdict: identity.agent.verdict, confidence: identity.agent.confidence, signals: identity.agent.signals },
      }),
    },
  };
}

/** JSON Lines: one Detection Finding per line, nothing else (an empty scan is an empty file). */
export function* renderOcsf(scan: ScanResult, opts: OcsfOptions): Generator<string> {
  function* lines() {
    for (const o of eachOcsfFinding(scan, opts)) yield `${JSON.stringify(o)}\n`;
  }
  yield* chunked(lines());
}
