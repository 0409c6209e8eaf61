import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../model/finding.js';
import type { CompiledRule } from '../rules/load.js';
import { parameterValue } from '../rules/schema.js';
import { suppressionSchema, type Suppression } from './suppressions.js';
import type { RuleSettings } from '../rules/evaluate.js';
import { InputError } from '../util/errors.js';
import { displayPath, readYamlFile } from '../util/yaml-file.js';

const ruleOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES).optional(),
  parameters: z.record(z.string(), parameterValue).optional(),
});

export const configSchema = z.strictObject({
  /** Extra rule folders, relative to the config file. */
  rules: z.array(z.string()).default([]),
  /** Per-rule overrides by rule id. */
  overrides: z.record(z.string(), ruleOverrideSchema).default({}),
  /** Extra agent-recognition pattern files, relative to the config file. */
  agentPatterns: z.array(z.string()).default([]),
  /** A severity, or `none`: no gate. */
  failOn: z.enum([...SEVERITIES, 'none']).optional(),
  /** The agents manifest, relative to the config file (also --manifest). */
  manifest: z.string().min(1).optional(),
  /** Muted findings, each with a reason and an optional expiry. */
  suppressions: z.array(suppressionSchema).default([]),
});

export interface Config extends Omit<z.infer<typeof configSchema>, 'suppressions'> {
  file?: string;
  suppressions: Suppression[];
}

export const DEFAULT_CONFIG_FILE = 'agentscan.yaml';

/** Reads `--config FILE`, or ./agentscan.yaml when present. Paths inside resolve against the file. */
export function loadConfig(file?: string): Config {
  const path = file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return { ...configSchema.parse({}), suppressions: [] };
  if (!existsSync(path)) throw new InputError('config file does not exist', path);
  const spec = readYamlFile(path, configSchema);
  const base = dirname(resolve(path));
  return {
    ...spec,
    rules: spec.rules.map((d) => resolve(base, d)),
    agentPatterns: spec.agentPatterns.map((f) => resolve(base, f)),
    ...(spec.manifest && { manifest: resolve(base, spec.manifest) }),
    suppressions: spec.suppressions.map((x, i) => ({ ...x, source: `${displayPath(path)}#${i}` })),
    file: path,
  };
}

/** Applies overrides to the loaded rules: drops disabled ones, checks names and parameter types. */
export function applyOverrides(
  rules: CompiledRule[],
  config: Config,
): { rules: CompiledRule[]; settings: Map<string, RuleSettings> } {
  const where = config.file ? displayPath(config.file) : 'config';
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const [id, override] of Object.entries(config.overrides)) {
    const rule = byId.get(id);
    if (!rule) throw new InputError(`overrides.${id}: no rule has the id "${id}" (see \`agentscan rules list\`)`, where);
    for (const [name, value] of Object.entries(override.parameters ?? {})) {
      if (!(name in rule.parameters)) {
        const known = Object.keys(rule.parameters).join(', ') || 'none';
        throw new InputError(`overrides.${id}.parameters.${name}: rule ${id} has no such parameter (it has: ${known})`, where);
      }
      const expected = Array.isArray(rule.parameters[name]) ? 'array' : typeof rule.parameters[name];
      const actual = Array.isArray(value) ? 'array' : typeof value;
      if (expected !== actual) {
        throw new InputError(`overrides.${id}.parameters.${name}: expected ${expected}, got ${actual}`, where);
      }
    }
  }
  const settings = new Map<string, RuleSettings>();
  const enabled = rules.filter((r) => config.overrides[r.id]?.enabled !== false);
  for (const rule of enabled) {
    const o = config.overrides[rule.id];
    settings.set(rule.id, {
      severity: (o?.severity ?? rule.severity) as Severity,
      ...(o?.severity && { severityFixed: true }),
      parameters: { ...rule.parameters, ...(o?.parameters ?? {}) },
    });
  }
  return { rules: enabled, settings };
}
