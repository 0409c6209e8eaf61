import { LazyList } from '../json-layout.js';
import { OWASP_NHI, SEVERITY_RANK, type Finding, type Severity } from '../../model/finding.js';
import type { Credential, Entitlement, Identity, Owner, Trust } from '../../model/inventory.js';
import type { ScanResult } from '../../model/scan-result.js';
import { shortName } from '../text.js';

// The rows the page's script renders, searches and sorts. Everything is flattened to display
// strings here, in TypeScript, so the browser code only prints text and compares keys.

export interface FindingRow {
  severity: Severity;
  rank: number;
  ruleId: string;
  /** Index into PageData.texts: a rule's title is the same on thousands of findings. */
  title: number;
  family: string;
  provider: string;
  identityId: string;
  identity: string;
  message: string;
  target: string;
  evidence: Array<[string, string]>;
  /** Index into PageData.texts. */
  remediation: number;
  command?: string;
  /** Index into PageData.texts: the OWASP categories, joined. */
  owasp: number;
  fingerprint: string;
  suppressed?: { reason: string; expires?: string; source: string };
  isNew: boolean;
}

export interface IdentityRow {
  id: string;
  name: string;
  provider: string;
  kind: string;
  container: string;
  verdict: string;
  confidence: number;
  human: boolean;
  enabled: boolean;
  signals: string[];
  owners: Array<{ label: string; problem?: string }>;
  findings: number;
  suppressed: number;
  worst?: Severity;
  worstRank: number;
  access: string;
  accessRank: number;
  credentials: string[];
  /** Indexes into PageData.texts: thousands of identities hold the same grants and trusts. */
  entitlements: number[];
  trustedBy: number[];
}

/** The data block as the page's script reads it. */
export interface PageData {
  findings: FindingRow[];
  identities: IdentityRow[];
  /** Texts many rows share (rule titles, remediation), each once. */
  texts: string[];
}

/** The same, its rows made as the page is written (json-layout.ts LazyList): the texts they
 * share come last, complete once every row is written. */
export interface PageRows {
  findings: LazyList<FindingRow>;
  identities: LazyList<IdentityRow>;
  texts: string[];
}

// What a row shows is cut to what a person reads in a table's detail row; the JSON report has
// everything. Without the cuts a 100,000-identity page was 523 MB (evidence quoting every
// action of a policy on each finding) and took 5.9 GiB to open.
const LIST_ITEMS = 10;
const TEXT_CHARS = 400;
const LINES = 40;

const cutText = (t: string) => (t.length > TEXT_CHARS ? `${t.slice(0, TEXT_CHARS)}… (${t.length - TEXT_CHARS} more characters in the JSON report)` : t);
const cutLines = (lines: string[], what: string) =>
  lines.length > LINES ? [...lines.slice(0, LINES), `… and ${lines.length - LINES} more ${what} (see the JSON report)`] : lines;

class TextPool {
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();
  id(text: string): number {
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.texts.push(text) - 1;
      this.index.set(text, i);
    }
    return i;
  }
}

const LEVEL_RANK = { admin: 3, write: 2, read: 1 } as const;

/** Evidence values are any JSON; lists of plain values read best comma-separated. */
function showValue(value: unknown): string {
  if (typeof value === 'string') return cutText(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    const more = value.length > LIST_ITEMS ? ` … (+${value.length - LIST_ITEMS} more)` : '';
    return cutText(value.slice(0, LIST_ITEMS).join(', ') + more);
  }
  return cutText(JSON.stringify(value));
}

function findingRow(f: Finding, pool: TextPool): FindingRow {
  return {
    severity: f.severity,
    rank: SEVERITY_RANK[f.severity],
    ruleId: f.ruleId,
    title: pool.id(f.title),
    family: f.family,
    provider: f.provider,
    identityId: f.identityId,
    identity: shortName(f.identityName),
    message: cutText(f.message),
    target: f.target.type === 'identity' ? '' : `${f.target.type} ${f.credentialId ?? f.target.key}`,
    evidence: Object.entries(f.evidence).map(([k, v]) => [k, showValue(v)]),
    remediation: pool.id(f.remediation.text),
    ...(f.remediation.command && { command: cutText(f.remediation.command) }),
    owasp: pool.id(f.owasp.map((id) => (OWASP_NHI[id] ? `${id} ${OWASP_NHI[id]}` : id)).join('; ')),
    fingerprint: f.fingerprint,
    ...(f.suppression && { suppressed: f.suppression }),
    isNew: f.baselineState === 'new',
  };
}

