import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../../src/report/json.js';
import type { Fault, TenantEstate } from '../../emulators/entra-graph.js';
import { estateFromBundle, syntheticEstate } from '../../emulators/entra-estate.js';
import { removeScratch, runCliAsync, scratchDir } from '../aws/collect-helpers.js';
import { TENANT } from './helpers.js';
import { DEMO_SOURCE, runLive, startLive, stopLive, type LiveSetup } from './live-helpers.js';

// Live Entra collection as CLI processes against the HTTPS emulator: who owns and sponsors
// what and in which state, PIM eligible versus active, consent for one user versus everyone,
// federated credentials; then throttling (whole requests and inside $batch), refusals, missing
// licences, unavailable beta reports, server errors, malformed and hanging answers, each a
// coverage entry naming the call; credentials that do not work; several tenants at once.

const AGENT = 'ae081d8b-3fca-4b65-94b6-cfff28c24933';
const SPONSOR_ON = '1a2b3c4d-0000-4000-8000-000000000001';
const SPONSOR_OFF = '1a2b3c4d-0000-4000-8000-000000000002';
const SPONSOR_GONE = '1a2b3c4d-0000-4000-8000-000000000003';
const OTHER_TENANT = '0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a';

/** The demo tenant with sponsors on its agent identity: enabled, disabled and deleted. */
function sponsoredEstate(): TenantEstate {
  const estate = estateFromBundle(DEMO_SOURCE, TENANT);
  const user = (id: string, name: string, accountEnabled: boolean) => ({ id, displayName: name, userPrincipalName: `${name}@acme-corp.com`, accountEnabled });
  estate.sponsors[AGENT] = [SPONSOR_ON, SPONSOR_OFF, SPONSOR_GONE].map((id, i) => ({
    '@odata.type': '#microsoft.graph.user',
    ...user(id, ['ada.sponsor', 'ben.sponsor', 'cy.sponsor'][i], i !== 1),
  }));
  estate.users.push(user(SPONSOR_ON, 'ada.sponsor', true), user(SPONSOR_OFF, 'ben.sponsor', false));
  return estate;
}

let live: LiveSetup;
const report = (stdout: string) => JSON.parse(stdout) as JsonReport;
const byName = (r: JsonReport, name: string) => {
  const found = r.identities.find((i) => i.name === name);
  if (!found) throw new Error(`no identity ${name}`);
  return found;
};
const coverage = (r: { coverage: JsonReport['coverage'] }, call: string) => r.coverage.find((c) => c.call === call);

beforeAll(async () => {
  live = await startLive([sponsoredEstate(), syntheticEstate(OTHER_TENANT, 6, 3)]);
});
afterAll(async () => {
  await stopLive(live);
  removeScratch();
});

