// Big JSON documents (the JSON report, which is also the snapshot; SARIF) are written as a
// sequence of short pieces, never as one string: a 100,000-identity report is larger than the
// longest string V8 can hold. The layout is also what makes reading them back cheap
// (util/json-lines.ts): objects are laid out one member per line and arrays one item per
// line, each item on its own line in compact JSON. Pretty-printed JSON (JSON.stringify with
// an indent, jq) follows the same grammar, so the reader takes both.

const MAX_OBJECT_DEPTH = 4;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An object that says how it is written (each identity's reach), not a Date. */
export function hasToJSON(v: unknown): v is { toJSON(): unknown } {
  return !!v && typeof v === 'object' && !(v instanceof Date) && typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

/** A list whose items are made only as the layout writes them (rows of the HTML page's data):
 * each is garbage once written, so the whole list never exists at once. */
export class LazyList<T> {
  constructor(readonly items: () => Iterable<T>) {}
  toJSON(): T[] {
    return [...this.items()];
  }
}

/** JSON text of `value` in the line layout, piece by piece. `mapItem` is applied to each array
 * item (and to each value below the expanded levels) just before it is written, so a caller can
 * transform a big list lazily without copying it. */
export function* jsonLayout(
  value: unknown,
  mapItem: (v: unknown) => unknown = (v) => v,
  indent = '',
  depth = 0,
): Generator<string> {
  const inner = `${indent}  `;
  if (value instanceof LazyList) {
    // One item behind, to know which is the last (no comma after it).
    let last: string | undefined;
    for (const item of value.items()) {
      yield last === undefined ? '[\n' : `${inner}${last},\n`;
      last = JSON.stringify(mapItem(item)) ?? 'null';
    }
    yield last === undefined ? '[]' : `${inner}${last}\n${indent}]`;
    return;
  }
  // Laid out as what it writes itself as (each identity's reach), as JSON.stringify would.
  if (hasToJSON(value)) value = value.toJSON();
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      const text = JSON.stringify(mapItem(value[i])) ?? 'null';
      yield `${inner}${text}${i < value.length - 1 ? ',' : ''}\n`;
    }
    yield `${indent}]`;
    return;
  }
  if (isPlainObject(value) && depth < MAX_OBJECT_DEPTH) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length === 0) {
      yield '{}';
      return;
    }
    yield '{\n';
    for (let i = 0; i < entries.length; i++) {
      const [key, v] = entries[i];
      yield `${inner}${JSON.stringify(key)}: `;
      yield* jsonLayout(v, mapItem, inner, depth + 1);
      yield i < entries.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}}`;
    return;
  }
  yield JSON.stringify(mapItem(value)) ?? 'null';
}

/** Chunks stay below V8's large-object size (128 KiB, even for two-byte text): a string above it
 * lives in the large-object space, which only a full collection empties, and a gigabyte report
 * written in 1 MiB chunks held 100 MiB of them written and waiting for one. */
const CHUNK_CHARS = 32 << 10;

/** Joins small pieces into chunks of about `size` characters: one write per chunk, not per piece. */
export function* chunked(pieces: Iterable<string>, size = CHUNK_CHARS): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    buffer.push(piece);
    length += piece.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (length > 0) yield buffer.join('');
}
