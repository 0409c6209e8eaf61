import { InputError } from '../util/errors.js';

// Report files for every command that reports (scan, diff): `-o FORMAT=FILE`, repeatable, or a
// file name whose extension names the format. Writing them is report/write.ts.

export interface OutputSpec<F extends string> {
  format: F;
  file: string;
}

/** `sarif=out/results.sarif`, or a bare path whose extension names the format. */
export function parseOutputSpec<F extends string>(spec: string, formats: readonly F[], byExtension: Record<string, F>): OutputSpec<F> {
  const eq = spec.indexOf('=');
  if (eq > 0 && !spec.slice(0, eq).includes('/')) {
    const format = spec.slice(0, eq);
    if (!(formats as readonly string[]).includes(format)) {
      throw new InputError(`--output ${spec}: unknown format "${format}"; expected one of ${formats.join(', ')}`);
    }
    const file = spec.slice(eq + 1);
    if (!file) throw new InputError(`--output ${spec}: no file name after "="`);
    return { format: format as F, file };
  }
  const ext = spec.match(/\.[a-z]+$/i)?.[0].toLowerCase();
  const format = ext ? byExtension[ext] : undefined;
  if (!format || !formats.includes(format)) {
    throw new InputError(`--output ${spec}: cannot tell the format from the file name; write FORMAT=FILE (formats: ${formats.join(', ')})`);
  }
  return { format, file: spec };
}
