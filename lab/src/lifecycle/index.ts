// The lab's lifecycle behind `lab up | down | destroy | status`. `up` is a list of
// idempotent steps (check → secrets → nodes → inventory → configure), so running it again after
// a failure resumes where it stopped.
import path from 'node:path';
import { confirm } from '@inquirer/prompts';
import { Listr, type ListrRendererValue } from 'listr2';
import { playbook } from '../ansible/index.js';
import { loadConfig } from '../config/load.js';
import type { LabConfigInput } from '../config/schema.js';
import { hostDeps } from '../doctor/host-deps.js';
import { runDoctor } from '../doctor/index.js';
import { ExitCode, LabError } from '../errors.js';
import { buildInventory, offlineFromEnv, writeInventory } from '../inventory/index.js';
import { log } from '../output/log.js';
import { mark, table } from '../output/render.js';
import { providerFor } from '../providers/index.js';
import { initSecrets, listSecrets } from '../secrets/index.js';
import { repoRoot, statePaths } from '../state.js';
import type { CommandContext } from '../commands/types.js';

interface UpContext {
  config: LabConfigInput;
  sources: string[];
  inventory: string;
}

function load(ctx: CommandContext) {
  const g = ctx.globals();
  return loadConfig({ file: g.config, flags: { provider: g.provider, profile: g.profile } });
}

/** The URLs a user opens, from the forwarded ports (VMs, containers) or the node IPs. */
export function urls(config: LabConfigInput): { name: string; url: string }[] {
  const out: { name: string; url: string }[] = [];
  for (const node of config.nodes) {
    for (const p of node.ports) {
      const host = config.provider === 'existing' ? (node.ssh?.host ?? node.ip) : 'localhost';
      const port = config.provider === 'existing' ? p.guest : p.host;
      const scheme = p.name === 'registry' ? '' : 'http://';
      out.push({ name: `${node.name}/${p.name}`, url: `${scheme}${host}:${port}` });
    }
  }
  return out;
}

/** Renderer per mode: live on a TTY, plain lines in CI/logs, silent with --json. */
const renderer = (ctx: CommandContext) =>
  ctx.globals().json
    ? ('silent' as const)
    : process.stdout.isTTY && !process.env.CI
      ? ('default' as const)
      : ('simple' as const);

export async function up(ctx: CommandContext, flags: { offline?: boolean; skipChecks?: boolean }) {
  const root = repoRoot();
  const paths = statePaths(root);
  const { config, sources } = load(ctx);
  const provider = providerFor(config);
  if (ctx.globals().dryRun) {
    ctx.out.result(
      {
        provider: config.provider,
        nodes: config.nodes.map((n) => n.name),
        steps: ['check', 'secrets', 'nodes', 'inventory', 'configure'],
      },
      () =>
        ctx.out.line(
          `would bring up ${config.nodes.map((n) => n.name).join(', ')} with ${config.provider}, then run ansible/site.yml`,
        ),
    );
    return;
  }
  const tasks = new Listr<UpContext, ListrRendererValue, ListrRendererValue>(
    [
      {
        title: 'Check this machine (lab doctor)',
        skip: () => (flags.skipChecks ? 'skipped (--skip-checks)' : false),
        task: async () => {
          const report = await runDoctor(
            hostDeps({ exec: ctx.exec, config: { ok: true, config, sources }, repoRoot: root }),
          );
          if (!report.verdict.chosenUsable) {
            throw new LabError(
              ExitCode.PREREQUISITE,
              `this machine cannot run the lab with provider ${config.provider}: ${report.verdict.summary}`,
              report.verdict.hint ?? 'run `lab doctor` for the details',
            );
          }
        },
      },
      {
        title: 'Generate the lab secrets (.lab/secrets, 0600)',
        task: async () => {
          await initSecrets({ dir: paths.secrets, exec: ctx.exec });
        },
      },
      {
        title: `Bring up the nodes (${config.provider})`,
        task: async (_c, task) => {
          await provider.up(config, { exec: ctx.exec, root, onLine: (l) => (task.output = l) });
        },
      },
      {
        title: 'Generate the Ansible inventory',
        task: (c) => {
          const model = buildInventory({
            config,
            root,
            secretsDir: paths.secrets,
            offline: Boolean(flags.offline) || offlineFromEnv(),
          });
          c.inventory = path.join(paths.inventory, 'hosts.yml');
          writeInventory(
            model,
            root,
            c.inventory,
            sources.map((s) => path.relative(root, s)),
          );
        },
      },
      {
        title: 'Configure every node (ansible/site.yml)',
        task: async (c, task) => {
          let n = 0;
          await playbook(ctx.exec, {
            root,
            playbook: 'site.yml',
            inventory: c.inventory,
            onTask: (name) => (task.output = `task ${++n}: ${name}`),
            onLine: (l) => log.debug(l),
          });
        },
      },
    ],
    {
      renderer: renderer(ctx),
      rendererOptions: { collapseErrors: false },
      exitOnError: true,
      ctx: { config, sources, inventory: '' },
    },
  );
  await tasks.run();
  status(ctx, config, await provider.status(config, { exec: ctx.exec, root }));
}

