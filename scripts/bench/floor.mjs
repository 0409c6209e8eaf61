#!/usr/bin/env node
// The floor a scan is measured against: read every file of a bundle and JSON.parse each JSON
// file (the CSV credential report is read as text). Nothing a scan could skip.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let files = 0;
let bytes = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else {
      const text = readFileSync(path, 'utf8');
      bytes += text.length;
      files++;
      if (entry.name.endsWith('.json')) JSON.parse(text);
    }
  }
}
walk(process.argv[2]);
console.log(JSON.stringify({ files, bytes }));
