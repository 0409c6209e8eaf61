import { mkdirSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoverageEntry } from '../../../src/model/bundle.js';
import { CALL } from '../../../src/providers/entra/files.js';
import { normalizeEntra } from '../../../src/providers/entra/normalize.js';
import { bundleErrorOf } from '../../helpers/errors.js';
import { byName, failed, reader, TempBundle, TENANT } from './helpers.js';

// What bundles from the live collector add to the layout, read by the normalizer: the users
// owners and sponsors point at (directoryObjects/getByIds) instead of the deleted-users listing,
// sponsors of Agent ID objects, and agentIdentity facts from the type-cast listing. Older
// bundles (the demo) have none of them and still load; see normalize-demo.test.ts.

const AGENT = 'ae081d8b-3fca-4b65-94b6-cfff28c24933';
const SPONSOR = 'c0ffee00-0000-4000-8000-000000000001';
const ok = (call: string): CoverageEntry => ({ provider: 'entra', scope: TENANT, call, status: 'ok' });

let bundle: TempBundle;
afterEach(() => bundle?.dispose());

/** The demo tenant as the live collector writes it: referenced users instead of deleted users. */
function liveStyle(users: Record<string, unknown>[]): TempBundle {
  const b = new TempBundle();
  b.remove('directory-deletedItems-users.json');
  b.write('directoryObjects-getByIds.part-1.json', { value: users.map((u) => ({ '@odata.type': '#microsoft.graph.user', ...u })) });
  return b;
}

function ownerUsers(b: TempBundle): Record<string, unknown>[] {
  const seen = new Map<string, Record<string, unknown>>();
  for (const file of ['servicePrincipals-owners', 'applications-owners']) {
    for (const f of readdirSync(b.path(file))) {
      for (const o of b.read(`${file}/${f}`).value) if (o['@odata.type'] === '#microsoft.graph.user') seen.set(o.id, o);
    }
  }
  return [...seen.values()];
}

describe('entra bundles with referenced users', () => {
  it('knows an owner missing from getByIds no longer exists, and takes accountEnabled from it', () => {
    bundle = new TempBundle();
    const users = ownerUsers(bundle).filter((u) => !String(u.userPrincipalName).startsWith('marcus'));
    const priya = users.find((u) => String(u.userPrincipalName).startsWith('priya'))!;
    bundle.dispose();
    bundle = liveStyle(users.map((u) => (u === priya ? { ...u, accountEnabled: false } : u)));
    const ids = normalizeEntra(reader(bundle.dir, [ok(CALL.referencedUsers)]));
    expect(byName(ids, 'HR-Copilot').owners[0]).toMatchObject({ exists: false });
    expect(byName(ids, 'gh-deploy').owners[0]).toMatchObject({ exists: true, active: false });
    expect(byName(ids, 'legacy-sync').owners[0]).toMatchObject({ exists: true, active: false });
  });

  it('leaves existence unknown when getByIds failed', () => {
    bundle = liveStyle([]);
    bundle.remove('directoryObjects-getByIds.part-1.json');
    const ids = normalizeEntra(reader(bundle.dir, [failed(CALL.referencedUsers)]));
    for (const identity of ids) for (const owner of identity.owners) expect(owner.exists).toBeUndefined();
  });

  it('refuses a bundle without deleted users that does not record the referenced-users call either', () => {
    bundle = liveStyle([]);
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir)));
    expect(err.message).toContain('directory-deletedItems-users.json');
  });
});

describe('entra bundles with sponsors', () => {
  it('makes sponsors owners who are not trusted to act as the agent', () => {
    bundle = liveStyle([{ id: SPONSOR, displayName: 'Sam Sponsor', userPrincipalName: 'sam.sponsor@acme-corp.com', accountEnabled: true }]);
    mkdirSync(bundle.path('servicePrincipals-sponsors'));
    bundle.write(`servicePrincipals-sponsors/${AGENT}.json`, { value: [{ '@odata.type': '#microsoft.graph.user', id: SPONSOR, displayName: 'Sam Sponsor' }] });
    const ids = normalizeEntra(reader(bundle.dir, [ok(CALL.referencedUsers), ok(CALL.sponsors)]));
    const agent = byName(ids, 'Procurement Agent');
    expect(agent.attributes.sponsors).toEqual([SPONSOR]);
    expect(agent.owners.find((o) => o.id === SPONSOR)).toMatchObject({ exists: true, active: true });
    expect(agent.trustedBy.every((t) => !t.via.includes('owner'))).toBe(true);
  });

  it('requires the sponsors file when the bundle records the call, unless that call failed', () => {
    bundle = liveStyle([]);
    const err = bundleErrorOf(() => normalizeEntra(reader(bundle.dir, [ok(CALL.referencedUsers), ok(CALL.sponsors)])));
    expect(err.message).toContain(`servicePrincipals-sponsors/${AGENT}.json`);
    expect(() => normalizeEntra(reader(bundle.dir, [ok(CALL.referencedUsers), failed(CALL.sponsors)]))).not.toThrow();
  });
});

describe('entra bundles with the agentIdentity listing', () => {
  it('takes the blueprint and creation time of agent identities from the type-cast listing', () => {
    bundle = new TempBundle();
    bundle.edit('servicePrincipals.page-1.json', (body) => {
      const agent = body.value.find((sp: any) => sp.id === AGENT);
      delete agent.agentIdentityBlueprintId;
      delete agent.createdDateTime;
    });
    bundle.write('servicePrincipals-agentIdentity.page-1.json', {
      value: [{ id: AGENT, agentIdentityBlueprintId: '17fd4f11-9104-4ead-8013-a617cec2c0be', createdDateTime: '2026-07-25T07:45:51Z' }],
    });
    const agent = byName(normalizeEntra(reader(bundle.dir, [ok(CALL.agentIdentities)])), 'Procurement Agent');
    expect(agent.kind).toBe('agent-identity');
    expect(agent.attributes.agentIdentityBlueprintId).toBe('17fd4f11-9104-4ead-8013-a617cec2c0be');
    expect(agent.attributes.agentIdentityBlueprintName).toBe('Procurement Agent Blueprint');
    expect(agent.createdAt).toBe('2026-07-25T07:45:51.000Z');
  });
});
