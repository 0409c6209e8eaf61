import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { loadBundle } from '../../src/bundle/load.js';
import { prepareAnalysis } from '../../src/cli/analysis-setup.js';
import { renderText } from '../../src/report/formats.js';
import { analyseBundle } from '../../src/scan/analyse.js';

// --format ocsf against the published OCSF 1.8.0 Detection Finding class, as trimmed from the
// ocsf-schema source by scripts/extract-ocsf-schema.mjs (strict: no attribute OCSF does not define).

const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'test', 'specs', 'ocsf', 'detection_finding.schema.json'), 'utf8'));
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
const validate = ajv.compile(SCHEMA);

const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

describe('--format ocsf', () => {
  let report: JsonReport;
  let events: Record<string, any>[];

  beforeAll(() => {
    report = JSON.parse(runCli(['scan', '--demo', '-f', 'json']).stdout) as JsonReport;
    const r = runCli(['scan', '--demo', '-f', 'ocsf']);
    expect(r.code).toBe(0);
    events = lines(r.stdout);
  });

  it('writes one valid Detection Finding per finding, keyed by the fingerprint', () => {
    expect(events.length).toBe(report.findings.length);
    for (const e of events) {
      expect(validate(e), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    }
    expect(events.map((e) => e.finding_info.uid).sort()).toEqual(report.findings.map((f) => f.fingerprint).sort());
  });

  it('maps severity, rule, identity and agent verdict', () => {
    const f = report.findings.find((x) => x.severity === 'critical')!;
    const e = events.find((x) => x.finding_info.uid === f.fingerprint)!;
    expect(e).toMatchObject({ class_uid: 2004, category_uid: 2, type_uid: 200401, severity_id: 5, status_id: 1 });
    expect(e.finding_info.analytic).toMatchObject({ uid: f.ruleId, type_id: 1 });
    expect(e.resources[0].uid).toBe(f.identityId);
    const identity = report.identities.find((i) => i.id === f.identityId)!;
    expect(e.resources[0].data.agent.verdict).toBe(identity.agent.verdict);
    expect(e.remediation.desc).toContain(f.remediation.text);
  });

  it('marks suppressed findings Suppressed and resolved ones Resolved, each still valid', () => {
    const suppressions = join(ROOT, 'fixtures', 'suppressions.yaml');
    const muted = lines(runCli(['scan', '--demo', '--suppressions', suppressions, '-f', 'ocsf']).stdout);
    const suppressed = muted.filter((e) => e.status_id === 3);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((e) => e.is_alert === false && /^Suppressed: /.test(e.status_detail))).toBe(true);

    const later = join(ROOT, 'fixtures', 'demo-later');
    const drifted = lines(runCli(['scan', '--from', later, '--baseline', join(ROOT, 'fixtures', 'demo'), '-f', 'ocsf']).stdout);
    const resolved = drifted.filter((e) => e.status_id === 4);
    expect(resolved.length).toBeGreaterThan(0);
    for (const e of [...suppressed, ...resolved]) expect(validate(e), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('the schema rejects what OCSF does not define, so the check has teeth', () => {
    const e = structuredClone(events[0]);
    e.finding_info.invented = true;
    expect(validate(e)).toBe(false);
    const noUid = structuredClone(events[0]);
    delete noUid.finding_info.uid;
    expect(validate(noUid)).toBe(false);
    expect(validate({ ...events[0], severity_id: 7 })).toBe(false);
  });
});

describe('OCSF and secrets', () => {
  it("masks secrets in the finding, its identity's owners and signals, and the rule, as every report does", () => {
    const { options } = prepareAnalysis({ rules: [], suppressions: [] });
    const scan = analyseBundle(loadBundle(join(ROOT, 'fixtures/demo')), options);
    const secret = 'note secret: hunter2';
    const f = scan.findings[0];
    const identity = scan.identities.find((i) => i.id === f.identityId)!;
    const tainted = {
      ...scan,
      findings: [{ ...f, message: `${f.message} ${secret}`, evidence: { ...f.evidence, leaked: [secret] } }, ...scan.findings.slice(1)],
      identities: scan.identities.map((i) =>
        i === identity
          ? { ...i, owners: [{ id: 'o1', kind: 'user' as const, name: secret, source: 'api' as const }], agent: { ...i.agent, signals: [{ kind: 'name' as const, points: 'agent' as const, weight: 0.6, evidence: secret }] } }
          : i,
      ),
      rules: scan.rules.map((r) => (r.id === f.ruleId ? { ...r, title: `${r.title} ${secret}` } : r)),
    };
    const out = renderText('ocsf', tainted, { generatedAt: '2026-12-01T00:00:00Z', color: false, width: 100, sarifArtifact: 'x' });
    const first = lines(out).find((e) => e.finding_info.uid === f.fingerprint)!;
    expect(out).not.toContain('hunter2');
    expect(first.message).toContain('[redacted]');
    expect(first.unmapped.evidence.leaked).toEqual(['note secret: [redacted]']);
    expect(first.resources[0].owner.name).toBe('note secret: [redacted]');
    expect(first.resources[0].data.agent.signals[0].evidence).toBe('note secret: [redacted]');
    expect(first.finding_info.title).toContain('[redacted]');
  });
});
