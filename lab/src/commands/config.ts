// lab config show [--json] | lab config validate [FILE]
import path from 'node:path';
import type { CommandModule } from './types.js';

export const configCommand: CommandModule = {
  register(program, ctx) {
    const config = program.command('config').description('show or validate the lab configuration');

    config
      .command('show')
      .description(
        'print the effective config (file + lab.local.yml + env + flags, profile applied)',
      )
      .action(async () => {
        const g = ctx.globals();
        const [{ loadConfig }, { stringify }] = await Promise.all([
          import('../config/load.js'),
          import('yaml'),
        ]);
        const { config: effective, sources } = loadConfig({
          file: g.config,
          flags: { provider: g.provider, profile: g.profile },
        });
        ctx.out.result(effective, () => {
          ctx.out.line(
            `# effective config from: ${sources.map((s) => path.relative(process.cwd(), s) || s).join(' + ')}`,
          );
          ctx.out.line(stringify(effective).trimEnd());
        });
      });

    config
      .command('validate [file]')
      .description(
        'check a config file (default: lab.config.yml and lab.local.yml); exit 2 when invalid',
      )
      .action(async (file?: string) => {
        const g = ctx.globals();
        const { loadConfig } = await import('../config/load.js');
        const { sources } = loadConfig({
          file: file ?? g.config,
          localFile: file ? false : undefined,
          flags: { provider: g.provider, profile: g.profile },
        });
        ctx.out.result({ valid: true, sources }, () =>
          ctx.out.line(
            `✓ ${sources.map((s) => path.relative(process.cwd(), s) || s).join(' + ')}: valid`,
          ),
        );
      });
  },
};
