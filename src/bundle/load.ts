import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { bundleManifestSchema, type BundleManifest } from '../model/bundle.js';
import { InputError } from '../util/errors.js';
import { isInside, readTextFile, realInside } from '../util/read-file.js';
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
  const manifest = parseJson(display, readTextFile(manifestPath, display, { within: dir }), bundleManifestSchema);
  manifest.sources.forEach((source, i) => {
    const full = resolve(dir, source.path);
    const where = `at sources[${i}].path`;
    if (isAbsolute(source.path) || !isInside(resolve(dir), full) || full === resolve(dir)) {
      throw new InputError(`${where}: "${source.path}" is not a folder inside the bundle; refusing it`, display);
    }
    if (!existsSync(full) || !statSync(full).isDirectory()) {
      throw new InputError(`${where}: folder "${source.path}" does not exist`, display);
    }
    realInside(dir, full, `${display}: ${where} "${source.path}"`);
  });
  const sources = manifest.sources.map((s) => new SourceReader(dir, s, manifest.collectedAt, manifest.coverage));
  return { dir, manifest, sources };
}