describe('what a live Entra scan sees', () => {
  let r: JsonReport;
  beforeAll(async () => {
    live.emulator.reset();
    const scan = await runLive(live, ['scan', '--provider', 'entra', '--format', 'json']);
    expect(scan.code, scan.stderr).toBe(0);
    r = report(scan.stdout);
  });

  it('gives sponsors of agent identities with their state: enabled, disabled, deleted', () => {
    const agent = byName(r, 'Procurement Agent');
    const sponsor = (id: string) => agent.owners.find((o) => o.id === id);
    expect(sponsor(SPONSOR_ON)).toMatchObject({ kind: 'user', exists: true, active: true });
    expect(sponsor(SPONSOR_OFF)).toMatchObject({ kind: 'user', exists: true, active: false });
    expect(sponsor(SPONSOR_GONE)).toMatchObject({ kind: 'user', exists: false });
    expect(agent.attributes.sponsors).toEqual([SPONSOR_ON, SPONSOR_OFF, SPONSOR_GONE]);
    // Sponsors are accountable for the agent but cannot act as it.
    expect(agent.trustedBy.some((t) => /sponsor/.test(t.principal))).toBe(false);
  });

  it('gives owners with their state: a deleted owner, a disabled owner', () => {
    expect(byName(r, 'HR-Copilot').owners).toEqual([expect.objectContaining({ name: 'marcus.lindqvist@acme-corp.com', exists: false })]);
    expect(byName(r, 'legacy-sync').owners).toEqual([
      expect.objectContaining({ name: 'dana.okafor@acme-corp.com', exists: true, active: false }),
      expect.objectContaining({ name: 'gh-deploy', kind: 'service-principal' }),
    ]);
    // Only owners who can still sign in can add a credential and act as the app: the owning app, not the disabled person.
    expect(byName(r, 'legacy-sync').trustedBy.filter((t) => t.via.startsWith('owner'))).toEqual([{ principal: 'gh-deploy', kind: 'app', via: 'owner of the application' }]);
    expect(byName(r, 'gh-deploy').trustedBy).toContainEqual(expect.objectContaining({ principal: 'priya.raman@acme-corp.com', via: 'owner of the application' }));
  });

  it('tells PIM-eligible directory roles from active ones', () => {
    const eligible = byName(r, 'ops-agent').entitlements.find((e) => e.via.type === 'directory-role');
    const active = byName(r, 'mi-automation-runbook').entitlements.find((e) => e.via.type === 'directory-role');
    expect(eligible).toMatchObject({ permissions: expect.anything(), standing: false });
    expect(eligible?.via.name).toBe('Privileged Role Administrator');
    expect(active).toMatchObject({ standing: true });
    expect(active?.via.name).toBe('Global Administrator');
  });

  it('tells consent for all users from consent by one user', () => {
    const all = byName(r, 'Contoso GPT Connector').entitlements[0];
    const one = byName(r, 'Meeting Notes AI').entitlements[0];
    expect(all.via).toMatchObject({ type: 'delegated-grant', name: 'admin consent for all users' });
    expect(all.scope).toBe('organization');
    expect(one.via).toMatchObject({ type: 'delegated-grant', name: 'user consent' });
    expect(one.scope).toBe('resource');
  });

  it('resolves application permissions through the resource\'s appRoles and reads federated credentials', () => {
    expect(byName(r, 'legacy-sync').entitlements.map((e) => e.permissions).flat()).toContain('RoleManagement.ReadWrite.Directory');
    const oidc = byName(r, 'gh-infra-oidc');
    expect(oidc.credentials).toContainEqual(expect.objectContaining({ type: 'federated', attributes: expect.objectContaining({ subject: 'repo:acme-corp/infra:environment:production' }) }));
    expect(oidc.trustedBy).toContainEqual(expect.objectContaining({ kind: 'federated', subject: 'repo:acme-corp/infra:environment:production' }));
    // Microsoft Graph itself is a resource, not an identity to judge.
    expect(r.identities.some((i) => i.name === 'Microsoft Graph')).toBe(false);
  });
});

describe('throttling', () => {
  it('retries 429 and 503 with Retry-After, whole requests and requests inside a $batch, and completes', async () => {
    const faults: Fault[] = [
      { route: 'GET /servicePrincipals', times: 2, error: { status: 429, code: 'TooManyRequests', retryAfter: '0' } },
      { route: 'GET /applications', times: 1, error: { status: 503, code: 'ServiceUnavailable', retryAfter: '0' } },
      { route: 'GET /servicePrincipals/{id}/owners', inBatch: true, times: 5, error: { status: 429, code: 'TooManyRequests', retryAfter: '0' } },
      { route: 'POST /v1.0/$batch', times: 1, error: { status: 429, code: 'TooManyRequests', retryAfter: '0' } },
    ];
    live.emulator.reset(faults);
    const out = join(scratchDir(), 'bundle');
    const run = await runLive(live, ['collect', '--provider', 'entra', '--out', out, '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8'));
    expect(manifest.coverage.filter((c: any) => c.status !== 'ok')).toEqual([]);
    const requests = live.emulator.requests;
    // Four pages, two of the first throttled; the applications' single page once refused.
    expect(requests.filter((q) => q.route === 'GET /servicePrincipals')).toHaveLength(6);
    expect(requests.filter((q) => q.route === 'GET /applications')).toHaveLength(3);
    // The first batch (all 12 owner reads) was refused whole and sent again; then five owner
    // reads throttled inside it were asked again in a later batch.
    const ownerReads = requests.flatMap((q) => q.inner ?? []).filter((i) => i === 'GET /servicePrincipals/{id}/owners');
    expect(ownerReads).toHaveLength(12 + 12 + 5);
    const owners = JSON.parse(readFileSync(join(out, 'entra', TENANT, 'servicePrincipals-owners', '2cf33b6c-0d3c-4059-aaaf-b30efd09794e.json'), 'utf8'));
    expect(owners.value).toBeInstanceOf(Array);
    // The retries are counted as requests in the --verbose summary.
    const summary = /entra [0-9a-f-]+: (\d+) calls \((\d+) requests\)/.exec(run.stderr);
    expect(Number(summary?.[2])).toBeGreaterThan(Number(summary?.[1]));
  });
});

