import { describe, expect, test } from '@jest/globals';
import { ExitCode, LabError, isLabError } from '../src/errors.js';

describe('LabError', () => {
  test('carries code, message and hint', () => {
    const e = new LabError(ExitCode.INVALID_INPUT, 'bad', 'fix it');
    expect(isLabError(e)).toBe(true);
    expect(e.code).toBe(2);
    expect(e.hint).toBe('fix it');
    expect(isLabError(new Error('x'))).toBe(false);
  });
});
