// The only module that starts processes. Intent-named wrappers elsewhere call `run()` with an
// argv array (never a shell string), a cwd, an env and a timeout; a failure becomes a LabError
// carrying the command, the exit code, the last lines of stderr and what to do next.
import { ExitCode, LabError } from '../errors.js';
import { log } from '../output/log.js';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Milliseconds; every external command has one. */
  timeoutMs?: number;
  input?: string;
  /** Stream output lines to this callback as they arrive (progress). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** What to tell the user when the command fails. */
  hint?: string;
  /** Resolve instead of throwing on a non-zero exit. */
  reject?: boolean;
}

export interface RunResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export type Exec = (
  file: string,
  args: readonly string[],
  options?: RunOptions,
) => Promise<RunResult>;

const TAIL_LINES = 15;
const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export const tail = (text: string, lines = TAIL_LINES): string[] =>
  text.trimEnd().split('\n').slice(-lines).filter(Boolean);

/** Quotes an argv for logs; secrets never go in argv, so this is safe to log. */
export const formatCommand = (file: string, args: readonly string[]): string =>
  [file, ...args]
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');

export const run: Exec = async (file, args, options = {}) => {
  const command = formatCommand(file, args);
  const started = Date.now();
  log.debug(`exec: ${command}${options.cwd ? ` (in ${options.cwd})` : ''}`);
  // Loaded on first use: commands that spawn nothing (lab --help, config) start faster.
  const { execa } = await import('execa');
  const child = execa(file, [...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    input: options.input,
    reject: false,
    all: false,
    stripFinalNewline: true,
  });
  if (options.onLine) {
    const onLine = options.onLine;
    const pipe = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
      let buffer = '';
      stream?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          onLine(buffer.slice(0, nl), name);
          buffer = buffer.slice(nl + 1);
        }
      });
    };
    pipe(child.stdout, 'stdout');
    pipe(child.stderr, 'stderr');
  }
  const r = await child;
  const result: RunResult = {
    command,
    exitCode: r.exitCode ?? -1,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    durationMs: Date.now() - started,
    timedOut: Boolean(r.timedOut),
  };
  log.debug(`exec: exit ${result.exitCode} after ${result.durationMs} ms: ${command}`);
  if ('code' in r && r.code === 'ENOENT') {
    throw new LabError(
      ExitCode.PREREQUISITE,
      `${file} is not installed (not found on PATH)`,
      options.hint ?? 'run `lab doctor` to see what is missing and how to install it',
    );
  }
  if (result.timedOut) {
    throw new LabError(
      ExitCode.INTERRUPTED,
      `${command} did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`,
      options.hint,
      tail(result.stderr || result.stdout),
    );
  }
  if (result.exitCode !== 0 && options.reject !== false) {
    throw new LabError(
      ExitCode.TOOL_FAILED,
      `${command} failed with exit code ${result.exitCode}`,
      options.hint,
      tail(result.stderr || result.stdout),
    );
  }
  return result;
};

/** Whether a command exists and runs (`<file> <args>` exits 0), without throwing. */
export async function probe(
  file: string,
  args: readonly string[],
  timeoutMs = 10_000,
): Promise<RunResult | null> {
  try {
    const r = await run(file, args, { timeoutMs, reject: false });
    return r.exitCode === 0 ? r : null;
  } catch {
    return null;
  }
}
