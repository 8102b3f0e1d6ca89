// One log file per run under .lab/logs/, plus what the user asked to see on stderr.
// Secrets are never passed to the logger (they never appear in argv or messages).
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

type Level = 'debug' | 'info' | 'warn' | 'error';

class RunLog {
  private file: string | null = null;
  verbose = false;
  /** Human lines on stderr (off with --json, whose stdout must stay machine-readable). */
  quiet = false;

  open(dir: string, command: string, now = new Date()): string {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    this.file = path.join(dir, `${stamp}-${command.replace(/[^\w-]+/g, '_') || 'lab'}.log`);
    this.write('info', `lab ${command} (node ${process.version}, pid ${process.pid})`);
    return this.file;
  }

  get path(): string | null {
    return this.file;
  }

  private write(level: Level, message: string): void {
    if (!this.file) return;
    try {
      appendFileSync(this.file, `${new Date().toISOString()} ${level.toUpperCase()} ${message}\n`, {
        mode: 0o600,
      });
    } catch {
      this.file = null; // an unwritable log must not break the command
    }
  }

  debug(message: string): void {
    this.write('debug', message);
    if (this.verbose && !this.quiet) process.stderr.write(`${message}\n`);
  }
  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
    if (!this.quiet) process.stderr.write(`warning: ${message}\n`);
  }
  error(message: string): void {
    this.write('error', message);
  }
}

export const log = new RunLog();
