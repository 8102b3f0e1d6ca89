// lab up | down | destroy | status | walkthrough — the lab's lifecycle. `up` is a list of
// idempotent steps (check → secrets → nodes → inventory → configure), so running it again after
// a failure resumes where it stopped. The work is loaded only when a command runs.
import { ExitCode, LabError } from '../errors.js';
import type { CommandModule } from './types.js';

const impl = () => import('../lifecycle/index.js');

export const lifecycleCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('up')
      .description(
        'bring the lab up and configure it (idempotent: run it again to resume after a failure)',
      )
      .option('--offline', 'skip the steps that download from public registries (or LAB_OFFLINE=1)')
      .option('--skip-checks', 'do not run lab doctor first')
      .action(async (flags: { offline?: boolean; skipChecks?: boolean }) =>
        (await impl()).up(ctx, flags),
      );

    program
      .command('down')
      .description("stop the lab's nodes, keeping their disks")
      .action(async () => (await impl()).down(ctx));

    program
      .command('destroy')
      .description(
        "delete the lab's nodes and their disks (asks first; .lab/ with the secrets is kept)",
      )
      .action(async () => (await impl()).destroy(ctx));

    program
      .command('status')
      .description('the nodes, their addresses, the URLs to open and where the secrets are')
      .action(async () => (await impl()).showStatus(ctx));

    program
      .command('walkthrough')
      .description(
        'guided tour of a green, a gated and a rolled-back release (needs the Jenkins pipeline)',
      )
      .action(() => {
        throw new LabError(
          ExitCode.PREREQUISITE,
          'the guided walkthrough needs the Jenkins pipeline, which this version of the lab does not have yet',
          'meanwhile: `lab loadtest --env staging` runs the load test and the gate by hand',
        );
      });
  },
};
