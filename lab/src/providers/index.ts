// Where the lab's nodes come from. Each provider answers the same four questions — bring the
// nodes up, stop them, delete them, tell their state — with intent-named calls into exec.
//   vagrant   (virtualbox, libvirt): the thin Vagrantfile reads the topology from the CLI.
//   containers (podman, docker):     one systemd container per node on a network of its own,
//                                    built from the offline node image (scripts/images/).
//   existing:                         hosts the user owns; nothing to create.
import path from 'node:path';
import {
  CONTAINER_PROVIDERS,
  VM_PROVIDERS,
  type LabConfigInput,
  type LabNode,
} from '../config/schema.js';
import { ExitCode, LabError } from '../errors.js';
import type { Exec } from '../exec/index.js';
import { containerName } from '../inventory/index.js';

export type NodeState = 'running' | 'stopped' | 'absent' | 'unknown';

export interface NodeStatus {
  name: string;
  state: NodeState;
  detail?: string;
}

export interface ProviderDeps {
  exec: Exec;
  root: string;
  /** Streams progress lines (vagrant/podman output). */
  onLine?: (line: string) => void;
}

export interface Provider {
  readonly name: string;
  up(config: LabConfigInput, deps: ProviderDeps): Promise<void>;
  down(config: LabConfigInput, deps: ProviderDeps): Promise<void>;
  destroy(config: LabConfigInput, deps: ProviderDeps): Promise<void>;
  status(config: LabConfigInput, deps: ProviderDeps): Promise<NodeStatus[]>;
}

const VAGRANT_HINT = 'run `lab doctor`; `vagrant status` and the log in .lab/logs/ show more';

export const vagrantProvider: Provider = {
  name: 'vagrant',
  async up(config, { exec, root, onLine }) {
    await exec('vagrant', ['up', `--provider=${config.provider}`], {
      cwd: root,
      timeoutMs: 60 * 60_000,
      onLine: onLine && ((l) => onLine(l)),
      hint: VAGRANT_HINT,
      env: { LAB_PROVIDER: config.provider },
    });
  },
  async down(_config, { exec, root, onLine }) {
    await exec('vagrant', ['halt'], {
      cwd: root,
      timeoutMs: 10 * 60_000,
      onLine,
      hint: VAGRANT_HINT,
    });
  },
  async destroy(_config, { exec, root, onLine }) {
    await exec('vagrant', ['destroy', '--force'], {
      cwd: root,
      timeoutMs: 20 * 60_000,
      onLine,
      hint: VAGRANT_HINT,
    });
  },
  async status(config, { exec, root }) {
    const r = await exec('vagrant', ['status', '--machine-readable'], {
      cwd: root,
      timeoutMs: 60_000,
      hint: VAGRANT_HINT,
    });
    return parseVagrantStatus(
      r.stdout,
      config.nodes.map((n) => n.name),
    );
  },
};

/** `vagrant status --machine-readable` lines: timestamp,target,type,data... */
export function parseVagrantStatus(stdout: string, nodes: readonly string[]): NodeStatus[] {
  const states = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [, target, type, data] = line.split(',');
    if (type === 'state' && target && data) states.set(target, data);
  }
  return nodes.map((name) => {
    const s = states.get(name);
    const state: NodeState =
      s === 'running'
        ? 'running'
        : s === 'not_created'
          ? 'absent'
          : s === 'poweroff' || s === 'shutoff' || s === 'saved'
            ? 'stopped'
            : s
              ? 'unknown'
              : 'absent';
    return { name, state, detail: s };
  });
}

/** Nodes that run Docker (app hosts and the runner) get a volume for /var/lib/docker. */
const runsDocker = (node: LabNode): boolean => node.role === 'app' || node.role === 'jenkins';

export const networkName = (config: LabConfigInput): string => `${config.name}-net`;
export const NODE_IMAGE = 'localhost/cicd-lab/node:bookworm';

/** The `run` argv for one node container: systemd inside, static IP, forwarded ports. */
export function containerRunArgs(
  config: LabConfigInput,
  node: LabNode,
  image = NODE_IMAGE,
): string[] {
  const name = containerName(node, config);
  const args = [
    'run',
    '--detach',
    '--name',
    name,
    '--hostname',
    node.name,
    '--network',
    networkName(config),
    '--ip',
    node.ip,
    '--cpus',
    String(node.cpus),
    '--memory',
    `${node.memory}m`,
    '--label',
    `cicd-lab=${config.name}`,
    '--label',
    `cicd-lab.node=${node.name}`,
  ];
  if (config.provider === 'podman') args.push('--systemd=always');
  else
    args.push('--tmpfs', '/run', '--tmpfs', '/tmp', '--volume', '/sys/fs/cgroup:/sys/fs/cgroup:rw');
  if (runsDocker(node)) {
    // Docker inside a systemd container: privileged with a private cgroup namespace, and a real
    // volume for its storage (overlay on overlay falls back to the slow vfs driver).
    args.push('--privileged', '--cgroupns=private', '--volume', `${name}-docker:/var/lib/docker`);
  }
  for (const p of node.ports) args.push('--publish', `127.0.0.1:${p.host}:${p.guest}`);
  args.push(image);
  if (config.provider === 'docker') args.push('/sbin/init');
  return args;
}

