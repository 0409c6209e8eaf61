// Errors that map to the documented exit codes. Anything else is a bug and exits 70.

/** Bad usage, bad config, bad input file: exit 2, with a message naming the file. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'InputError';
  }
}

/** A bundle file is missing or does not have the shape the provider's API returns. */
export class BundleError extends InputError {
  constructor(file: string, path: string, problem: string) {
    super(path ? `at ${path}: ${problem}` : problem, file);
    this.name = 'BundleError';
  }
}

export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  incomplete: 3,
  internal: 70,
} as const;
