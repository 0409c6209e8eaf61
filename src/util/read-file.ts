import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs';
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
  return checkOpened(fd, display);
}

/** A file's name in messages, or a function that makes it: only called for a message. */
type Shown = string | (() => string);
const named = (display: Shown): string => (typeof display === 'string' ? display : display());

/** The type check on an open file: closes it and throws unless it is a regular file. */
function checkOpened(fd: number, display: Shown): { fd: number; size: number } {
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new InputError('is a folder, where a file was expected', named(display));
    if (!stat.isFile()) throw new InputError('is not a regular file (a FIFO, socket or device); refusing to read it', named(display));
    return { fd, size: stat.size };
  } catch (err) {
    closeSync(fd);
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, named(display));
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
  return readOpened(openChecked(file, display, opts), display, limit);
}

function readOpened({ fd, size }: { fd: number; size: number }, display: Shown, limit: number): string {
  try {
    if (size > limit) {
      throw new InputError(`file is ${size} bytes, over the limit of ${limit} (AGENTSCAN_MAX_FILE_BYTES)`, named(display));
    }
    const bytes = readFileSync(fd);
    // A file can grow between fstat and read.
    if (bytes.length > limit) throw new InputError(`file is over the limit of ${limit} bytes (AGENTSCAN_MAX_FILE_BYTES)`, named(display));
    return bytes.toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, named(display));
  } finally {
    closeSync(fd);
  }
}

// Without O_NOFOLLOW (Windows) every read takes the realpath way.
const NOFOLLOW_OPEN = constants.O_NOFOLLOW === undefined ? undefined : constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/** Reads files below one folder (a bundle) with the checks of `readTextFile({ within })`, for
 * thousands of files at a time. Resolving a file's real path walks every component of it with
 * lstat; here each folder's real path is resolved and checked once, and a file is opened by
 * that real path with O_NOFOLLOW: its folder is inside the bundle, and an open that would follow
 * a symlink in the last component fails (ELOOP) — such a file, and anything else unusual, is
 * read the slow way, through realpath, so every outcome and message is the one `readTextFile`
 * gives. */
export class ConfinedFolder {
  private rootReal: string | undefined;
  private limit: number | undefined;
  /** Folder (resolved path) → its real path, inside the root; null when its files go the slow way. */
  private readonly folders = new Map<string, string | null>();

  constructor(readonly root: string) {}

  private realRoot(): string {
    this.rootReal ??= realpathSync(this.root);
    return this.rootReal;
  }

  private realFolder(folder: string): string | null {
    let real = this.folders.get(folder);
    if (real !== undefined) return real;
    real = null;
    try {
      const resolved = realpathSync(folder);
      if (isInside(this.realRoot(), resolved)) real = resolved;
    } catch {
      // the slow way says what is wrong, naming the file
    }
    this.folders.set(folder, real);
    return real;
  }

  /** The text of `file` (an absolute path below the root), or undefined when nothing is there
   * (as `existsSync` says: no entry, or a symlink that leads nowhere). `display` names the file
   * in errors; it is called only when there is one. */
  readIfPresent(file: string, display: () => string): string | undefined {
    this.limit ??= maxFileBytes();
    const slash = file.lastIndexOf(sep);
    const folder = NOFOLLOW_OPEN === undefined || slash < 0 ? null : this.realFolder(file.slice(0, slash) || sep);
    if (folder !== null) {
      let fd: number | undefined;
      try {
        // A last component of '.' or '..' opens a folder, which the type check refuses.
        fd = openSync(`${folder}${folder.endsWith(sep) ? '' : sep}${file.slice(slash + 1)}`, NOFOLLOW_OPEN!);
      } catch (err) {
        // No entry in a folder that exists: what existsSync calls absent. Anything else (a
        // symlink, no permission) goes the slow way for its message.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      }
      if (fd !== undefined) return readOpened(checkOpened(fd, display), display, this.limit);
    }
    if (!existsSync(file)) return undefined;
    return readTextFile(file, display(), { within: this.root, maxBytes: this.limit });
  }
}
