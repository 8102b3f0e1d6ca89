// The lab config itself, and whether this machine has the memory and disk the chosen profile
// and provider need.
import path from 'node:path';
import { CONTAINER_PROVIDERS, VM_PROVIDERS, type LabConfigInput } from '../../config/schema.js';
import { DISK_NEEDED_MB, hints } from '../hints.js';
import { resultFor, type Check, type DoctorDeps } from '../types.js';

const isVm = (p: string) => (VM_PROVIDERS as readonly string[]).includes(p);
const isContainer = (p: string) => (CONTAINER_PROVIDERS as readonly string[]).includes(p);

export const totalMemoryMb = (config: LabConfigInput): number =>
  config.nodes.reduce((sum, n) => sum + n.memory, 0);

/** Total node memory under the `small` profile, when there is one and it is not already chosen. */
export function smallProfileMemoryMb(config: LabConfigInput): number | null {
  const small = config.profiles.small;
  if (!small || config.profile === 'small') return null;
  return config.nodes.reduce((sum, n) => sum + (small.nodes[n.name]?.memory ?? n.memory), 0);
}

const gb = (mb: number) => `${(mb / 1024).toFixed(1)} GB`;

export const configCheck: Check = async (deps) => {
  const out = resultFor('config', 'lab config', true);
  const state = deps.config;
  if (!state.ok) {
    const details = state.error.details.slice(0, 3).join('; ');
    const more = state.error.details.length > 3 ? ` (+${state.error.details.length - 3} more)` : '';
    const detail = `${state.error.message}${details ? `: ${details}${more}` : ''}`;
    return out('fail', detail, state.error.hint ?? 'fix it, then run `lab config validate`');
  }
  const c = state.config;
  const files = state.sources.map((s) => path.relative(deps.repoRoot, s) || s).join(' + ');
  return out(
    'ok',
    `${files}: provider ${c.provider}, profile ${c.profile}, ${c.nodes.length} nodes`,
  );
};

export const memoryCheck: Check = async (deps) => {
  const out = resultFor('memory', 'free memory');
  if (!deps.config.ok) return out('skip', 'needs a valid lab config');
  const config = deps.config.config;
  if (config.provider === 'existing') {
    return out('skip', 'provider existing: the nodes run on your own hosts');
  }
  const need = totalMemoryMb(config);
  const available = await deps.availableMemoryMb();
  const detail = `${gb(available)} available, the ${config.profile} profile's nodes need ${gb(need)}`;
  if (available >= need) return out('ok', detail, undefined, isVm(config.provider));
  const hint = hints.memory(smallProfileMemoryMb(config));
  if (isContainer(config.provider)) {
    return out('warn', `${detail} (containers share memory: it may still fit)`, hint);
  }
  // macOS counts cached files as used, so os.freemem() understates what VMs can get: warn only.
  if (deps.platform === 'darwin')
    return out('warn', `${detail} (macOS figure is a lower bound)`, hint);
  return out('fail', `${detail}: VMs would not start`, hint, true);
};

/** Where the provider keeps the nodes' disks, and how much that takes (README "Prerequisites"). */
function storagePlace(
  deps: DoctorDeps,
  provider: string,
): { label: string; dir: string; needMb: number } {
  switch (provider) {
    case 'libvirt':
      return { label: 'libvirt images', dir: '/var/lib/libvirt/images', needMb: DISK_NEEDED_MB.vm };
    case 'podman':
      return deps.isRoot
        ? { label: 'podman storage', dir: '/var/lib/containers', needMb: DISK_NEEDED_MB.container }
        : {
            label: 'podman storage',
            dir: path.join(deps.homeDir, '.local/share/containers'),
            needMb: DISK_NEEDED_MB.container,
          };
    case 'docker':
      return { label: 'docker storage', dir: '/var/lib/docker', needMb: DISK_NEEDED_MB.container };
    default:
      // Vagrant boxes in ~/.vagrant.d, VirtualBox VMs in ~/VirtualBox VMs
      return { label: 'VirtualBox VMs and boxes', dir: deps.homeDir, needMb: DISK_NEEDED_MB.vm };
  }
}

/** Free space of the file system holding `dir`, or of its nearest existing parent. */
async function freeSpace(
  deps: DoctorDeps,
  dir: string,
): Promise<{ mb: number; device: number; dir: string } | null> {
  let current = path.resolve(dir);
  for (let depth = 0; depth < 64; depth++) {
    const free = await deps.freeDiskMb(current);
    if (free) return { ...free, dir: current };
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
  return null;
}

export const diskCheck: Check = async (deps) => {
  const out = resultFor('disk', 'free disk', true);
  const provider = deps.config.ok ? deps.config.config.provider : 'virtualbox';
  if (provider === 'existing') {
    return out('skip', 'provider existing: the nodes run on your own hosts', undefined, false);
  }
  const places = [
    { label: 'repository and caches', dir: deps.repoRoot, needMb: DISK_NEEDED_MB.repository },
    storagePlace(deps, provider),
  ];
  const measured = await Promise.all(
    places.map(async (p) => ({ ...p, free: await freeSpace(deps, p.dir) })),
  );
  // Places on one file system add up: the repository and the home folder often share one.
  const byDevice = new Map<
    number,
    { labels: string[]; dir: string; freeMb: number; needMb: number }
  >();
  for (const m of measured) {
    if (!m.free) continue;
    const fs = byDevice.get(m.free.device);
    if (fs) {
      fs.labels.push(m.label);
      fs.needMb += m.needMb;
    } else {
      byDevice.set(m.free.device, {
        labels: [m.label],
        dir: m.free.dir,
        freeMb: m.free.mb,
        needMb: m.needMb,
      });
    }
  }
  if (byDevice.size === 0) {
    return out('warn', `cannot measure free space in ${deps.repoRoot}`, undefined, false);
  }
  const filesystems = [...byDevice.values()];
  const detail = filesystems
    .map((f) => `${gb(f.freeMb)} free for ${f.labels.join(' + ')} (needs ${gb(f.needMb)})`)
    .join('; ');
  const short = filesystems.filter((f) => f.freeMb < f.needMb);
  if (short.length === 0) return out('ok', detail);
  return out(
    'fail',
    `${detail}: not enough on the file system of ${short.map((f) => f.dir).join(', ')}`,
    hints.disk(Math.max(...short.map((f) => f.needMb - f.freeMb))),
  );
};
