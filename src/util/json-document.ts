import { closeSync, openSync, readSync } from 'node:fs';
import { JSONParser } from '@streamparser/json';
import { InputError } from './errors.js';
import { checkInputFile, maxFileBytes, readTextFile } from './read-file.js';

// Reads a JSON document that may be larger than the longest string V8 holds (a snapshot of a
// 100,000-identity scan), keeping only what the caller asks for: the items of the big top-level
// arrays go one by one to a callback and are never gathered into one value, and top-level
// fields the caller does not want are skipped.
//
// Fast path: JSON laid out one member or item per line — what agentscan writes
// (report/json-layout.ts), and what JSON.stringify(v, null, 2) and jq print — is read line by
// line, each line parsed natively. Anything else (minified JSON, odd layouts) is parsed whole
// when it fits in a string, or else by a streaming tokenizer (@streamparser/json, much slower).

export interface DocumentReader {
  /** Top-level arrays whose items are handed over one at a time, in order. */
  items: Partial<Record<string, (item: unknown, index: number) => void>>;
  /** Other top-level fields to keep; the rest are skipped. */
  keep: (key: string) => boolean;
  /** Called when a first reading turns out not to be the line layout, before the items are read
   * again another way: forget the ones handed over so far. */
  restart: () => void;
  /** Which items of the streamed arrays to hand over (default: all). A second reading that wants a
   * few items of a big snapshot does not parse the others' lines. */
  want?: (field: string, index: number) => boolean;
}

export interface ReadDocument {
  /** The kept top-level fields. */
  fields: Record<string, unknown>;
  /** Every top-level array handed to a callback, by name (empty ones too). */
  streamed: Set<string>;
}

const CHUNK = 4 << 20;
/** A line longer than this is not the line layout (minified JSON): read another way. */
const MAX_LINE = 64 << 20;

class NotLineLayout extends Error {}

interface Frame {
  kind: 'object' | 'array';
  /** undefined while skipping a field nobody asked for. */
  value?: Record<string, unknown> | unknown[];
  /** Key in the parent object (objects) — unused for array items. */
  key?: string;
  sink?: (item: unknown, index: number) => void;
  count: number;
}

/** Reads `file` as described above. */
export function readJsonDocument(file: string, display: string, reader: DocumentReader): ReadDocument {
  // The same checks as any input file (a regular file, not a FIFO), without its size limit:
  // this reader never holds the file as one string.
  const size = checkInputFile(file, display);
  try {
    return readLineLayout(file, display, reader);
  } catch (err) {
    if (!(err instanceof NotLineLayout)) throw err;
  }
  reader.restart();
  if (size <= maxFileBytes()) return deliver(parseWhole(display, readTextFile(file, display)), reader);
  return readStreaming(file, display, reader);
}

function parseWhole(display: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`is not valid JSON (${(err as Error).message})`, display);
  }
}

const wanted = (reader: DocumentReader, field: string, index: number) => reader.want?.(field, index) ?? true;

function deliver(doc: unknown, reader: DocumentReader): ReadDocument {
  const fields: Record<string, unknown> = {};
  const streamed = new Set<string>();
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { fields, streamed };
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const sink = reader.items[key];
    if (sink && Array.isArray(value)) {
      streamed.add(key);
      value.forEach((v, i) => wanted(reader, key, i) && sink(v, i));
    } else if (reader.keep(key)) fields[key] = value;
  }
  return { fields, streamed };
}

/** Lines of the file, as strings, without holding more than a chunk and one line. */
function* lines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let pending: Buffer[] = [];
    let pendingLength = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let start = 0;
      for (let nl = buf.indexOf(10, 0); nl !== -1 && nl < n; nl = buf.indexOf(10, start)) {
        if (pendingLength) {
          pending.push(buf.subarray(start, nl));
          yield Buffer.concat(pending).toString('utf8');
          pending = [];
          pendingLength = 0;
        } else {
          yield buf.toString('utf8', start, nl);
        }
        start = nl + 1;
      }
      if (start < n) {
        pending.push(Buffer.from(buf.subarray(start, n)));
        pendingLength += n - start;
        if (pendingLength > MAX_LINE) throw new NotLineLayout();
      }
    }
    if (pendingLength) yield Buffer.concat(pending).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

const parseLine = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new NotLineLayout();
  }
};

