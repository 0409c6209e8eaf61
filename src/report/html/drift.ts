import type { CredentialRef, Drift, EntitlementRef, IdentityChange, IdentityRef } from '../../model/drift.js';
import type { Finding } from '../../model/finding.js';
import { shortName } from '../text.js';
import { esc } from './escape.js';
import { formatTime, plural, providerLabel } from './sections.js';

// What changed since the baseline, in the order a reviewer reads it: findings first (what is
// new needs action, what is resolved is progress), then the inventory changes behind them.
// Static HTML: a reviewer sees it even where the page's script does not run.

const FOLD_AFTER = 10;

const table = (head: string[], rows: string[]) =>
  `<table class="grid-table"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;

function who(ref: { name: string; provider: string; kind?: string }): string {
  return `<strong>${esc(shortName(ref.name))}</strong> <span class="muted">${esc(providerLabel(ref.provider))}${ref.kind ? ` ${esc(ref.kind)}` : ''}</span>`;
}

function findingsTable(kind: 'new' | 'resolved', findings: Finding[]): string {
  const title = kind === 'new' ? 'New findings' : 'Resolved findings';
  const body = findings.length
    ? table(
        ['Severity', 'Rule', 'Identity', 'Finding'],
        findings.map(
          (f) =>
            `<tr><td><span class="sev sev-${esc(f.severity)}">${esc(f.severity)}</span></td><td><code class="rule">${esc(f.ruleId)}</code></td><td>${who({ name: f.identityName, provider: f.provider })}</td><td>${esc(f.message)}${f.suppression ? ` <span class="badge muted-badge">suppressed</span>` : ''}</td></tr>`,
        ),
      )
    : `<p class="none">None.</p>`;
  // Resolved findings are progress, not work: a long list folds away so the changes below stay in view.
  const folded = kind === 'resolved' && findings.length > FOLD_AFTER ? `<details class="fold"><summary>Show all ${findings.length}</summary>${body}</details>` : body;
  return `<section class="drift-part" id="drift-${kind}"><h3>${title} <span class="count">${findings.length}</span></h3>${folded}</section>`;
}

function identitiesTable(kind: 'added' | 'removed', refs: IdentityRef[]): string {
  if (!refs.length) return '';
  return `<section class="drift-part" id="drift-identities-${kind}"><h3>Identities ${kind} <span class="count">${refs.length}</span></h3>${table(
    ['Identity', 'Verdict', 'Id'],
    refs.map((r) => `<tr><td>${who(r)}</td><td><span class="verdict v-${esc(r.verdict)}">${esc(r.verdict)}</span></td><td><code>${esc(r.id)}</code></td></tr>`),
  )}</section>`;
}

const day = (iso?: string) => (iso ? esc(formatTime(iso).slice(0, 10)) : '');

function credential(c: CredentialRef): string {
  return `<code>${esc(c.id)}</code> <span class="muted">${esc(c.type)}</span>`;
}

function credentialRows(changes: IdentityChange[]): string[] {
  const rows: string[] = [];
  const row = (what: string, ch: IdentityChange, cred: string, detail: string) =>
    rows.push(`<tr><td><span class="change">${what}</span></td><td>${who(ch.identity)}</td><td>${cred}</td><td>${detail}</td></tr>`);
  for (const ch of changes) {
    const c = ch.credentials;
    for (const x of c.created) row('created', ch, credential(x), x.createdAt ? `created ${day(x.createdAt)}` : '');
    for (const x of c.rotated) row('rotated', ch, `${credential(x.from)} → ${credential(x.to)}`, x.to.createdAt ? `new one created ${day(x.to.createdAt)}` : '');
    for (const x of c.deleted) row('deleted', ch, credential(x), x.lastUsedAt ? `last used ${day(x.lastUsedAt)}` : 'never used');
    for (const x of c.newlyUsed) row('newly used', ch, credential(x), x.lastUsedAt ? `first use seen ${day(x.lastUsedAt)}` : '');
    for (const x of c.newlyExpired) row('expired', ch, credential(x), x.expiresAt ? `expired ${day(x.expiresAt)}, still present` : 'still present');
  }
  return rows;
}

/** Long permission lists fold away so one broad policy does not push everything else off screen. */
function permissions(list: string[], sign = ''): string {
  const items = list.map((p) => `<code>${esc(sign + p)}</code>`);
  if (items.length <= 6) return items.join(' ');
  return `${items.slice(0, 5).join(' ')} <details class="more"><summary>+${items.length - 5} more</summary>${items.slice(5).join(' ')}</details>`;
}

function grant(e: EntitlementRef): string {
  return `${esc(e.via.type)} <strong>${esc(e.via.name)}</strong> on <code>${esc(e.resource)}</code> <span class="muted">(${esc(e.level)}${e.standing ? ', standing' : ''})</span>`;
}

function entitlementRows(changes: IdentityChange[]): string[] {
  const rows: string[] = [];
  const row = (what: string, ch: IdentityChange, g: string, perms: string) =>
    rows.push(`<tr><td><span class="change">${what}</span></td><td>${who(ch.identity)}</td><td>${g}</td><td>${perms}</td></tr>`);
  for (const ch of changes) {
    const e = ch.entitlements;
    for (const x of e.granted) row('granted', ch, grant(x), permissions(x.permissions));
    for (const x of e.revoked) row('revoked', ch, grant(x), permissions(x.permissions));
    for (const x of e.changed) {
      const shifts = [
        x.from.level !== x.to.level && `level ${esc(x.from.level)} → ${esc(x.to.level)}`,
        x.from.standing !== x.to.standing && (x.to.standing ? 'now standing' : 'no longer standing'),
      ].filter(Boolean);
      const perms = [permissions(x.added, '+ '), permissions(x.removed, '− '), ...shifts.map((s) => `<span>${s}</span>`)].filter(Boolean);
      row('changed', ch, grant(x.to), perms.join(' '));
    }
  }
  return rows;
}

function statusRows(changes: IdentityChange[]): string[] {
  const rows: string[] = [];
  for (const ch of changes) {
    if (ch.verdict) {
      rows.push(
        `<tr><td>${who(ch.identity)}</td><td>verdict</td><td><span class="verdict v-${esc(ch.verdict.from)}">${esc(ch.verdict.from)}</span> → <span class="verdict v-${esc(ch.verdict.to)}">${esc(ch.verdict.to)}</span></td></tr>`,
      );
    }
    if (ch.enabled) {
      rows.push(`<tr><td>${who(ch.identity)}</td><td>status</td><td>${ch.enabled.to ? 'disabled → enabled' : 'enabled → disabled'}</td></tr>`);
    }
  }
  return rows;
}

export function renderDrift(drift: Drift): string {
  const changes = drift.identities.changed;
  const creds = credentialRows(changes);
  const ents = entitlementRows(changes);
  const status = statusRows(changes);
  const parts = [
    findingsTable('new', drift.findings.new),
    findingsTable('resolved', drift.findings.resolved),
    identitiesTable('added', drift.identities.added),
    identitiesTable('removed', drift.identities.removed),
    creds.length
      ? `<section class="drift-part" id="drift-credentials"><h3>Credentials <span class="count">${creds.length}</span></h3>${table(['Change', 'Identity', 'Credential', 'Detail'], creds)}</section>`
      : '',
    ents.length
      ? `<section class="drift-part" id="drift-entitlements"><h3>Entitlements <span class="count">${ents.length}</span></h3>${table(['Change', 'Identity', 'Grant', 'Permissions'], ents)}</section>`
      : '',
    status.length
      ? `<section class="drift-part" id="drift-verdicts"><h3>Verdict and status changes <span class="count">${status.length}</span></h3>${table(['Identity', 'What', 'Change'], status)}</section>`
      : '',
  ];
  const quiet =
    !drift.identities.added.length && !drift.identities.removed.length && !changes.length
      ? '<p class="none">No identity, credential or entitlement changed.</p>'
      : '';
  return `<section id="drift" class="panel" aria-labelledby="drift-title">
<h2 id="drift-title">Changes since the baseline</h2>
<p class="sub">Baseline <code>${esc(drift.baseline.source)}</code> collected ${esc(formatTime(drift.baseline.collectedAt))} → this scan collected ${esc(formatTime(drift.current.collectedAt))}. ${plural(drift.findings.unchanged.length, 'finding')} unchanged.</p>
${parts.join('\n')}${quiet}
</section>`;
}
