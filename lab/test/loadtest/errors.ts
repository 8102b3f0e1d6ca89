// The LabError a synchronous call throws (fails the test when it throws nothing or another error).
import { LabError } from '../../src/errors.js';

export function labErrorOf(fn: () => unknown): LabError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
  throw new Error('expected a LabError, nothing was thrown');
}
