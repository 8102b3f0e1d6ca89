// One inventory generator for every provider. The lab config (one source of truth) becomes a
// model — groups, hosts, connection variables per provider — rendered with handlebars from
// ansible/templates/inventory.yml.hbs into .lab/inventory/hosts.yml, and parsed back before it
// is written so that a broken template never reaches Ansible.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { parse } from 'yaml';
import type { LabConfigInput, LabNode, Provider } from '../config/schema.js';
import { CONTAINER_PROVIDERS, VM_PROVIDERS } from '../config/schema.js';
import { ExitCode, LabError } from '../errors.js';

/** Where the template lives, relative to the repository root. */
export const TEMPLATE = 'ansible/templates/inventory.yml.hbs';
/** The registry on the jenkins node (group_vars/all.yml lab_ports.registry). */
export const REGISTRY_PORT = 5000;

export const LEAF_GROUPS = ['jenkins', 'staging', 'production', 'monitoring'] as const;
export type LeafGroup = (typeof LEAF_GROUPS)[number];

export interface InventoryOptions {
  config: LabConfigInput;
  /** Repository root: the Vagrant key paths are under <root>/.vagrant/machines/. */
  root: string;
  /** Absolute path of the secrets folder on the controller. */
  secretsDir: string;
  offline: boolean;
  /** Container name prefix for the container providers (default `<lab name>-`). */
  containerPrefix?: string;
}

export type HostVar = { key: string; value: unknown };

export interface InventoryHost {
  name: string;
  group: LeafGroup;
  vars: HostVar[];
}

export interface InventoryModel {
  name: string;
  provider: Provider;
  network: string;
  domain: string;
  secretsDir: string;
  registry: string;
  offline: boolean;
  nodes: { name: string; ip: string; role: string; env?: string }[];
  groups: Record<LeafGroup, InventoryHost[]>;
}

const isVm = (p: Provider): boolean => (VM_PROVIDERS as readonly string[]).includes(p);
const isContainer = (p: Provider): boolean =>
  (CONTAINER_PROVIDERS as readonly string[]).includes(p);

export const containerName = (
  node: LabNode,
  config: LabConfigInput,
  prefix = `${config.name}-`,
): string => `${prefix}${node.name}`;

/** How Ansible reaches a node, per provider. */
export function connectionVars(node: LabNode, options: InventoryOptions): HostVar[] {
  const { config, root } = options;
  const provider = config.provider;
  if (isVm(provider)) {
    return [
      { key: 'ansible_host', value: node.ip },
      { key: 'ansible_user', value: 'vagrant' },
      {
        key: 'ansible_ssh_private_key_file',
        value: path.join(root, '.vagrant', 'machines', node.name, provider, 'private_key'),
      },
      // Lab VMs are recreated often; their host keys change with them.
      {
        key: 'ansible_ssh_common_args',
        value: '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null',
      },
      { key: 'ansible_python_interpreter', value: '/usr/bin/python3' },
    ];
  }
  if (isContainer(provider)) {
    return [
      { key: 'ansible_host', value: containerName(node, config, options.containerPrefix) },
      {
        key: 'ansible_connection',
        value: provider === 'podman' ? 'containers.podman.podman' : 'community.docker.docker',
      },
      { key: 'ansible_python_interpreter', value: '/usr/bin/python3' },
    ];
  }
  // existing: the schema guarantees ssh settings for every node with this provider.
  const ssh = node.ssh;
  if (!ssh) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `node "${node.name}" has no ssh settings, which provider "existing" needs`,
      'add ssh: { host: ..., user: ..., key: ~/.ssh/id_ed25519 } to the node in lab.config.yml',
    );
  }
  const vars: HostVar[] = [
    { key: 'ansible_host', value: ssh.host },
    { key: 'ansible_user', value: ssh.user },
    { key: 'ansible_port', value: ssh.port },
  ];
  if (ssh.key) vars.push({ key: 'ansible_ssh_private_key_file', value: ssh.key });
  vars.push({ key: 'ansible_python_interpreter', value: '/usr/bin/python3' });
  return vars;
}

const leafGroup = (node: LabNode): LeafGroup =>
  node.role === 'app' ? (node.env ?? 'staging') : node.role;

