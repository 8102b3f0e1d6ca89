// The programs the lab drives from this machine: Node.js (the CLI), ansible-core (configures
// every node, whatever the provider) and Vagrant (VM providers only).
import { hints, MIN_ANSIBLE_CORE, MIN_NODE, MIN_VAGRANT } from '../hints.js';
import { hostKind, lastLine } from '../host.js';
import { resultFor, type Check } from '../types.js';
import { atLeast, formatVersion, parseVersion } from '../version.js';

const short = (min: string) => min.replace(/\.0$/, '');

export const nodeCheck: Check = async (deps) => {
  const out = resultFor('node', `Node.js >= ${short(MIN_NODE)}`, true);
  if (atLeast(deps.nodeVersion, MIN_NODE)) return out('ok', deps.nodeVersion);
  return out('fail', `${deps.nodeVersion} is too old`, hints.node(await hostKind(deps)));
};

export const ansibleCheck: Check = async (deps) => {
  const out = resultFor('ansible', `ansible-core >= ${short(MIN_ANSIBLE_CORE)}`, true);
  const [host, r] = await Promise.all([
    hostKind(deps),
    deps.tool('ansible-playbook', ['--version'], 15_000),
  ]);
  if (r.outcome !== 'ok') {
    const detail =
      r.outcome === 'missing'
        ? 'ansible-playbook not found'
        : `ansible-playbook --version ${r.outcome === 'timeout' ? 'timed out' : `failed: ${lastLine(r.stderr, r.stdout)}`}`;
    return out('fail', detail, /locale/i.test(r.stderr) ? hints.utf8Locale() : hints.ansible(host));
  }
  // "ansible-playbook [core 2.14.18]"; Ansible 2.9 printed "ansible-playbook 2.9.6"
  const firstLine = r.stdout.split('\n')[0] ?? '';
  const version = parseVersion(/core ([\d.]+)/.exec(firstLine)?.[1] ?? firstLine);
  if (!version) return out('warn', `cannot read the version from "${firstLine}"`);
  const core = `core ${formatVersion(version)}`;
  if (atLeast(formatVersion(version), MIN_ANSIBLE_CORE)) return out('ok', core);
  return out('fail', `${core} is too old`, hints.ansible(host));
};

export const vagrantCheck: Check = async (deps) => {
  const out = resultFor('vagrant', 'Vagrant (VM providers)');
  const [host, r] = await Promise.all([
    hostKind(deps),
    deps.tool('vagrant', ['--version'], 15_000),
  ]);
  if (r.outcome !== 'ok') {
    const detail =
      r.outcome === 'missing'
        ? 'vagrant not found'
        : `vagrant --version: ${lastLine(r.stderr, r.stdout)}`;
    return out('fail', detail, hints.vagrant(host));
  }
  const version = parseVersion(r.stdout);
  if (!version) return out('warn', r.stdout.trim(), hints.vagrant(host));
  if (atLeast(formatVersion(version), MIN_VAGRANT)) return out('ok', formatVersion(version));
  return out(
    'warn',
    `${formatVersion(version)} (tested with ${short(MIN_VAGRANT)}+)`,
    hints.vagrant(host),
  );
};
