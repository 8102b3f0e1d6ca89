// lab inventory [--out FILE] [--offline] — renders the Ansible inventory from the lab config
// (global --provider/--config apply) into .lab/inventory/hosts.yml.
import path from 'node:path';
import { table } from '../output/render.js';
import { repoRoot, statePaths } from '../state.js';
import type { CommandModule } from './types.js';

interface InventoryFlags {
  out?: string;
  offline?: boolean;
  containerPrefix?: string;
}

export const inventoryCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('inventory')
      .description(
        'generate the Ansible inventory from the lab config (any provider; see --provider)',
      )
      .option('-o, --out <file>', 'where to write it (default: .lab/inventory/hosts.yml)')
      .option(
        '--offline',
        'set lab_offline: skip tasks that need public registries or vendor repositories (or LAB_OFFLINE=1)',
      )
      .option(
        '--container-prefix <prefix>',
        'container name prefix for the podman/docker providers (default: "<lab name>-")',
      )
      .action(async (flags: InventoryFlags) => {
        // Loaded only when the command runs (handlebars and the config schema): lab --help stays fast.
        const [{ loadConfig }, { buildInventory, offlineFromEnv, writeInventory }] =
          await Promise.all([import('../config/load.js'), import('../inventory/index.js')]);
        const g = ctx.globals();
        const { config, sources } = loadConfig({
          file: g.config,
          flags: { provider: g.provider, profile: g.profile },
        });
        const root = repoRoot();
        const paths = statePaths(root);
        const out = path.resolve(flags.out ?? path.join(paths.inventory, 'hosts.yml'));
        const model = buildInventory({
          config,
          root,
          secretsDir: paths.secrets,
          offline: Boolean(flags.offline) || offlineFromEnv(),
          containerPrefix: flags.containerPrefix,
        });
        const rel = (f: string) => path.relative(root, f) || f;
        writeInventory(model, root, out, sources.map(rel));
        const hosts = Object.values(model.groups).flat();
        const hostVar = (vars: { key: string; value: unknown }[], key: string) =>
          String(vars.find((v) => v.key === key)?.value ?? '');
        ctx.out.result(
          {
            file: out,
            provider: model.provider,
            offline: model.offline,
            registry: model.registry,
            hosts: hosts.map((h) => ({
              name: h.name,
              group: h.group,
              ...Object.fromEntries(h.vars.map((v) => [v.key, v.value])),
            })),
          },
          () => {
            ctx.out.line(
              table(
                hosts.map((h) => [
                  h.name,
                  h.group,
                  hostVar(h.vars, 'lab_ip'),
                  hostVar(h.vars, 'ansible_host'),
                  hostVar(h.vars, 'ansible_connection') || 'ssh',
                ]),
                ['host', 'group', 'lab_ip', 'ansible_host', 'connection'],
              ),
            );
            ctx.out.line(
              `\n✓ ${out} (provider ${model.provider}${model.offline ? ', offline' : ''})`,
            );
          },
        );
      });
  },
};
