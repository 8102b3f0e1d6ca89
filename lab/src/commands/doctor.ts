// lab doctor [--json]: can this machine run the lab, with which provider, and what to fix.
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { hostDeps } from '../doctor/host-deps.js';
import { CHECKS, runDoctor } from '../doctor/index.js';
import { progressLine, renderReport } from '../doctor/render.js';
import type { ConfigState } from '../doctor/types.js';
import { isLabError } from '../errors.js';
import { repoRoot } from '../state.js';
import type { CommandModule, GlobalOptions } from './types.js';

function configState(g: GlobalOptions): ConfigState {
  try {
    const { config, sources } = loadConfig({
      file: g.config,
      flags: { provider: g.provider, profile: g.profile },
    });
    return { ok: true, config, sources };
  } catch (e) {
    if (isLabError(e)) return { ok: false, error: e };
    throw e;
  }
}

export const doctorCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('doctor')
      .description(
        'check this machine: providers, virtualization, Ansible, memory, disk, network, ports (exit 1: the lab cannot come up)',
      )
      .action(async () => {
        const g = ctx.globals();
        const root = repoRoot();
        const config = configState(g);
        const deps = hostDeps({ exec: ctx.exec, config, repoRoot: root });
        const progress = progressLine(
          process.stderr,
          !g.json && Boolean(process.stderr.isTTY),
          CHECKS.map((c) => c.id),
        );
        const report = await runDoctor(deps, { onResult: (r) => progress.done(r.id) });
        progress.clear();

        const where = config.ok
          ? `${config.sources.map((s) => path.relative(root, s) || s).join(' + ')} (provider ${config.config.provider}, profile ${config.config.profile})`
          : 'an invalid lab config';
        ctx.out.result(
          {
            host: { platform: process.platform, arch: process.arch, release: os.release() },
            ...report,
          },
          () => {
            for (const line of renderReport(
              report,
              `lab doctor: ${process.platform} ${process.arch}, checked against ${where}`,
            )) {
              ctx.out.line(line);
            }
          },
        );
        process.exitCode = report.verdict.exitCode;
      });
  },
};
