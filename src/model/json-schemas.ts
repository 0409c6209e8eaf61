import { z } from 'zod';
import { configSchema } from '../config/config.js';
import { suppressionsFileSchema } from '../config/suppressions.js';
import { manifestSchema } from '../drift/manifest.js';

// The published JSON Schemas of the files users write, generated from the same zod schemas the
// tool validates with, so editors offer completion and the two never disagree. `npm run
// schemas` rewrites schemas/; a test fails when they are stale.

const SOURCES = {
  'agents.schema.json': { schema: manifestSchema, title: 'agentscan agents manifest (agents.yaml)' },
  'agentscan-config.schema.json': { schema: configSchema, title: 'agentscan configuration (agentscan.yaml)' },
  'suppressions.schema.json': { schema: suppressionsFileSchema, title: 'agentscan suppressions file' },
} as const;

export type SchemaFile = keyof typeof SOURCES;
export const SCHEMA_FILES = Object.keys(SOURCES) as SchemaFile[];

export function jsonSchema(file: SchemaFile): string {
  const { schema, title } = SOURCES[file];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...json, title }, null, 2)}\n`;
}
