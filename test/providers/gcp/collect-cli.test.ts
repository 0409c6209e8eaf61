import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLS } from '../../../src/providers/gcp/files.js';
import { ORGANIZATION_PERMISSIONS, PERMISSIONS_OF, PROJECT_PERMISSIONS } from '../../../src/providers/gcp/collect/permissions.js';
import type { JsonReport } from '../../../src/report/json.js';
import { GcpEmulator, type EmuEstate, type LoggedRequest } from '../../emulators/gcp.js';
import { estateFromDemo, FOLDER, ORG, orgEstate } from '../../emulators/gcp-estate.js';
import { ROOT } from '../../helpers/cli.js';
import { readText, removeScratch, runCliAsync, scratchDir } from '../aws/collect-helpers.js';
import { SCANNER } from './collect-helpers.js';

// The CLI end to end, as processes, against the emulator: a live scan of the demo project
// equals `scan --demo`, `collect` then `scan --from` equals a live scan of an organisation, a
// failed call exits 3 unless --allow-partial, and the permissions role covers every call made.

const DEMO = join(ROOT, 'fixtures', 'demo', 'gcp', 'acme-ml-prod');
const seen: LoggedRequest[] = [];

async function emulatorFor(estate: EmuEstate) {
  const emulator = await GcpEmulator.start({ estate, pageSize: 3 });
  const key = join(scratchDir(), 'key.json');
  writeFileSync(key, JSON.stringify(emulator.serviceAccountKey(SCANNER)));
  return { emulator, env: emulator.env({ GOOGLE_APPLICATION_CREDENTIALS: key }) };
}

const json = (stdout: string) => JSON.parse(stdout) as JsonReport;
/** Identities, and the findings that do not depend on when the data was collected (a live scan is collected now, the demo in 2026-11). */
const comparable = (r: JsonReport) => ({
  identities: r.identities,
  findings: r.findings.filter((f) => f.family === 'over-scoped' || f.family === 'shared-account').map((f) => [f.ruleId, f.identityId, f.fingerprint]),
});

afterAll(() => removeScratch());

describe('agentscan scan --provider gcp (the demo project, live)', () => {
  let emulator: GcpEmulator;
  let env: Record<string, string | undefined>;
  beforeAll(async () => ({ emulator, env } = await emulatorFor(estateFromDemo(DEMO))));
  afterAll(() => emulator.close());

  it('reports what `scan --demo --provider gcp` reports', async () => {
    const [demo, live] = await Promise.all([
      runCliAsync(['scan', '--demo', '--provider', 'gcp', '--format', 'json'], env),
      runCliAsync(['scan', '--provider', 'gcp', '--gcp-projects', 'acme-ml-prod', '--format', 'json'], env),
    ]);
    expect(demo.code, demo.stderr).toBe(0);
    expect(live.code, live.stderr).toBe(0);
    expect(comparable(json(live.stdout))).toEqual(comparable(json(demo.stdout)));
    expect(json(live.stdout).findings.length).toBeGreaterThan(5);
    seen.push(...emulator.requests);
  });

  it('exits 3 when a call fails, and 0 with --allow-partial, saying the scan is partial', async () => {
    emulator.reset([{ match: /serviceAccounts\?/, kind: 'denied' }]);
    const partial = await runCliAsync(['scan', '--provider', 'gcp', '--gcp-projects', 'acme-ml-prod', '--format', 'json'], env);
    expect(partial.code).toBe(3);
    expect(partial.stderr).toMatch(/incomplete/);
    expect(json(partial.stdout).coverage).toContainEqual(expect.objectContaining({ call: 'iam.projects.serviceAccounts.list', status: 'error' }));
    const allowed = await runCliAsync(['scan', '--provider', 'gcp', '--gcp-projects', 'acme-ml-prod', '--format', 'json', '--allow-partial'], env);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/--allow-partial given/);
  });

  it('exits 2 with a clear message without credentials', async () => {
    const run = await runCliAsync(['scan', '--provider', 'gcp', '--gcp-projects', 'acme-ml-prod'], { ...env, GOOGLE_APPLICATION_CREDENTIALS: undefined, HOME: '/nonexistent-home' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Google Cloud: no usable credentials/);
  });
});

