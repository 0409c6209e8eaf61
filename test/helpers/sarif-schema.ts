import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// The SARIF 2.1.0 schema as OASIS published it (SchemaStore's sarif-2.1.0-rtm.5), shipped
// inside Microsoft's @microsoft/jest-sarif package so the test needs no network.
const require = createRequire(import.meta.url);
const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));

// Both are CommonJS packages that also export themselves as `.default`.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;
// The published schema's `language` pattern is not valid under the `u` flag Ajv uses by default.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
export const validateSarif = ajv.compile(schema);
