// Names, notes, tags and descriptions in a report come from the estate, so anyone who can name
// a role or a token can write into the report. Before rendering: secret-shaped text is masked
// in every format (a token pasted into a description must not travel on into CI logs, job
// summaries and code-scanning alerts), and terminal control sequences are removed from text
// meant for a terminal (clear screen, OSC 8 links, OSC 52 clipboard writes, cursor moves).

const MASK = '[redacted]';

const SECRET_PATTERNS: RegExp[] = [
  // GitHub tokens: classic and fine-grained PATs, app installation, OAuth, user-to-server, refresh.
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  // PEM private keys (with or without their END line).
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  // Slack, Google API keys, JWTs.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g,
];

/** `client_secret=…`, `password: …`, `aws_secret_access_key = …`: the name stays, the value goes.
 * Not after `:` or `/`: `arn:aws:secretsmanager:…:secret:name` is a resource type in an ARN, not
 * an assignment (masking it changed grants' keys, so a scan drifted from its own snapshot). */
const ASSIGNED = /(?<![:/])\b((?:client[_-]?secret|secret[_-]?access[_-]?key|aws[_-]?secret[_-]?access[_-]?key|api[_-]?key|access[_-]?token|password|passwd|secret)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;"']+)/gi;

/** A 40-character AWS secret access key standing alone: base64 with both cases, a digit and a / or +. */
const AWS_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const looksLikeAwsSecret = (s: string) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s) && /[/+]/.test(s);

export function maskSecrets(text: string): string {
  let out = text;
  for (const re of SECRET_PATTERNS) out = out.replace(re, MASK);
  out = out.replace(ASSIGNED, (_m, name: string) => `${name}${MASK}`);
  return out.replace(AWS_SECRET, (m) => (looksLikeAwsSecret(m) ? MASK : m));
}

/** ESC sequences (CSI, OSC, DCS/SOS/PM/APC, two-byte), other C0 and C1 controls except \n and \t,
 * DEL, and the Unicode bidi overrides that make text read differently from what it is. */
const ESCAPES = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][\s\S]*?(?:\x07|\x1b\\|$)|\x1b[PX^_][\s\S]*?(?:\x1b\\|$)|\x1b[ -~]?/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function stripControls(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '');
}

/** A copy of `value` with `fn` applied to every string in plain objects and arrays (functions,
 * class instances and other values are kept as they are). A list met twice is copied once and shared in the copy as in the original (lists of 16 or more; what is small is
 * cheap to copy again): identities holding one managed policy
 * share its action list, thousands of entries long, and it is cleaned once, not once per holder. */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
  // Only long lists are remembered: a map of every small object would cost more than it saves.
  const copies = new WeakMap<unknown[], unknown[]>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fn(v);
    if (!v || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      if (v.length < 16) return v.map(walk);
      let copy = copies.get(v);
      if (!copy) copies.set(v, (copy = v.map(walk)));
      return copy;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    return out;
  };
  return walk(value) as T;
}

/** Distinct strings a cleaner remembers before it starts over. A 100,000-identity report has
 * millions of distinct strings (ids, names, messages): remembering them all held the report's
 * worth of map entries until it was written, and a bigger memory's tables (past 128 KiB) sit in
 * V8's large-object space until a full collection (100 MiB of old tables at 100,000 identities).
 * What repeats (action names, rule ids, texts shared by thousands of findings) repeats within a
 * few rows, so a small memory keeps nearly all of the saving. */
const CLEANER_MEMORY = 4096;

/** The cleaning every report format applies to a string, each distinct string cleaned once (a
 * scan repeats action names, ids and rule ids many thousands of times). */
export function stringCleaner(terminal: boolean): (s: string) => string {
  const clean = terminal ? (s: string) => stripControls(maskSecrets(s)) : maskSecrets;
  let seen = new Map<string, string>();
  return (s) => {
    let out = seen.get(s);
    if (out === undefined) {
      out = clean(s);
      if (seen.size >= CLEANER_MEMORY) seen = new Map();
      seen.set(s, out);
    }
    return out;
  };
}

/** What every report format renders: secrets masked; for a terminal, controls removed too. */
export function forOutput<T>(value: T, terminal: boolean): T {
  return mapStrings(value, stringCleaner(terminal));
}
