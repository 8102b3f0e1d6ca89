// lab doctor [--json]: can this machine run the lab, with which provider, and what to fix.
// Exit 0 when some provider can run the lab and no blocking check fails, else 1.
import type { CommandModule } from './types.js';

export const doctorCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('doctor')
      .description(
        'check this machine: providers, virtualization, Ansible, memory, disk, network, ports (exit 1: the lab cannot come up)',
      )
      .action(async () => {
        const { doctor } = await import('../doctor/main.js');
        const g = ctx.globals();
        process.exitCode = await doctor(
          { json: g.json, config: g.config, provider: g.provider, profile: g.profile },
          { exec: ctx.exec, out: ctx.out },
        );
      });
  },
};
