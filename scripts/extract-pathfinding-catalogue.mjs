// Trims Datadog's pathfinding.cloud catalogue of AWS privilege-escalation paths
// (github.com/DataDog/pathfinding.cloud, docs/paths.json: the JSON the site serves, generated
// from data/paths/**/*.yaml) to what agentscan checks its escalation methods against — each
// path's id, name, category, the permissions it requires and its parent variant — into
// test/emulators/specs/aws/pathfinding-catalogue.json. test/providers/aws/escalation-refs.test.ts
// reads it: every path id src/providers/aws/analysis/escalation-methods.ts cites must exist
// there and need exactly the permissions the method requires.
// Run: node scripts/extract-pathfinding-catalogue.mjs PATH/TO/paths.json [COMMIT]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [, , file, commit] = process.argv;
if (!file) {
  console.error('usage: node scripts/extract-pathfinding-catalogue.mjs pathfinding.cloud/docs/paths.json [commit]');
  process.exit(2);
}
let upstream;
try {
  upstream = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`${file}: not a readable JSON file (${err.message})`);
  process.exit(2);
}
if (!Array.isArray(upstream)) {
  console.error(`${file}: expected the array of paths pathfinding.cloud serves as paths.json`);
  process.exit(2);
}
const paths = upstream
  .map((p, i) => {
    const required = p.permissions?.required;
    if (typeof p.id !== 'string' || !Array.isArray(required)) {
      throw new Error(`${file}: path #${i} has no id or no permissions.required`);
    }
    return {
      id: p.id,
      name: p.name,
      category: p.category,
      required: required.map((r) => r.permission),
      ...(p.parent?.id ? { parent: p.parent.id } : {}),
    };
  })
  .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
const target = join(import.meta.dirname, '..', 'test', 'emulators', 'specs', 'aws', 'pathfinding-catalogue.json');
const source = `DataDog/pathfinding.cloud docs/paths.json${commit ? ` at ${commit}` : ''}`;
writeFileSync(target, `${JSON.stringify({ source, paths }, null, 1)}\n`);
console.log(`wrote ${target}: ${paths.length} paths`);
