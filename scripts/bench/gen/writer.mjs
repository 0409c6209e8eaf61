import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Writes a generated bundle the way src/bundle/write.ts does: one folder per source, JSON
// two-space indented, bundle.json listing the sources and an `ok` coverage entry per call.

export const COLLECTED_AT = '2026-11-20T09:30:00Z';

export class GeneratedBundle {
  constructor(root) {
    this.root = root;
    this.sources = [];
    this.coverage = [];
    this.files = 0;
    this.bytes = 0;
  }

  source(provider, scope) {
    const path = `${provider}/${scope}`;
    this.sources.push({ provider, scope, path });
    const dir = join(this.root, path);
    const made = new Set();
    const write = (file, text) => {
      const full = join(dir, file);
      const parent = dirname(full);
      if (!made.has(parent)) {
        mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      writeFileSync(full, text);
      this.files++;
      this.bytes += Buffer.byteLength(text);
    };
    return {
      json: (file, body) => write(file, `${JSON.stringify(body, null, 2)}\n`),
      text: (file, text) => write(file, text),
      ok: (...calls) => {
        for (const call of calls) this.coverage.push({ provider, scope, call, status: 'ok' });
      },
    };
  }

  finish() {
    mkdirSync(this.root, { recursive: true });
    const manifest = {
      format: 'agentscan-bundle',
      formatVersion: 1,
      tool: { name: 'agentscan', version: 'bench-generator' },
      collectedAt: COLLECTED_AT,
      sources: this.sources,
      coverage: this.coverage,
    };
    writeFileSync(join(this.root, 'bundle.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    this.files++;
  }
}

/** Splits `total` into `parts` near-equal counts (the first ones get the remainder). */
export function split(total, parts) {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

/** Cuts a list into pages of `size` (at least one page, possibly empty). */
export function pages(list, size) {
  if (list.length === 0) return [[]];
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
