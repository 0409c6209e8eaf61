import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleManifestSchema, type BundleManifest } from '../model/bundle.js';
import { InputError } from '../util/errors.js';
import { parseJson } from './source-reader.js';
import { SourceReader } from './source-reader.js';

export interface LoadedBundle {
  dir: string;
  manifest: BundleManifest;
  sources: SourceReader[];
}

export function loadBundle(dir: string): LoadedBundle {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('bundle folder does not exist', dir);
  }
  const manifestPath = join(dir, 'bundle.json');
  if (!existsSync(manifestPath)) {
    throw new InputError('not a bundle: bundle.json is missing (create one with `agentscan collect --out DIR`)', dir);
  }
  const display = relative(process.cwd(), manifestPath) || manifestPath;
  const manifest = parseJson(display, readFileSync(manifestPath, 'utf8'), bundleManifestSchema);
  manifest.sources.forEach((source, i) => {
    const full = join(dir, source.path);
    if (!existsSync(full) || !statSync(full).isDirectory()) {
      throw new InputError(`at sources[${i}].path: folder "${source.path}" does not exist`, display);
    }
  });
  const sources = manifest.sources.map((s) => new SourceReader(dir, s, manifest.collectedAt, manifest.coverage));
  return { dir, manifest, sources };
}
