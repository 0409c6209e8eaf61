import { existsSync, readdirSync, statSync } from 'node:fs';
import { ruleGates, type RuleGates } from './prefilter.js';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../util/errors.js';
import { displayPath, readYamlFile } from '../util/yaml-file.js';
import { compileExpression, variablesRead, type CompiledExpression } from './cel.js';
import { ruleSchema, type RuleSpec } from './schema.js';

export interface CompiledRule extends RuleSpec {
  file: string;
  builtin: boolean;
  test: CompiledExpression;
  /** What the condition's leading plain conjuncts say, checked before CEL runs. */
  gates: RuleGates;
  /** The condition reads nothing of the identity, only its own item (and params, manifest): its
   * verdict on an item shared by many identities holds for all of them. */
  itemOnly: boolean;
  evidenceExprs: Array<[string, CompiledExpression]>;
  rootCauseExpr?: CompiledExpression;
  severityExprs: Array<{ when: CompiledExpression; severity: RuleSpec['severity'] }>;
  /** The message split into literal text and compiled `{{ expr }}` placeholders. */
  messageParts: Array<string | CompiledExpression>;
  commandParts?: Partial<Record<string, Array<string | CompiledExpression>>>;
}

/** The package's own rules/ folder, found from this module's place in src/ or dist/. */
export const BUILTIN_RULES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules');

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$/.test(entry)) out.push(full);
  }
  return out;
}

/** Loads the built-in rules and every user folder; a bad file or duplicate id is an InputError. */
export function loadRules(userDirs: string[] = [], { builtin = true } = {}): CompiledRule[] {
  const dirs: Array<[string, boolean]> = [
    ...(builtin ? [[BUILTIN_RULES_DIR, true] as [string, boolean]] : []),
    ...userDirs.map((d) => [resolve(d), false] as [string, boolean]),
  ];
  const byId = new Map<string, CompiledRule>();
  for (const [dir, isBuiltin] of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new InputError('rules folder does not exist', displayPath(dir));
    }
    const files = yamlFilesUnder(dir);
    if (!isBuiltin && files.length === 0) throw new InputError('rules folder holds no .yaml rule files', displayPath(dir));
    for (const file of files) {
      const rule = compileRule(file, isBuiltin);
      const clash = byId.get(rule.id);
      if (clash) {
        throw new InputError(`rule id "${rule.id}" is already defined in ${displayPath(clash.file)}`, displayPath(file));
      }
      byId.set(rule.id, rule);
    }
  }
  return [...byId.values()];
}

export function compileRule(file: string, builtin = false): CompiledRule {
  const spec = readYamlFile(file, ruleSchema);
  const display = displayPath(file);
  const compile = (field: string, source: string): CompiledExpression => {
    try {
      return compileExpression(source, { boolean: field === 'condition' });
    } catch (err) {
      const first = (err as Error).message.split('\n')[0];
      throw new InputError(`${field}: CEL error: ${first} (in: ${source.trim()})`, display);
    }
  };
  const template = (field: string, text: string) =>
    splitTemplate(text).map((part) => (typeof part === 'string' ? part : compile(field, part.expr)));
  const commands = spec.remediation.commands;
  return {
    ...spec,
    file,
    builtin,
    test: compile('condition', spec.condition),
    gates: ruleGates(spec.condition, spec.target),
    itemOnly: spec.target !== 'identity' && [...variablesRead(spec.condition)].every((v) => v === spec.target || v === 'params' || v === 'manifest'),
    evidenceExprs: Object.entries(spec.evidence).map(([k, v]) => [k, compile(`evidence.${k}`, v)]),
    severityExprs: spec.severityWhen.map((s, i) => ({ when: compile(`severityWhen[${i}].when`, s.when), severity: s.severity })),
    rootCauseExpr: spec.rootCause ? compile('rootCause', spec.rootCause) : undefined,
    messageParts: template('message', spec.message),
    commandParts: commands
      ? Object.fromEntries(Object.entries(commands).map(([p, c]) => [p, template(`remediation.commands.${p}`, c!)]))
      : undefined,
  };
}

/** "Key {{ credential.id }} is old" → ['Key ', {expr: 'credential.id'}, ' is old'] */
export function splitTemplate(text: string): Array<string | { expr: string }> {
  const parts: Array<string | { expr: string }> = [];
  const re = /\{\{(.+?)\}\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ expr: m[1].trim() });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
