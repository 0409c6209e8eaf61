// Ids and names from provider data become file names in a bundle (iam-list-access-keys/<user>.json).
// Provider naming rules keep real ones safe, but a bundle is input like any other: a name such
// as `../../x` must stay one file inside its folder. Characters outside a conservative set are
// percent-encoded (as UTF-8 bytes), so every name the providers actually allow is unchanged.

const SAFE = /[A-Za-z0-9_+=,.@-]/;

export function fileSafe(id: string): string {
  let out = '';
  for (const ch of id) {
    out += SAFE.test(ch) ? ch : [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  // "." and ".." are folders, not files.
  return /^\.+$/.test(out) || out === '' ? out.replace(/\./g, '%2E') || '%' : out;
}