function status(
  ctx: CommandContext,
  config: LabConfigInput,
  nodes: { name: string; state: string; detail?: string }[],
) {
  const paths = statePaths();
  const secrets = listSecrets(paths.secrets).filter((s) => s.status !== 'absent');
  ctx.out.result(
    {
      provider: config.provider,
      profile: config.profile,
      nodes: nodes.map((n) => ({ ...n, ip: config.nodes.find((c) => c.name === n.name)?.ip })),
      urls: urls(config),
      secrets: secrets.map((s) => ({ name: s.name, path: s.path })),
    },
    () => {
      ctx.out.line(`lab ${config.name}: provider ${config.provider}, profile ${config.profile}`);
      ctx.out.line(
        table(
          nodes.map((n) => {
            const c = config.nodes.find((x) => x.name === n.name);
            return [
              n.state === 'running' ? mark('ok') : mark('fail'),
              n.name,
              n.state,
              c?.ip ?? '',
              c ? `${c.cpus} CPU, ${c.memory} MB` : '',
            ];
          }),
          ['', 'node', 'state', 'address', 'size'],
        ),
      );
      ctx.out.line();
      ctx.out.line(
        table(
          urls(config).map((u) => [u.name, u.url]),
          ['service', 'URL'],
        ),
      );
      ctx.out.line();
      ctx.out.line(
        secrets.length > 0
          ? `secrets: ${paths.secrets} (one file each, mode 0600; \`lab secrets show-names\`)`
          : 'secrets: not generated yet (`lab up` or `lab secrets init`)',
      );
    },
  );
}

async function confirmOrFail(ctx: CommandContext, question: string): Promise<void> {
  if (ctx.globals().yes) return;
  if (!ctx.interactive()) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `${question} needs a confirmation`,
      'run it again with --yes',
    );
  }
  if (!(await confirm({ message: question, default: false }))) {
    throw new LabError(ExitCode.INVALID_INPUT, 'cancelled: nothing was changed');
  }
}

export async function down(ctx: CommandContext): Promise<void> {
  const { config } = load(ctx);
  if (ctx.globals().dryRun)
    return ctx.out.line(`would stop ${config.nodes.map((n) => n.name).join(', ')}`);
  await providerFor(config).down(config, { exec: ctx.exec, root: repoRoot() });
  ctx.out.result({ stopped: config.nodes.map((n) => n.name) }, () =>
    ctx.out.line(`${mark('ok')} stopped: ${config.nodes.map((n) => n.name).join(', ')}`),
  );
}

export async function destroy(ctx: CommandContext): Promise<void> {
  const { config } = load(ctx);
  if (ctx.globals().dryRun)
    return ctx.out.line(`would delete ${config.nodes.map((n) => n.name).join(', ')}`);
  await confirmOrFail(
    ctx,
    `Delete the ${config.nodes.length} lab nodes (${config.provider}) and their disks?`,
  );
  await providerFor(config).destroy(config, { exec: ctx.exec, root: repoRoot() });
  ctx.out.result({ destroyed: config.nodes.map((n) => n.name) }, () =>
    ctx.out.line(`${mark('ok')} deleted: ${config.nodes.map((n) => n.name).join(', ')}`),
  );
}

export async function showStatus(ctx: CommandContext): Promise<void> {
  const { config } = load(ctx);
  status(
    ctx,
    config,
    await providerFor(config).status(config, { exec: ctx.exec, root: repoRoot() }),
  );
}
