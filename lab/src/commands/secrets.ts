// lab secrets init | path | show-names — generated once per lab; values are never printed.
import path from 'node:path';
import { table } from '../output/render.js';
import { initSecrets, listSecrets, type SecretEntry } from '../secrets/index.js';
import { statePaths } from '../state.js';
import type { CommandModule } from './types.js';

/** A path relative to the working folder when it is inside it, else absolute. */
const shown = (file: string): string => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

const rows = (entries: SecretEntry[]): string[][] =>
  entries.map((e) => [e.name, e.status, shown(e.path), e.note ?? '']);

export const secretsCommand: CommandModule = {
  register(program, ctx) {
    const secrets = program
      .command('secrets')
      .description(
        'generate the lab secrets (once) and show where they are; values are never printed',
      );

    secrets
      .command('init')
      .description(
        'create missing secrets (0600 files in the state folder) and the lab admin SSH key; never overwrites',
      )
      .action(async () => {
        const dir = statePaths().secrets;
        const entries = await initSecrets({ dir, exec: ctx.exec });
        ctx.out.result({ dir, secrets: entries }, () => {
          ctx.out.line(table(rows(entries), ['secret', 'status', 'file', 'note']));
          const created = entries.filter((e) => e.status === 'created').length;
          ctx.out.line(`\n${created} created, values stay in ${dir} (mode 0600)`);
        });
      });

    secrets
      .command('path')
      .description('print the secrets folder')
      .action(() => {
        const dir = statePaths().secrets;
        ctx.out.result({ dir }, () => ctx.out.line(dir));
      });

    secrets
      .command('show-names')
      .description('list the secret names and their files (not their values)')
      .action(() => {
        const dir = statePaths().secrets;
        const entries = listSecrets(dir);
        ctx.out.result({ dir, secrets: entries }, () =>
          ctx.out.line(table(rows(entries), ['secret', 'status', 'file', 'note'])),
        );
      });
  },
};
