import { relative } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError } from './errors.js';
import { readTextFile } from './read-file.js';
import { formatPath } from './zod-issues.js';

/** Aliases a rule, config, manifest or suppression file may expand: enough for hand-written
 * anchors, far too few for an alias bomb. */
const MAX_ALIAS_COUNT = 100;

/** Reads a YAML file and validates it, so every problem is reported as `file:line: path: what`. */
export function readYamlFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  return parseYamlText(readTextFile(file, displayPath(file)), displayPath(file), schema);
}

export function parseYamlText<S extends z.ZodType>(text: string, display: string, schema: S): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    throw new InputError(`line ${pos.line}: YAML error: ${e.message.split('\n')[0]}`, display);
  }
  let value: unknown;
  try {
    // Aliases expand on conversion; a few nested ones can stand for billions of nodes.
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new InputError(`YAML error: ${(err as Error).message.split('\n')[0]} (more than ${MAX_ALIAS_COUNT} alias expansions are refused)`, display);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    // An unknown field is usually a typo that also explains a "missing" one: report it first.
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
    let path = [...issue.path];
    let what = issue.message.replace(/^Invalid input: expected (\w+), received undefined$/, 'required field is missing (expected $1)');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      path = [...path, key];
      what = `unknown field "${key}"`;
    }
    const line = lineOf(doc, path, lineCounter);
    const where = [line ? `line ${line}` : '', path.length ? formatPath(path) : '(top level)'].filter(Boolean).join(': ');
    throw new InputError(`${where}: ${what}`, display);
  }
  return parsed.data;
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** The 1-based line of the node at `path`, or of its nearest existing ancestor. */
function lineOf(doc: Document, path: ReadonlyArray<PropertyKey>, lc: LineCounter): number | undefined {
  let node: Node | null | undefined = doc.contents;
  let best = node?.range ? lc.linePos(node.range[0]).line : undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === part);
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      if (keyNode?.range) best = lc.linePos(keyNode.range[0]).line;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part] as Node | null;
      if (node?.range) best = lc.linePos(node.range[0]).line;
    } else break;
  }
  return best;
}

/** A lookup of the 1-based line of a path in a YAML text (for pointing at an entry, e.g. in SARIF). */
export function yamlLineFinder(text: string): (path: ReadonlyArray<PropertyKey>) => number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return (path) => lineOf(doc, path, lineCounter);
}
