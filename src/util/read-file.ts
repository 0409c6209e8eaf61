import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs';
import { relative, isAbsolute, sep } from 'node:path';
import { intFromEnv } from '../collect/timeouts.js';
import { InputError } from './errors.js';

// Every file agentscan reads comes from someone else: a bundle, a config, a rule, a baseline.
// Before a byte is read, the file must be a regular file (never a folder, FIFO, socket or
// device: opening a FIFO would block, reading a device would never end), no larger than a
// limit (a file over Node's string limit aborts the process), and, for bundle files, inside
// the bundle folder once symlinks are resolved — so a hostile bundle cannot make the scanner
// read, and then quote in an error, a file elsewhere.

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/** AGENTSCAN_MAX_FILE_BYTES: the largest input file, default 256 MiB, at most 500 MiB (under Node's string limit). */
export function maxFileBytes(env: NodeJS.ProcessEnv = process.env): number {
  return intFromEnv(env, 'AGENTSCAN_MAX_FILE_BYTES', DEFAULT_MAX_FILE_BYTES, 1, 500 * 1024 * 1024);
}

/** true when `path` is `root` or below it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** `full` with symlinks resolved, refusing one that leads outside `root` (both real paths compared). */
export function realInside(root: string, full: string, display: string): string {
  let real: string;
  try {
    real = realpathSync(full);
  } catch (err) {
    throw new InputError(`cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, display);
  }
  if (!isInside(realpathSync(root), real)) {
    throw new InputError('leads outside the bundle folder (through a symbolic link); refusing to read it', display);
  }
  return real;
}

export interface ReadFileOptions {
  /** The file must resolve inside this folder (the bundle). */
  within?: string;
  maxBytes?: number;
}

function openChecked(file: string, display: string, opts: ReadFileOptions): { fd: number; size: number } {
  const path = opts.within ? realInside(opts.within, file, display) : file;
  let fd: number;
  try {
    // Non-blocking, so opening a FIFO returns at once and the type check below refuses it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'file does not exist' : `cannot read file (${code ?? (err as Error).message})`, display);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError('is a folder, where a file was expected', display);
    if (!stat.isFile()) throw new InputError('is not a regular file (a FIFO, socket or device); refusing to read it', display);
    return { fd, size: stat.size };
  } catch (err) {
    closeSync(fd);
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, display);
  }
}

/** The checks above but the size limit, for readers that stream a file rather than hold it;
 * returns the file's size. */
export function checkInputFile(file: string, display: string, opts: Omit<ReadFileOptions, 'maxBytes'> = {}): number {
  const { fd, size } = openChecked(file, display, opts);
  closeSync(fd);
  return size;
}

/** The file as UTF-8 text, after the checks above; every refusal is an InputError naming `display`. */
export function readTextFile(file: string, display: string, opts: ReadFileOptions = {}): string {
  const limit = opts.maxBytes ?? maxFileBytes();
  const { fd, size } = openChecked(file, display, opts);
  try {
    if (size > limit) {
      throw new InputError(`file is ${size} bytes, over the limit of ${limit} (AGENTSCAN_MAX_FILE_BYTES)`, display);
    }
    const bytes = readFileSync(fd);
    // A file can grow between fstat and read.
    if (bytes.length > limit) throw new InputError(`file is over the limit of ${limit} bytes (AGENTSCAN_MAX_FILE_BYTES)`, display);
    return bytes.toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, display);
  } finally {
    closeSync(fd);
  }
}