describe('failed calls are coverage entries', () => {
  let run: Awaited<ReturnType<typeof runLive>>;
  let r: JsonReport;
  beforeAll(async () => {
    live.emulator.reset([
      { route: 'GET /oauth2PermissionGrants', error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
      { route: 'GET /roleManagement/directory/roleEligibilitySchedules', error: { status: 400, code: 'AadPremiumLicenseRequired', message: 'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.' } },
      { route: 'GET beta /reports/servicePrincipalSignInActivities', error: { status: 404, code: 'BadRequest', message: "Resource not found for the segment 'servicePrincipalSignInActivities'." } },
      { route: 'GET beta /reports/appCredentialSignInActivities', error: { status: 403, code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: 'Neither tenant is B2C or tenant doesn\'t have premium license' } },
      { route: 'GET /applications/{id}/owners', inBatch: true, error: { status: 503, code: 'ServiceUnavailable', retryAfter: '0' } },
      { route: 'GET /servicePrincipals/{id}/microsoft.graph.agentIdentity/sponsors', inBatch: true, error: { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
    ]);
    run = await runLive(live, ['scan', '--provider', 'entra', '--format', 'json'], { AGENTSCAN_GRAPH_MAX_RETRIES: '3' });
    r = report(run.stdout);
  });

  it('exits 3 and says the scan is incomplete', () => {
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/incomplete/);
  });

  it('names the missing permission of a 403', () => {
    expect(coverage(r, 'GET /oauth2PermissionGrants')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^403 Forbidden: GET \/oauth2PermissionGrants \(Authorization_RequestDenied: Insufficient privileges.*needs the Graph application permission DelegatedPermissionGrant\.Read\.All/),
    });
    expect(coverage(r, 'GET /servicePrincipals/{id}/microsoft.graph.agentIdentity/sponsors')?.message).toMatch(/sponsors for ae081d8b-3fca-4b65-94b6-cfff28c24933 .*needs the Graph application permission AgentIdentity\.Read\.All/);
  });

  it('says that PIM needs Entra ID P2', () => {
    expect(coverage(r, 'GET /roleManagement/directory/roleEligibilitySchedules')?.message).toMatch(/400 Bad Request.*AadPremiumLicenseRequired.*needs Microsoft Entra ID P2/);
  });

  it('records unavailable beta reports, and then leaves usage unknown rather than never used', () => {
    expect(coverage(r, 'GET /reports/servicePrincipalSignInActivities')?.message).toMatch(/^404 Not Found: GET \/reports\/servicePrincipalSignInActivities \(beta\)/);
    expect(coverage(r, 'GET /reports/appCredentialSignInActivities')?.message).toMatch(/premium license.*needs Microsoft Entra ID P1/);
    for (const i of r.identities) {
      expect(i.attributes.usageTracked).toBeUndefined();
      expect(i.lastUsedAt).toBeUndefined();
      for (const c of i.credentials) expect(c.attributes?.usageTracked).toBeUndefined();
    }
    expect(r.findings.filter((f) => f.ruleId === 'credential-never-used' || f.ruleId === 'credential-unused')).toEqual([]);
  });

  it('records 5xx inside a $batch after the retries, per call with the object', () => {
    expect(coverage(r, 'GET /applications/{id}/owners')?.message).toMatch(/^503 Service Unavailable: GET \/applications\/\{id\}\/owners for [0-9a-f-]{36} after 4 attempts.*\(and 6 more of 7 calls\)/);
  });

  it('is accepted with --allow-partial', async () => {
    const again = await runLive(live, ['scan', '--provider', 'entra', '--format', 'json', '--allow-partial']);
    expect([0, 1]).toContain(again.code);
    expect(again.stderr).toMatch(/--allow-partial given/);
  });
});

describe('answers that are not Graph answers', () => {
  // Hanging, trickling, HTML, empty and oversized answers of one call: test/collect/fault-matrix.test.ts.
  it('records a broken second page as that page, keeps the first, and the bundle still loads as partial', async () => {
    live.emulator.reset([{ route: 'GET /servicePrincipals', after: 1, spoil: { body: 'html' } }]);
    const out = join(scratchDir(), 'bundle');
    const run = await runLive(live, ['collect', '--provider', 'entra', '--out', out]);
    expect(run.code, run.stderr).toBe(3);
    const manifest = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8'));
    const msg = (call: string) => manifest.coverage.find((c: any) => c.call === call)?.message as string;
    expect(msg('GET /servicePrincipals')).toMatch(/^malformed response: GET \/servicePrincipals page 2 returned a body that is not JSON \(body starts: <!DOCTYPE html>/);
    const scan = await runCliAsync(['scan', '--from', out, '--format', 'json', '--allow-partial'], {});
    expect([0, 1], scan.stderr).toContain(scan.code);
  });
});

describe('credentials', () => {
  it('exits 2 with a clear message when no credential works, contacting nothing but the emulator', async () => {
    live.emulator.reset();
    const out = join(scratchDir(), 'bundle');
    const run = await runLive(live, ['collect', '--provider', 'entra', '--out', out], { AZURE_CLIENT_SECRET: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Entra: no usable credential — .*Set AZURE_TENANT_ID with AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/);
    expect(run.connections.every((c) => c.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('exits 2 when the secret is wrong, with the identity platform\'s message and without the secret', async () => {
    live.emulator.reset();
    const run = await runLive(live, ['collect', '--provider', 'entra', '--out', join(scratchDir(), 'bundle')], { AZURE_CLIENT_SECRET: 'wrong-secret-value-123' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/AADSTS7000215/);
    expect(run.stderr).not.toContain('wrong-secret-value-123');
  });

  it('uses a token in hand from AZURE_ACCESS_TOKEN, and its tid claim as the tenant', async () => {
    live.emulator.reset();
    const out = join(scratchDir(), 'bundle');
    const run = await runLive(live, ['collect', '--provider', 'entra', '--out', out], {
      AZURE_TENANT_ID: undefined,
      AZURE_CLIENT_ID: undefined,
      AZURE_CLIENT_SECRET: undefined,
      AZURE_ACCESS_TOKEN: live.emulator.mintToken(OTHER_TENANT),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')).sources.map((s: any) => s.scope)).toEqual([OTHER_TENANT]);
    expect(live.emulator.requests.some((q) => q.route === 'POST /token')).toBe(false);
  });
});

describe('several tenants', () => {
  it('collects each tenant given with --entra-tenant, concurrently, with a token for each, and --graph-url', async () => {
    live.emulator.reset();
    const out = join(scratchDir(), 'bundle');
    const run = await runLive(live, ['collect', '--provider', 'entra', '--out', out, '--entra-tenant', `${TENANT},${OTHER_TENANT}`, '--concurrency', '2', '--graph-url', live.emulator.url], {
      AGENTSCAN_GRAPH_URL: 'https://graph.invalid',
    });
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8'));
    expect(manifest.sources.map((s: any) => s.scope).sort()).toEqual([TENANT, OTHER_TENANT].sort());
    const tokenTenants = live.emulator.requests.filter((q) => q.route === 'POST /token').map((q) => q.tenant);
    expect(new Set(tokenTenants)).toEqual(new Set([TENANT, OTHER_TENANT]));
    // Each tenant's calls carried that tenant's token.
    expect(live.emulator.requests.filter((q) => q.route === 'GET /servicePrincipals').map((q) => q.tenant).sort()).toEqual([TENANT, TENANT, TENANT, TENANT, OTHER_TENANT, OTHER_TENANT].sort());
    const scan = await runCliAsync(['scan', '--from', out, '--format', 'json'], {});
    expect(scan.code, scan.stderr).toBe(0);
    expect(report(scan.stdout).identities.filter((i) => i.container.id === OTHER_TENANT)).toHaveLength(6);
  });
});
