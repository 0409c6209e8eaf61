// Regenerates schemas/*.json from the built zod schemas (run `npm run build` first).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_FILES, jsonSchema } from './json-schemas.mjs';

for (const file of SCHEMA_FILES) {
  writeFileSync(join(import.meta.dirname, '..', 'schemas', file), jsonSchema(file));
  console.log(`schemas/${file}`);
}
