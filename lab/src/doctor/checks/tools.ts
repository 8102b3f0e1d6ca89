// The programs the lab drives from this machine: Node.js (the CLI), ansible-core (configures
// every node, whatever the provider) and Vagrant (VM providers only).
import { hints, MIN_ANSIBLE_CORE, MIN_NODE, MIN_VAGRANT } from '../hints.js';
import { hostKind, lastLine } from '../host.js';
import type { Check } from '../types.js';
import { atLeast, formatVersion, parseVersion } from '../version.js';

const short = (min: string) => min.replace(/\.0$/, '');

export const nodeCheck: Check = async (deps) => {
  const host = await hostKind(deps);
  const ok = atLeast(deps.nodeVersion, MIN_NODE);
  return {
    id: 'node',
    title: `Node.js >= ${short(MIN_NODE)}`,
    status: ok ? 'ok' : 'fail',
    detail: ok ? deps.nodeVersion : `${deps.nodeVersion} is too old`,
    hint: ok ? undefined : hints.node(host),
    blocking: true,
  };
};

export const ansibleCheck: Check = async (deps) => {
  const title = `ansible-core >= ${short(MIN_ANSIBLE_CORE)}`;
  const [host, r] = await Promise.all([
    hostKind(deps),
    deps.tool('ansible-playbook', ['--version'], 15_000),
  ]);
  if (r.outcome !== 'ok') {
    return {
      id: 'ansible',
      title,
      status: 'fail',
      detail:
        r.outcome === 'missing'
          ? 'ansible-playbook not found'
          : `ansible-playbook --version ${r.outcome === 'timeout' ? 'timed out' : `failed: ${lastLine(r.stderr, r.stdout)}`}`,
      hint: /locale/i.test(r.stderr) ? hints.utf8Locale() : hints.ansible(host),
      blocking: true,
    };
  }
  // "ansible-playbook [core 2.14.18]"; Ansible 2.9 printed "ansible-playbook 2.9.6"
  const firstLine = r.stdout.split('\n')[0] ?? '';
  const version = parseVersion(/core ([\d.]+)/.exec(firstLine)?.[1] ?? firstLine);
  if (!version) {
    return {
      id: 'ansible',
      title,
      status: 'warn',
      detail: `cannot read the version from "${firstLine}"`,
      blocking: true,
    };
  }
  const ok = atLeast(formatVersion(version), MIN_ANSIBLE_CORE);
  return {
    id: 'ansible',
    title,
    status: ok ? 'ok' : 'fail',
    detail: ok ? `core ${formatVersion(version)}` : `core ${formatVersion(version)} is too old`,
    hint: ok ? undefined : hints.ansible(host),
    blocking: true,
  };
};

export const vagrantCheck: Check = async (deps) => {
  const title = 'Vagrant (VM providers)';
  const [host, r] = await Promise.all([
    hostKind(deps),
    deps.tool('vagrant', ['--version'], 15_000),
  ]);
  if (r.outcome !== 'ok') {
    return {
      id: 'vagrant',
      title,
      status: 'fail',
      detail:
        r.outcome === 'missing'
          ? 'vagrant not found'
          : `vagrant --version: ${lastLine(r.stderr, r.stdout)}`,
      hint: hints.vagrant(host),
      blocking: false,
    };
  }
  const version = parseVersion(r.stdout);
  const ok = version !== null && atLeast(formatVersion(version), MIN_VAGRANT);
  return {
    id: 'vagrant',
    title,
    status: ok ? 'ok' : 'warn',
    detail: version
      ? formatVersion(version) + (ok ? '' : ` (tested with ${short(MIN_VAGRANT)}+)`)
      : r.stdout.trim(),
    hint: ok ? undefined : hints.vagrant(host),
    blocking: false,
  };
};
