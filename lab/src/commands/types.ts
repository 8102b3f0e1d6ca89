// What every command gets: the global options and the dependencies it may use. Commands take
// their dependencies from here so that tests can hand in real-but-local ones.
import type { Command } from 'commander';
import type { Exec } from '../exec/index.js';
import type { Output } from '../output/render.js';

export interface GlobalOptions {
  verbose: boolean;
  json: boolean;
  yes: boolean;
  dryRun: boolean;
  /** Explicit config file (--config). */
  config?: string;
  provider?: string;
  profile?: string;
}

export interface CommandContext {
  /** Reads the global options (they are parsed before any action runs). */
  globals: () => GlobalOptions;
  exec: Exec;
  out: Output;
  /** Whether prompts are allowed: a TTY, and neither --yes nor --json. */
  interactive: () => boolean;
}

export interface CommandModule {
  /** Adds the command (and its sub-commands) to the program. */
  register: (program: Command, ctx: CommandContext) => void;
}
