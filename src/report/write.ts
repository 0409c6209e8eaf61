import { closeSync, constants, copyFileSync, existsSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { isInside } from '../util/read-file.js';

// Reports are written all or nothing: each goes to a temporary file beside its target (rendered
// chunk by chunk as it is written), and only when all of them are written are they renamed into
// place. A second unwritable -o therefore leaves the first file as it was.
// Failures (a folder in the way, a missing or read-only parent, a full disk) are exit 2
// naming the file. A report is never written over a file of the bundle being scanned.

type Rendered = string | Iterable<string>;

export interface ReportFile {
  file: string;
  /** The report, or its chunks in order: a big report is never one string (report/json-layout.ts).
   * Or what renders it when its turn comes: a 100,000-identity scan's reports (and the cleaned
   * copy of the scan some of them print from) then exist one at a time, not all at once. */
  text: Rendered | (() => Rendered);
  /** The same report as the one written to this other file of the list (a snapshot beside -o
   * json): copied from it rather than rendered again, which at 100,000 identities is half a minute. */
  sameAs?: string;
}

/** Writes every chunk to `file` (flag 'wx': a new temporary file; 'w': a device or FIFO as it is). */
function writeChunks(file: string, text: Rendered, flag: 'wx' | 'w'): void {
  const fd = openSync(file, flag);
  try {
    for (const chunk of typeof text === 'string' ? [text] : text) writeAll(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

const renderNow = (text: ReportFile['text']): Rendered => (typeof text === 'function' ? text() : text);

/** One buffer every chunk is encoded into: a gigabyte report encoded chunk by chunk into fresh
 * buffers left a gigabyte of them for the collector, which counts them late. */
const encoded = Buffer.allocUnsafe(4 << 20);
/** Characters encoded at a time: at most 3 bytes each in UTF-8. */
const SLICE = encoded.length / 4;

function writeAll(fd: number, chunk: string): void {
  // A long string (a report rendered whole) is encoded a slice at a time, never cutting a
  // surrogate pair in two.
  for (let start = 0; start < chunk.length; ) {
    let end = Math.min(start + SLICE, chunk.length);
    if (end < chunk.length && (chunk.charCodeAt(end - 1) & 0xfc00) === 0xd800) end++;
    const length = encoded.write(end - start === chunk.length ? chunk : chunk.slice(start, end), 0, 'utf8');
    let done = 0;
    while (done < length) done += writeSync(fd, encoded, done, length - done);
    start = end;
  }
}

/** Standard output, chunk by chunk (synchronous for files and pipes on Linux and macOS). */
export function writeStdout(text: Rendered): void {
  for (const chunk of typeof text === 'string' ? [text] : text) process.stdout.write(chunk);
}

function fsError(err: unknown, file: string, what: string): InputError {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new InputError(`cannot write the report: ${what} (${code})`, file);
}

/** The real path `file` would have, following symlinks in its existing parents. */
function realTarget(file: string): string {
  let dir = dirname(resolve(file));
  const rest: string[] = [basename(file)];
  while (!existsSync(dir) && dirname(dir) !== dir) {
    rest.unshift(basename(dir));
    dir = dirname(dir);
  }
  let real = existsSync(dir) ? realpathSync(dir) : dir;
  real = join(real, ...rest);
  return existsSync(real) ? realpathSync(real) : real;
}

/** `protect`: the bundle folders being scanned, whose files a report must never replace. */
export function writeReports(reports: ReportFile[], protect: string[] = []): void {
  const guarded = protect.filter((p) => existsSync(p)).map((p) => realpathSync(p));
  for (const { file } of reports) {
    if (guarded.some((g) => isInside(g, realTarget(file)))) {
      throw new InputError('is inside the bundle being scanned; refusing to write a report over its files', file);
    }
    if (existsSync(file) && statSync(file).isDirectory()) throw new InputError('cannot write the report: a folder of that name is in the way', file);
  }
  // A device or FIFO (-o /dev/stdout) is written as it is: renaming over it would replace it.
  const special = (file: string) => existsSync(file) && !statSync(file).isFile();
  const staged: Array<{ temp: string; file: string }> = [];
  try {
    reports.forEach(({ file, text, sameAs }, i) => {
      if (special(file)) return;
      try {
        mkdirSync(dirname(file), { recursive: true });
      } catch (err) {
        throw fsError(err, file, `cannot create its folder ${dirname(file)}`);
      }
      const temp = join(dirname(file), `.${basename(file)}.agentscan-${process.pid}-${i}.tmp`);
      const original = sameAs === undefined ? undefined : staged.find((s) => s.file === sameAs);
      if (original) {
        staged.push({ temp, file });
        try {
          copyFileSync(original.temp, temp, constants.COPYFILE_EXCL);
        } catch (err) {
          throw fsError(err, file, 'the file could not be written');
        }
        return;
      }
      // Rendered outside the file handling: a failure to render is not a failure to write.
      const rendered = renderNow(text);
      staged.push({ temp, file });
      try {
        writeChunks(temp, rendered, 'wx');
      } catch (err) {
        throw fsError(err, file, 'the file could not be written');
      }
    });
    for (const { file, text } of reports.filter((r) => special(r.file))) {
      const rendered = renderNow(text);
      try {
        writeChunks(file, rendered, 'w');
      } catch (err) {
        throw fsError(err, file, 'the file could not be written');
      }
    }
    for (const { temp, file } of staged) {
      try {
        renameSync(temp, file);
      } catch (err) {
        throw fsError(err, file, 'the file could not be put in place');
      }
    }
  } finally {
    for (const { temp } of staged) rmSync(temp, { force: true });
  }
}
