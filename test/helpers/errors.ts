import { expect } from 'vitest';
import { BundleError } from '../../src/util/errors.js';

/** Runs `run`, which must throw a BundleError, and returns it for the message assertions. */
export function bundleErrorOf(run: () => unknown): BundleError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(BundleError);
    return err as BundleError;
  }
  throw new Error('expected a BundleError');
}
