// One JSON object per line on stdout: what container log collectors expect. The sink is
// injectable so tests can read the lines and the benchmark can discard them (still formatted).
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LogSink {
  write(line: string): unknown;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  service: string;
  version: string;
  level?: LogLevel;
  sink?: LogSink;
}

export function createLogger({
  service,
  version,
  level = 'info',
  sink = process.stdout,
}: LoggerOptions): Logger {
  const threshold = RANK[level];
  // The fixed part of every line is serialised once; per line only the time, message and fields.
  const fixed = `,"service":${JSON.stringify(service)},"version":${JSON.stringify(version)}`;
  const emit = (
    lvl: Exclude<LogLevel, 'silent'>,
    msg: string,
    fields?: Record<string, unknown>,
  ) => {
    if (RANK[lvl] < threshold) return;
    const rest = fields ? JSON.stringify(fields) : '{}';
    sink.write(
      `{"time":"${new Date().toISOString()}","level":"${lvl}"${fixed},"msg":${JSON.stringify(msg)}${rest.length > 2 ? `,${rest.slice(1)}` : '}'}\n`,
    );
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/** A sink that keeps nothing, for benchmarks. */
export const discardSink: LogSink = { write: () => true };