/** The inventory as data: pure, tested without the template. */
export function buildInventory(options: InventoryOptions): InventoryModel {
  const { config } = options;
  const jenkins = config.nodes.find((n) => n.role === 'jenkins');
  if (!jenkins) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      'the lab config has no jenkins node (it runs the registry)',
      'add a node with role: jenkins',
    );
  }
  const groups: Record<LeafGroup, InventoryHost[]> = {
    jenkins: [],
    staging: [],
    production: [],
    monitoring: [],
  };
  for (const node of config.nodes) {
    const vars: HostVar[] = [...connectionVars(node, options), { key: 'lab_ip', value: node.ip }];
    if (node.role === 'app') {
      vars.push({ key: 'lab_env', value: node.env });
      vars.push({
        key: 'lab_replicas',
        value: Object.fromEntries(config.app.services.map((s) => [s, config.app.replicas])),
      });
    }
    groups[leafGroup(node)].push({ name: node.name, group: leafGroup(node), vars });
  }
  return {
    name: config.name,
    provider: config.provider,
    network: config.network.cidr,
    domain: config.network.domain,
    secretsDir: path.resolve(options.secretsDir),
    registry: `${jenkins.ip}:${REGISTRY_PORT}`,
    offline: options.offline,
    nodes: config.nodes.map((n) => ({
      name: n.name,
      ip: n.ip,
      role: n.role,
      ...(n.env ? { env: n.env } : {}),
    })),
    groups,
  };
}

/** Renders the model with the handlebars template; values go through JSON (valid YAML scalars). */
export function renderInventory(
  model: InventoryModel,
  templateText: string,
  sources: readonly string[] = [],
): string {
  const hb = Handlebars.create();
  hb.registerHelper('json', (value: unknown) => {
    // strict mode does not cover helper arguments: an unknown name would render as null.
    if (value === undefined) throw new Error('a {{json ...}} value is undefined (unknown name?)');
    return JSON.stringify(value);
  });
  let template: Handlebars.TemplateDelegate;
  let text: string;
  try {
    template = hb.compile(templateText, { noEscape: true, strict: true });
    text = template({ ...model, sources: sources.join(' + ') });
  } catch (e) {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `the inventory template ${TEMPLATE} does not render: ${(e as Error).message.split('\n')[0]}`,
      'restore it from git (git checkout -- ansible/templates/inventory.yml.hbs)',
    );
  }
  checkRendered(text, model);
  return text;
}

type Plain = Record<string, unknown>;
const asPlain = (v: unknown): Plain =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Plain) : {};

/** Parses the rendered text back and checks the groups and hosts Ansible will see. */
export function checkRendered(text: string, model: InventoryModel): void {
  const fail = (why: string): never => {
    throw new LabError(
      ExitCode.INVALID_INPUT,
      `the rendered inventory is not what the roles expect: ${why}`,
      `check ${TEMPLATE} against the model in lab/src/inventory/ (or restore it from git)`,
    );
  };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return fail(`invalid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const all = asPlain(asPlain(doc).all);
  const vars = asPlain(all.vars);
  for (const key of ['lab_secrets_dir', 'lab_registry', 'lab_nodes', 'lab_offline']) {
    if (!(key in vars)) fail(`group all has no ${key}`);
  }
  const children = asPlain(all.children);
  const hostsOf = (group: Plain): Plain => asPlain(group.hosts);
  const app = asPlain(asPlain(children.app).children);
  const found: Record<LeafGroup, Plain> = {
    jenkins: hostsOf(asPlain(children.jenkins)),
    staging: hostsOf(asPlain(app.staging)),
    production: hostsOf(asPlain(app.production)),
    monitoring: hostsOf(asPlain(children.monitoring)),
  };
  for (const group of LEAF_GROUPS) {
    for (const host of model.groups[group]) {
      const hv = asPlain(found[group][host.name]);
      for (const v of host.vars) {
        if (JSON.stringify(hv[v.key]) !== JSON.stringify(v.value))
          fail(`${group}/${host.name}: ${v.key} is missing or differs`);
      }
    }
  }
}

/** Renders and writes the inventory atomically (folder 0700); returns the text. */
export function writeInventory(
  model: InventoryModel,
  root: string,
  out: string,
  sources: readonly string[] = [],
): string {
  const templateFile = path.join(root, TEMPLATE);
  let templateText: string;
  try {
    templateText = readFileSync(templateFile, 'utf8');
  } catch {
    throw new LabError(
      ExitCode.PREREQUISITE,
      `inventory template ${templateFile} is missing`,
      'run from a complete checkout of the lab repository',
    );
  }
  const text = renderInventory(model, templateText, sources);
  mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 });
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, out);
  return text;
}

/** LAB_OFFLINE=1 (or true/yes) turns the offline guard on. */
export const offlineFromEnv = (env: NodeJS.ProcessEnv = process.env): boolean =>
  /^(1|true|yes)$/i.test(env.LAB_OFFLINE ?? '');