export function containerProvider(engine: 'podman' | 'docker'): Provider {
  const hint = `run \`lab doctor\`; \`${engine} ps -a\` and the log in .lab/logs/ show more`;
  const inspectState = async (exec: Exec, name: string): Promise<NodeState> => {
    const r = await exec(engine, ['container', 'inspect', '--format', '{{.State.Status}}', name], {
      reject: false,
      timeoutMs: 30_000,
    });
    if (r.exitCode !== 0) return 'absent';
    const s = r.stdout.trim();
    return s === 'running'
      ? 'running'
      : s === 'exited' || s === 'stopped' || s === 'created'
        ? 'stopped'
        : 'unknown';
  };
  return {
    name: engine,
    async up(config, { exec, root, onLine }) {
      if (engine === 'podman') {
        await exec('bash', [path.join(root, 'scripts/images/systemd-base.sh')], {
          cwd: root,
          timeoutMs: 20 * 60_000,
          onLine,
          hint: 'building the node image needs debootstrap and the Debian mirror; see .cache/images/*.log',
        });
      }
      const net = await exec(engine, ['network', 'inspect', networkName(config)], {
        reject: false,
        timeoutMs: 30_000,
      });
      if (net.exitCode !== 0) {
        await exec(
          engine,
          ['network', 'create', '--subnet', config.network.cidr, networkName(config)],
          { timeoutMs: 60_000, hint },
        );
      }
      for (const node of config.nodes) {
        const name = containerName(node, config);
        const state = await inspectState(exec, name);
        if (state === 'running') continue;
        if (state === 'stopped') await exec(engine, ['start', name], { timeoutMs: 120_000, hint });
        else await exec(engine, containerRunArgs(config, node), { timeoutMs: 120_000, hint });
        onLine?.(`${name}: running`);
      }
    },
    async down(config, { exec }) {
      for (const node of config.nodes) {
        const name = containerName(node, config);
        if ((await inspectState(exec, name)) === 'running')
          await exec(engine, ['stop', '--time', '20', name], { timeoutMs: 120_000, hint });
      }
    },
    async destroy(config, { exec }) {
      for (const node of config.nodes) {
        const name = containerName(node, config);
        await exec(engine, ['rm', '--force', '--volumes', name], {
          reject: false,
          timeoutMs: 120_000,
        });
        if (runsDocker(node))
          await exec(engine, ['volume', 'rm', '--force', `${name}-docker`], {
            reject: false,
            timeoutMs: 60_000,
          });
      }
      await exec(engine, ['network', 'rm', networkName(config)], {
        reject: false,
        timeoutMs: 60_000,
      });
    },
    async status(config, { exec }) {
      const out: NodeStatus[] = [];
      for (const node of config.nodes)
        out.push({ name: node.name, state: await inspectState(exec, containerName(node, config)) });
      return out;
    },
  };
}

export const existingProvider: Provider = {
  name: 'existing',
  async up() {
    // The hosts exist already; `lab up` goes straight to Ansible.
  },
  async down() {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      'provider "existing" manages hosts you own: lab does not stop them',
      'stop them yourself, or use another provider',
    );
  },
  async destroy() {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      'provider "existing" manages hosts you own: lab does not delete them',
      'delete the lab containers/services yourself',
    );
  },
  async status(config, { exec }) {
    const out: NodeStatus[] = [];
    for (const node of config.nodes) {
      const host = node.ssh?.host ?? node.ip;
      const r = await exec(
        'ssh',
        [
          '-o',
          'BatchMode=yes',
          '-o',
          'ConnectTimeout=5',
          '-p',
          String(node.ssh?.port ?? 22),
          ...(node.ssh?.key ? ['-i', node.ssh.key] : []),
          `${node.ssh?.user ?? 'root'}@${host}`,
          'true',
        ],
        { reject: false, timeoutMs: 15_000 },
      ).catch(() => null);
      out.push({
        name: node.name,
        state: r && r.exitCode === 0 ? 'running' : 'unknown',
        detail: r && r.exitCode === 0 ? 'reachable over SSH' : 'not reachable over SSH',
      });
    }
    return out;
  },
};

export function providerFor(config: LabConfigInput): Provider {
  if ((VM_PROVIDERS as readonly string[]).includes(config.provider)) return vagrantProvider;
  if ((CONTAINER_PROVIDERS as readonly string[]).includes(config.provider))
    return containerProvider(config.provider as 'podman' | 'docker');
  return existingProvider;
}
