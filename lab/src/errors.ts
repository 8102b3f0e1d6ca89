// Every failure a user can cause or fix is a LabError: a stable code (the exit code), a message
// saying what is wrong, and a hint saying what to do. cli.ts prints them without a stack trace.

/** Documented exit codes (README "Exit codes"). */
export const ExitCode = {
  OK: 0,
  /** The command ran and its verdict is negative (gate failed, doctor found no usable provider). */
  FAILED: 1,
  /** Bad input: config, flags, files. Nothing was changed. */
  INVALID_INPUT: 2,
  /** An external tool failed (ansible, vagrant, jmeter...). */
  TOOL_FAILED: 3,
  /** A prerequisite is missing (tool not installed, provider unavailable). */
  PREREQUISITE: 4,
  /** Interrupted (Ctrl-C) or timed out. */
  INTERRUPTED: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class LabError extends Error {
  override readonly name = 'LabError';
  constructor(
    readonly code: ExitCodeValue,
    message: string,
    readonly hint?: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export const isLabError = (e: unknown): e is LabError => e instanceof LabError;