describe('agentscan collect --provider gcp --gcp-organization, then scan --from', () => {
  let emulator: GcpEmulator;
  let env: Record<string, string | undefined>;
  let out: string;
  let collected: Awaited<ReturnType<typeof runCliAsync>>;
  beforeAll(async () => {
    ({ emulator, env } = await emulatorFor(orgEstate()));
    out = join(scratchDir(), 'bundle');
    collected = await runCliAsync(['collect', '--provider', 'gcp', '--gcp-organization', ORG, '--out', out, '--verbose', '--concurrency', '2'], env);
    seen.push(...emulator.requests);
  });
  afterAll(() => emulator.close());

  it('writes a complete bundle, logging the plan, the call counts and progress', () => {
    expect(collected.code, collected.stderr).toBe(0);
    expect(collected.stderr).toMatch(/gcp organizations-1000000001: Cloud Asset plan, 2 active projects/);
    expect(collected.stderr).toMatch(/gcp organizations-1000000001: \d+ calls \(\d+ requests\): cloudasset\.searchAllResources \d+/);
    expect(collected.stderr).toMatch(/gcp: 2\/2 projects|gcp: 0\/2 projects/);
    expect(collected.stderr).toMatch(/wrote .* \(gcp: 2 projects\); every call succeeded/);
    const manifest = JSON.parse(readText(join(out, 'bundle.json')));
    expect(manifest.sources.map((s: { path: string }) => s.path).sort()).toEqual(['gcp/acme-apps', 'gcp/acme-data', `gcp/organizations-${ORG}`, 'gcp/roles']);
  });

  it('scan --from the bundle equals a live scan, and inherited grants are findings', async () => {
    const [fromBundle, live] = await Promise.all([
      runCliAsync(['scan', '--from', out, '--format', 'json'], env),
      runCliAsync(['scan', '--provider', 'gcp', '--gcp-organization', ORG, '--format', 'json'], env),
    ]);
    expect(fromBundle.code, fromBundle.stderr).toBe(0);
    expect(live.code, live.stderr).toBe(0);
    expect(comparable(json(live.stdout))).toEqual(comparable(json(fromBundle.stdout)));
    const findings = json(live.stdout).findings;
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'gcp-basic-role', identityId: 'gcp:acme-apps:sa/terraform@acme-apps.iam.gserviceaccount.com' }));
    expect(findings.filter((f) => f.ruleId === 'privilege-escalation-permission').map((f) => f.identityId)).toContain('gcp:acme-apps:sa/etl@acme-apps.iam.gserviceaccount.com');
    const agent = json(live.stdout).identities.find((i) => i.kind === 'agent-identity')!;
    expect(agent.agent.verdict).toBe('agent');
    expect(agent.agent.signals[0]).toMatchObject({ kind: 'kind', evidence: 'Vertex AI Agent Engine agent identity' });
  });

  it('--gcp-folder collects the projects below the folder only (root given as --gcp-api-root)', async () => {
    const run = await runCliAsync(['scan', '--provider', 'gcp', '--gcp-folder', FOLDER, '--gcp-api-root', emulator.url, '--format', 'json'], { ...env, AGENTSCAN_GCP_API_ROOT: undefined });
    expect(run.code, run.stderr).toBe(0);
    expect([...new Set(json(run.stdout).identities.map((i) => i.container.id))]).toEqual(['acme-data']);
  });
});

describe('agentscan permissions gcp', () => {
  it('prints both custom roles, read-only', async () => {
    const run = await runCliAsync(['permissions', 'gcp'], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('gcloud iam roles create agentscanReader --organization ORGANIZATION_ID --file role.yaml');
    for (const p of ORGANIZATION_PERMISSIONS) expect(run.stdout).toContain(`- ${p}\n`);
    expect(ORGANIZATION_PERMISSIONS.every((p) => /\.(get|list|getIamPolicy|query|searchAllIamPolicies|searchAllResources)$/.test(p))).toBe(true);
    expect(PROJECT_PERMISSIONS.every((p) => ORGANIZATION_PERMISSIONS.includes(p))).toBe(true);
  });

  it('covers every API method the collections above called', () => {
    const methods = new Set(seen.map((r) => r.methodId).filter((m): m is string => !!m && !m.startsWith('iamcredentials.')));
    expect(methods.size).toBeGreaterThan(10);
    const known = new Set<string>(Object.values(CALLS));
    for (const m of methods) {
      expect(known.has(m), m).toBe(true);
      for (const p of PERMISSIONS_OF[m as keyof typeof PERMISSIONS_OF]) expect(ORGANIZATION_PERMISSIONS).toContain(p);
    }
  });
});
