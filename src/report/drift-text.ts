import type { CredentialRef, Drift, EntitlementRef, IdentityChange, IdentityRef } from '../model/drift.js';
import { shortName } from './text.js';

// Plain-language lines describing drift, shared by the table and markdown reports.

const who = (i: IdentityRef) => `${shortName(i.name)} (${i.provider} ${i.kind}, ${i.verdict})`;
const cred = (c: CredentialRef) => `${c.type} ${c.id}`;
const grant = (e: EntitlementRef) => {
  const perms = e.permissions.length > 4 ? `${e.permissions.length} permissions` : e.permissions.join(', ');
  return `${e.level} via ${e.via.type} ${e.via.name} on ${e.resource} (${perms})`;
};

/** The drift as the table, markdown and HTML formats print it, cleaned. The unchanged findings
 * are only counted there, never printed, so they are not copied: a scan against its own
 * snapshot has every finding unchanged, and cleaning them all to count them held a second copy
 * of a 100,000-identity scan's findings. (JSON writes them, cleaning each as it writes it.) */
export function cleanDrift(d: Drift, clean: <T>(value: T) => T): Drift {
  const cleaned = clean({ ...d, findings: { ...d.findings, unchanged: [] } });
  return { ...cleaned, findings: { ...cleaned.findings, unchanged: d.findings.unchanged } };
}

export function driftCounts(d: Drift): string {
  const f = d.findings;
  const i = d.identities;
  return (
    `findings: ${f.new.length} new · ${f.resolved.length} resolved · ${f.unchanged.length} unchanged; ` +
    `identities: ${i.added.length} added · ${i.removed.length} removed · ${i.changed.length} changed`
  );
}

/** What happened to one identity, one short line per change. */
export function changeLines(c: IdentityChange): string[] {
  const out: string[] = [];
  const { credentials: cr, entitlements: en } = c;
  if (c.verdict) out.push(`verdict ${c.verdict.from} → ${c.verdict.to}`);
  if (c.enabled) out.push(c.enabled.to ? 'enabled' : 'disabled');
  for (const x of cr.created) out.push(`credential created: ${cred(x)}`);
  for (const x of cr.rotated) out.push(`credential rotated: ${x.from.id} → ${x.to.id}`);
  for (const x of cr.deleted) out.push(`credential deleted: ${cred(x)}`);
  for (const x of cr.newlyUsed) out.push(`credential used for the first time: ${cred(x)}${x.lastUsedAt ? ` (${x.lastUsedAt})` : ''}`);
  for (const x of cr.newlyExpired) out.push(`credential expired: ${cred(x)}`);
  for (const x of en.granted) out.push(`granted: ${grant(x)}`);
  for (const x of en.revoked) out.push(`revoked: ${grant(x)}`);
  for (const x of en.changed) {
    const parts = [
      x.added.length ? `+${x.added.join(', +')}` : '',
      x.removed.length ? `-${x.removed.join(', -')}` : '',
      x.from.level !== x.to.level ? `level ${x.from.level} → ${x.to.level}` : '',
      x.from.standing !== x.to.standing ? (x.to.standing ? 'now standing' : 'no longer standing') : '',
    ].filter(Boolean);
    out.push(`changed: ${x.to.via.type} ${x.to.via.name} on ${x.to.resource}: ${parts.join('; ')}`);
  }
  return out;
}

export function identityLines(d: Drift): string[] {
  return [
    ...d.identities.added.map((i) => `+ ${who(i)}`),
    ...d.identities.removed.map((i) => `- ${who(i)}`),
    ...d.identities.changed.flatMap((c) => [`~ ${who(c.identity)}`, ...changeLines(c).map((l) => `    ${l}`)]),
  ];
}
