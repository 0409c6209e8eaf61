import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readYamlFile } from '../util/yaml-file.js';
import { InputError } from '../util/errors.js';

const regexList = z.array(z.string()).default([]);
const patternSet = z.strictObject({
  names: regexList,
  tagKeys: regexList,
  tagValues: regexList,
  trustPrincipals: regexList,
  services: regexList,
  apps: regexList,
  /** Logins of accounts that are machines though the provider calls them users. */
  machineUsers: regexList,
  /** Entra enterprise applications of AI products, by display name. */
  entraApps: regexList,
});
const patternsFileSchema = z.strictObject({
  agent: patternSet.partial().default({}),
  automation: patternSet.partial().default({}),
});

type Field = keyof z.infer<typeof patternSet>;
export type PatternSet = Record<Field, RegExp[]>;
export interface AgentPatterns {
  agent: PatternSet;
  automation: PatternSet;
}

export const BUILTIN_PATTERNS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'agent-patterns.yaml');
const FIELDS: Field[] = ['names', 'tagKeys', 'tagValues', 'trustPrincipals', 'services', 'apps', 'machineUsers', 'entraApps'];
export const BUILTIN_AI_APPS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'ai-apps.yaml');
const aiAppsSchema = z.strictObject({ github: z.array(z.string()).default([]), entra: z.array(z.string()).default([]) });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function emptySet(): PatternSet {
  return Object.fromEntries(FIELDS.map((f) => [f, []])) as unknown as PatternSet;
}

/** Built-in patterns plus any user files, whose lists are appended. */
export function loadPatterns(extraFiles: string[] = []): AgentPatterns {
  const out: AgentPatterns = { agent: emptySet(), automation: emptySet() };
  // The AI app catalogue: exact GitHub App slugs; Entra display names as written (regular expressions).
  const catalogue = readYamlFile(BUILTIN_AI_APPS_FILE, aiAppsSchema);
  out.agent.apps.push(...catalogue.github.map((slug) => new RegExp(`^${escape(slug)}$`, 'i')));
  catalogue.entra.forEach((name, i) => {
    try {
      out.agent.entraApps.push(new RegExp(`^${name}\\b`, 'i'));
    } catch (err) {
      throw new InputError(`entra[${i}]: invalid regular expression: ${(err as Error).message}`, BUILTIN_AI_APPS_FILE);
    }
  });
  for (const file of [BUILTIN_PATTERNS_FILE, ...extraFiles]) {
    const spec = readYamlFile(file, patternsFileSchema);
    for (const side of ['agent', 'automation'] as const) {
      for (const field of FIELDS) {
        (spec[side][field] ?? []).forEach((source, i) => {
          try {
            out[side][field].push(new RegExp(source, 'i'));
          } catch (err) {
            throw new InputError(`${side}.${field}[${i}]: invalid regular expression: ${(err as Error).message}`, file);
          }
        });
      }
    }
  }
  return out;
}
