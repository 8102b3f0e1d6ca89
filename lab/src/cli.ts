#!/usr/bin/env node
// Wiring only: commander → command modules. Commands throw LabError; this file prints it and
// sets the exit code. Nothing below calls process.exit.
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import type { CommandContext, GlobalOptions } from './commands/types.js';
import { ExitCode, LabError } from './errors.js';
import { run } from './exec/index.js';
import { log } from './output/log.js';
import { createOutput } from './output/render.js';
import { statePaths } from './state.js';

export function buildProgram(ctxOverrides: Partial<CommandContext> = {}): {
  program: Command;
  ctx: CommandContext;
} {
  const program = new Command();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const ctx: CommandContext = {
    globals,
    exec: run,
    out: createOutput(() => globals().json),
    interactive: () =>
      Boolean(process.stdin.isTTY && process.stdout.isTTY) && !globals().yes && !globals().json,
    ...ctxOverrides,
  };
  program
    .name('lab')
    .description('CI/CD Lab: bring up, check and drive a local Jenkins/Ansible/monitoring lab')
    .option('-v, --verbose', 'show debug output and stack traces', false)
    .option('--json', 'print machine-readable JSON on stdout', false)
    .option('-y, --yes', 'never prompt; fail with a hint where a choice is needed', false)
    .option('--dry-run', 'show what would be done without changing anything', false)
    .option('-c, --config <file>', 'lab config file (default: lab.config.yml, or $LAB_CONFIG)')
    .option(
      '--provider <name>',
      'override the provider (virtualbox, libvirt, podman, docker, existing)',
    )
    .option('--profile <name>', 'override the profile (default, small)')
    .showHelpAfterError('(run `lab --help` for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 negative verdict (gate failed, doctor found no usable provider),
2 invalid input (nothing changed), 3 an external tool failed, 4 a prerequisite is missing,
130 interrupted or timed out. Logs: .lab/logs/.`,
    )
    .hook('preAction', (_cmd, action) => {
      const g = globals();
      log.verbose = g.verbose;
      log.quiet = g.json;
      log.open(statePaths().logs, action.name());
    });
  for (const c of commands) c.register(program, ctx);
  return { program, ctx };
}

export async function main(argv: string[]): Promise<number> {
  const { program, ctx } = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; usage errors are invalid input
      return e.exitCode === 0 ? ExitCode.OK : ExitCode.INVALID_INPUT;
    }
    const verbose = program.opts<GlobalOptions>().verbose;
    ctx.out.error(e, verbose);
    log.error(e instanceof Error ? `${e.message}\n${e.stack}` : String(e));
    if (log.path && !(e instanceof LabError)) process.stderr.write(`log: ${log.path}\n`);
    return e instanceof LabError ? e.code : ExitCode.FAILED;
  }
}

process.exitCode = await main(process.argv);