function ownerLabel(o: Owner): { label: string; problem?: string } {
  const label = o.name && o.name !== o.id ? `${o.name} (${o.id})` : o.id;
  if (o.exists === false) return { label, problem: 'gone' };
  if (o.active === false) return { label, problem: 'disabled' };
  return { label };
}

/** "admin via AdministratorAccess (+2)": the strongest allow, and how many grants besides. */
function highestAccess(i: Identity): { access: string; accessRank: number } {
  const allows = i.entitlements.filter((e) => e.effect !== 'deny');
  const best = [...allows].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level])[0];
  if (!best) return { access: '', accessRank: 0 };
  const more = allows.length - 1;
  return { access: `${best.level} via ${best.via.name}${more > 0 ? ` (+${more})` : ''}`, accessRank: LEVEL_RANK[best.level] };
}

function credentialLine(c: Credential): string {
  const dates = [
    c.createdAt && `created ${c.createdAt.slice(0, 10)}`,
    c.lastUsedAt ? `last used ${c.lastUsedAt.slice(0, 10)}${c.lastUsedService ? ` on ${c.lastUsedService}` : ''}` : 'never used',
    c.expiresAt && `expires ${c.expiresAt.slice(0, 10)}`,
  ].filter(Boolean);
  return `${c.id} — ${c.type}, ${c.status}; ${dates.join(', ')}`;
}

function entitlementLine(e: Entitlement): string {
  const perms = e.permissions.length > 6 ? `${e.permissions.slice(0, 6).join(', ')} … (+${e.permissions.length - 6})` : e.permissions.join(', ');
  const flags = [e.effect === 'deny' ? 'DENY' : e.level, e.standing ? 'standing' : 'not standing', ...e.risks].join(', ');
  return cutText(`${perms} on ${e.resource} via ${e.via.type} ${e.via.name} [${flags}]${e.condition ? ` if ${e.condition}` : ''}`);
}

function trustLine(t: Trust): string {
  return cutText(`${t.principal} (${t.kind}${t.external ? ', external' : ''}) via ${t.via}${t.subject ? `, subject ${t.subject}` : ''}${t.condition ? ` if ${t.condition}` : ''}`);
}

function identityRow(i: Identity, own: Finding[], pool: TextPool): IdentityRow {
  const active = own.filter((f) => !f.suppression);
  const worst = active.reduce<Severity | undefined>(
    (w, f) => (w === undefined || SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w),
    undefined,
  );
  return {
    id: i.id,
    name: shortName(i.name),
    provider: i.provider,
    kind: i.kind,
    container: `${i.container.type} ${i.container.name ? `${i.container.name} (${i.container.id})` : i.container.id}`,
    verdict: i.agent.verdict,
    confidence: i.agent.confidence,
    human: i.human,
    enabled: i.enabled,
    // Only the signals that back the verdict; a human's account has none, which says enough.
    signals: i.agent.signals.filter((s) => s.points === i.agent.verdict).map((s) => s.evidence),
    owners: i.owners.map(ownerLabel),
    findings: active.length,
    suppressed: own.length - active.length,
    ...(worst && { worst }),
    worstRank: worst ? SEVERITY_RANK[worst] : -1,
    ...highestAccess(i),
    credentials: cutLines(i.credentials.map(credentialLine), 'credentials'),
    entitlements: cutLines(i.entitlements.map(entitlementLine), 'grants').map((l) => pool.id(l)),
    trustedBy: cutLines(i.trustedBy.map(trustLine), 'principals').map((l) => pool.id(l)),
  };
}

export function pageData(scan: ScanResult, clean: <T>(value: T) => T = (value) => value): PageRows {
  // Grouped once: a large estate has tens of thousands of findings.
  const byIdentity = new Map<string, Finding[]>();
  for (const f of scan.findings) {
    const list = byIdentity.get(f.identityId);
    if (list) list.push(f);
    else byIdentity.set(f.identityId, [f]);
  }
  const pool = new TextPool();
  // Cleaned before the rows cut their text: a secret cut in half could escape the mask.
  return {
    findings: new LazyList(function* () {
      for (const f of scan.findings) yield findingRow(clean(f), pool);
    }),
    identities: new LazyList(function* () {
      for (const i of scan.identities) yield identityRow(clean(i), byIdentity.get(i.id) ?? [], pool);
    }),
    texts: pool.texts,
  };
}