/** `"key": rest` → [key, rest]. */
function splitMember(line: string): [string, string] {
  if (line[0] !== '"') throw new NotLineLayout();
  let i = 1;
  while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
  const key = parseLine(line.slice(0, i + 1)) as string;
  let rest = line.slice(i + 1).trimStart();
  if (rest[0] !== ':') throw new NotLineLayout();
  rest = rest.slice(1).trim();
  return [key, rest];
}

function readLineLayout(file: string, display: string, reader: DocumentReader): ReadDocument {
  const streamed = new Set<string>();
  const stack: Frame[] = [];
  let root: Record<string, unknown> | undefined;
  let done = false;
  const place = (value: unknown, key?: string) => {
    const top = stack.at(-1)!;
    if (top.sink) {
      const index = top.count++;
      if (wanted(reader, top.key!, index)) top.sink(value, index);
    } else if (top.value === undefined) return;
    else if (top.kind === 'array') (top.value as unknown[]).push(value);
    else (top.value as Record<string, unknown>)[key!] = value;
  };
  const open = (kind: Frame['kind'], key?: string) => {
    const parent = stack.at(-1)!;
    let keep = parent.value !== undefined || parent.sink !== undefined;
    let sink: Frame['sink'];
    if (stack.length === 1) {
      sink = kind === 'array' ? reader.items[key!] : undefined;
      if (sink) streamed.add(key!);
      keep = sink === undefined && reader.keep(key!);
    }
    stack.push({ kind, key, value: keep ? (kind === 'array' ? [] : {}) : undefined, sink, count: 0 });
  };
  for (const raw of lines(file)) {
    let line = raw.trim();
    if (!line) continue;
    if (done) throw new NotLineLayout();
    if (!root) {
      if (line !== '{') throw new NotLineLayout();
      root = {};
      stack.push({ kind: 'object', value: root, count: 0 });
      continue;
    }
    if (line.endsWith(',')) line = line.slice(0, -1).trimEnd();
    const top = stack.at(-1)!;
    if (line === '}' || line === ']') {
      if ((line === '}') !== (top.kind === 'object')) throw new NotLineLayout();
      stack.pop();
      if (stack.length === 0) {
        done = true;
        continue;
      }
      if (!top.sink && top.value !== undefined) place(top.value, top.key);
      continue;
    }
    const skipping = top.value === undefined && !top.sink;
    if (top.kind === 'object') {
      if (skipping && !line.endsWith('{') && !line.endsWith('[')) continue;
      const [key, rest] = splitMember(line);
      if (rest === '{' || rest === '[') open(rest === '{' ? 'object' : 'array', key);
      else if (stack.length === 1) {
        const sink = reader.items[key];
        const value = sink || reader.keep(key) ? parseLine(rest) : undefined;
        if (sink && Array.isArray(value)) {
          streamed.add(key);
          value.forEach((v, i) => wanted(reader, key, i) && sink(v, i));
        } else if (value !== undefined && reader.keep(key)) root[key] = value;
      } else if (!skipping) place(parseLine(rest), key);
    } else if (line === '{' || line === '[') {
      open(line === '{' ? 'object' : 'array');
    } else if (top.sink && !wanted(reader, top.key!, top.count)) {
      top.count++;
    } else if (!skipping) {
      place(parseLine(line));
    }
  }
  if (!root || !done) {
    if (root && stack.length) throw new InputError('ends before the JSON document does (a truncated file?)', display);
    throw new NotLineLayout();
  }
  return { fields: root, streamed };
}

/** Any layout, token by token: slow, for big files agentscan did not lay out itself. */
function readStreaming(file: string, display: string, reader: DocumentReader): ReadDocument {
  const out: Record<string, unknown> = {};
  const streamed = new Set<string>();
  const counts: Record<string, number> = {};
  const parser = new JSONParser({ paths: ['$.*', ...Object.keys(reader.items).map((k) => `$.${k}.*`)], keepStack: false });
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length === 2) {
      const field = String(stack[1].key);
      const sink = reader.items[field];
      const index = (counts[field] = (counts[field] ?? -1) + 1);
      if (sink && wanted(reader, field, index)) sink(value, index);
    } else if (stack.length === 1 && typeof key === 'string') {
      if (reader.items[key] && Array.isArray(value)) streamed.add(key);
      else if (reader.keep(key)) out[key] = value;
    }
  };
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) {
      parser.write(buf.subarray(0, n));
    }
    if (!parser.isEnded) parser.end();
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`is not valid JSON (${(err as Error).message})`, display);
  } finally {
    closeSync(fd);
  }
  return { fields: out, streamed };
}
