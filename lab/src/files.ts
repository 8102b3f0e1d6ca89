// Reading a file the user named: a missing or unreadable file is invalid input with a message
// that says which file and what it was for, never an ENOENT stack trace.
import { readFileSync } from 'node:fs';
import { ExitCode, LabError } from './errors.js';

/** Reads `file` as UTF-8; `what` names it for the user ("thresholds file"), `hint` says what to do. */
export function readUserFile(file: string, what: string, hint: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LabError(
      ExitCode.INVALID_INPUT,
      code === 'ENOENT' ? `${what} ${file} does not exist` : `cannot read ${what} ${file}: ${code}`,
      hint,
    );
  }
}
