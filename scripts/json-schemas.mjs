// The published JSON Schemas of the files users write, generated from the same zod schemas the
// tool validates with, so editors offer completion and the two never disagree. `npm run
// schemas` rewrites schemas/ through write-schemas.mjs; a test fails when they are stale.
// Reads the built zod schemas (dist/), so the scanner itself never carries the schema writer.
import { z } from 'zod';
import { configSchema } from '../dist/config/config.js';
import { suppressionsFileSchema } from '../dist/config/suppressions.js';
import { manifestSchema } from '../dist/drift/manifest.js';

const SOURCES = {
  'agents.schema.json': { schema: manifestSchema, title: 'agentscan agents manifest (agents.yaml)' },
  'agentscan-config.schema.json': { schema: configSchema, title: 'agentscan configuration (agentscan.yaml)' },
  'suppressions.schema.json': { schema: suppressionsFileSchema, title: 'agentscan suppressions file' },
};

export const SCHEMA_FILES = Object.keys(SOURCES);

export function jsonSchema(file) {
  const { schema, title } = SOURCES[file];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...json, title }, null, 2)}\n`;
}
