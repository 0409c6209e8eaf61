// The built modules the bench scripts measure: this checkout's dist/, or another build's (a
// worktree of an older commit) for before/after comparisons.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** import() of a module of the build in `dir` (default: dist/), by its path inside it. */
export function distImporter(dir = join(REPO, 'dist')) {
  const root = resolve(dir);
  return (file) => import(pathToFileURL(join(root, file)).href);
}
