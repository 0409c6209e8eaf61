// Every value in the HTML report can come from cloud data that an attacker controls (a role
// named `<script>`, a tag value, a token note), so nothing is written into the page unescaped.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON for a `<script type="application/json">` block. Escaping `<` (and `>`, `&`) as \uXXXX
 * keeps `</script>` and `<!--` in a value from ending the block early; U+2028/U+2029 are
 * escaped too so the text stays valid if someone pastes it into a JavaScript string.
 * JSON.parse reads every one of these escapes back to the original character.
 */
export function jsonForScript(value: unknown): string {
  return scriptSafe(JSON.stringify(value));
}

/** The escaping of jsonForScript on JSON text already written (character by character, so it
 * applies to a document written in pieces too). */
export function scriptSafe(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
