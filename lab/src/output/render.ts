// How results reach the user: human text on stdout (tables, ✓/✗), or one JSON document with
// --json. Errors go to stderr. Nothing else in lab/ writes to the terminal directly.
import { isLabError } from '../errors.js';

export interface Output {
  /** Human-readable line(s) (suppressed under --json). */
  line: (text?: string) => void;
  /** The command's result: printed as JSON under --json, else through `human`. */
  result: (data: unknown, human: () => void) => void;
  error: (e: unknown, verbose: boolean) => void;
}

export type Mark = 'ok' | 'fail' | 'warn' | 'skip';
const MARKS: Record<Mark, string> = { ok: '✓', fail: '✗', warn: '!', skip: '-' };
export const mark = (m: Mark): string => MARKS[m];

/** A plain text table: columns padded to their widest cell (by code points). */
export function table(rows: readonly (readonly string[])[], header?: readonly string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  const fmt = (row: readonly string[]) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length),
      )
      .join('  ')
      .trimEnd();
  const lines = all.map(fmt);
  if (header) lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return lines.join('\n');
}

export function createOutput(
  json: () => boolean,
  stdout = process.stdout,
  stderr = process.stderr,
): Output {
  return {
    line: (text = '') => {
      if (!json()) stdout.write(`${text}\n`);
    },
    result: (data, human) => {
      if (json()) stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      else human();
    },
    error: (e, verbose) => {
      if (isLabError(e)) {
        if (json()) {
          stdout.write(
            `${JSON.stringify({ error: { code: e.code, message: e.message, hint: e.hint, details: e.details } }, null, 2)}\n`,
          );
        }
        stderr.write(`error: ${e.message}\n`);
        for (const d of e.details) stderr.write(`  - ${d}\n`);
        if (e.hint) stderr.write(`hint: ${e.hint}\n`);
        if (verbose && e.stack) stderr.write(`${e.stack}\n`);
        return;
      }
      const err = e instanceof Error ? e : new Error(String(e));
      stderr.write(`internal error: ${err.message}\n`);
      stderr.write(
        verbose
          ? `${err.stack}\n`
          : 'hint: run again with --verbose for the stack trace, and report it\n',
      );
    },
  };
}
