import type { Credential, Identity } from '../model/inventory.js';

// Signs that one identity serves several consumers, read from what teams write down and from
// what its credentials are called: a `used-by` tag or a description naming several consumers,
// live secrets labelled for different services, several people's consent to one AI app. The
// parsers are conservative: one team, one consumer, or keys of one service mid-rotation are not
// shared, and prose that merely mentions "used by" is not a list.

export interface NamedConsumers {
  /** Where the list was written: `tag used-by`, `tags consumer-1, consumer-2`, `description`, `notes`. */
  source: string;
  /** What was written there. */
  text: string;
  consumers: string[];
}

export interface LabelledSecret {
  credentialId: string;
  /** The label as recorded (an Entra secret's displayName, an AWS key's description tag). */
  label: string;
  /** The service the label names, once generic words and the identity's own name are dropped. */
  service: string;
}

// Tag keys that hold a list of consumers, and numbered ones (consumer-1, consumer-2…).
const LIST_KEYS = /^(used[-_ .]?by|consumers?|clients?|callers?|shared[-_ .]?(by|with|between)|users?)$/i;
const NUMBERED_KEYS = /^(used[-_ .]?by|consumer|client|caller|user)[-_ .]?\d+$/i;
// Written lists: "used by billing-bot, ci and data-team", "shared between X and Y", "consumers: …".
const TEXT_LISTS = [
  /\b(?:used|shared|consumed|called)\s+by\s*:?\s+([^.;\n(]+)/i,
  /\bshared\s+(?:between|among|with)\s+([^.;\n(]+)/i,
  /\b(?:consumers|clients|callers|used[-_ ]by)\s*[:=]\s*([^.;\n(]+)/i,
];
const SEPARATORS = /\s*(?:,|;|\/|\||\+|&|\band\b)\s*/i;
// A list item longer than this is prose ("Terraform to deploy the api"), and the match no list.
const MAX_ITEM_WORDS = 3;
const NOT_A_CONSUMER = /^(none|n\/a|na|all|any|everyone|everybody|anyone|tbd|unknown|-|\*)$/i;

function listItems(text: string): string[] | undefined {
  if (NOT_A_CONSUMER.test(text.trim())) return [];
  const items = text
    .split(SEPARATORS)
    .map((s) => s.trim().replace(/^(the|a|an)\s+/i, '').replace(/^["'`]+|["'`]+$/g, '').trim())
    .filter(Boolean);
  if (items.some((s) => s.split(/\s+/).length > MAX_ITEM_WORDS)) return undefined;
  return items.filter((s) => s.length > 1 && !NOT_A_CONSUMER.test(s));
}

const distinct = (items: string[]) => [...new Map(items.map((s) => [s.toLowerCase(), s])).values()];

/** The consumers the identity's tags, labels, description or notes name, when they name several. */
export function namedConsumers(identity: Identity): NamedConsumers | undefined {
  for (const [key, value] of Object.entries(identity.tags)) {
    if (!LIST_KEYS.test(key)) continue;
    const items = distinct(listItems(value) ?? []);
    if (items.length > 1) return { source: `tag ${key}`, text: value, consumers: items };
  }
  const numbered = Object.entries(identity.tags).filter(([k, v]) => NUMBERED_KEYS.test(k) && v.trim() && !NOT_A_CONSUMER.test(v.trim()));
  const fromNumbered = distinct(numbered.map(([, v]) => v.trim()));
  if (fromNumbered.length > 1) {
    return {
      source: `tags ${numbered.map(([k]) => k).join(', ')}`,
      text: numbered.map(([k, v]) => `${k}=${v}`).join(', '),
      consumers: fromNumbered,
    };
  }
  for (const field of ['description', 'notes']) {
    const text = identity.attributes[field];
    if (typeof text !== 'string') continue;
    for (const pattern of TEXT_LISTS) {
      const list = text.match(pattern)?.[1];
      const items = list ? distinct(listItems(list) ?? []) : [];
      if (items.length > 1) return { source: field, text: text.trim(), consumers: items };
    }
  }
  return undefined;
}

// Words in a secret's label that say nothing about who uses it.
const GENERIC = new Set([
  'key', 'keys', 'secret', 'secrets', 'token', 'tokens', 'cred', 'creds', 'credential', 'credentials', 'password', 'client',
  'access', 'api', 'app', 'prod', 'production', 'prd', 'staging', 'stage', 'stg', 'dev', 'test', 'qa', 'uat', 'new', 'old',
  'current', 'next', 'previous', 'primary', 'secondary', 'backup', 'rotated', 'rotation', 'temp', 'tmp', 'main', 'default',
  'for', 'the', 'of', 'by', 'and', 'to', 'used', 'use', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep',
  'oct', 'nov', 'dec', 'h1', 'h2', 'q1', 'q2', 'q3', 'q4',
]);
const LABELLED_TYPES: ReadonlySet<Credential['type']> = new Set(['access-key', 'service-account-key', 'client-secret']);

const words = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** The label a credential carries: its own display name or description, or (AWS) the user tag
 * whose key is the access key id, which is where the console stores a key's description. */
function labelOf(identity: Identity, c: Credential): string | undefined {
  const own = [c.attributes?.displayName, c.attributes?.description].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return own ?? (identity.tags[c.id]?.trim() || undefined);
}

function serviceOf(label: string, ownName: Set<string>): string {
  return words(label)
    .filter((w) => !GENERIC.has(w) && !ownName.has(w) && !/^v?\d+$/.test(w) && w.length > 1)
    .join('-');
}

/** Live secrets whose labels name different services (none when they name one or none). */
export function secretsForSeveralServices(identity: Identity): LabelledSecret[] {
  const ownName = new Set(words(identity.name));
  const labelled: LabelledSecret[] = [];
  for (const c of identity.credentials) {
    if (!LABELLED_TYPES.has(c.type) || c.status !== 'active' || c.managedBy === 'provider') continue;
    const label = labelOf(identity, c);
    const service = label ? serviceOf(label, ownName) : '';
    if (label && service) labelled.push({ credentialId: c.id, label, service });
  }
  // Two labels name one service when they share a word (sync-2024 and sync-2025, ci and ci-runner).
  const overlap = (a: string, b: string) => a.split('-').some((w) => b.split('-').includes(w));
  const services: string[] = [];
  for (const s of labelled) if (!services.some((t) => overlap(t, s.service))) services.push(s.service);
  return services.length > 1 ? labelled : [];
}

// Consent to sign a user in and read their own profile lets the app act as nobody.
const SIGN_IN_ONLY = new Set(['openid', 'profile', 'email', 'offline_access', 'user.read']);

const userConsents = (identity: Identity) =>
  identity.entitlements.filter(
    (e) =>
      e.via.type === 'delegated-grant' && e.onBehalfOf && e.onBehalfOf !== 'AllPrincipals' && e.effect !== 'deny' &&
      e.permissions.some((p) => !SIGN_IN_ONLY.has(p.toLowerCase())),
  );

/** The distinct users whose own consent (consentType Principal) lets the identity act as them,
 * and the scopes those consents give it. */
export function delegatingUsers(identity: Identity): { users: string[]; scopes: string[] } {
  const grants = userConsents(identity);
  return {
    users: [...new Set(grants.map((e) => e.onBehalfOf!))].sort(),
    scopes: [...new Set(grants.flatMap((e) => e.permissions))].sort(),
  };
}
