// The lab config itself, and whether this machine has the memory and disk the chosen profile
// and provider need.
import path from 'node:path';
import { CONTAINER_PROVIDERS, VM_PROVIDERS, type LabConfigInput } from '../../config/schema.js';
import { DISK_NEEDED_MB, hints } from '../hints.js';
import type { Check, DoctorDeps } from '../types.js';

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
  const state = deps.config;
  if (!state.ok) {
    const details = state.error.details.slice(0, 3).join('; ');
    const more = state.error.details.length > 3 ? ` (+${state.error.details.length - 3} more)` : '';
    return {
      id: 'config',
      title: 'lab config',
      status: 'fail',
      detail: `${state.error.message}${details ? `: ${details}${more}` : ''}`,
      hint: state.error.hint ?? 'fix it, then run `lab config validate`',
      blocking: true,
    };
  }
  const c = state.config;
  const files = state.sources.map((s) => path.relative(deps.repoRoot, s) || s).join(' + ');
  return {
    id: 'config',
    title: 'lab config',
    status: 'ok',
    detail: `${files}: provider ${c.provider}, profile ${c.profile}, ${c.nodes.length} nodes`,
    blocking: true,
  };
};

export const memoryCheck: Check = async (deps) => {
  const title = 'free memory';
  if (!deps.config.ok)
    return {
      id: 'memory',
      title,
      status: 'skip',
      detail: 'needs a valid lab config',
      blocking: false,
    };
  const config = deps.config.config;
  const need = totalMemoryMb(config);
  const available = await deps.availableMemoryMb();
  const detail = `${gb(available)} available, the ${config.profile} profile's nodes need ${gb(need)}`;
  if (config.provider === 'existing') {
    return {
      id: 'memory',
      title,
      status: 'skip',
      detail: 'provider existing: the nodes run on your own hosts',
      blocking: false,
    };
  }
  if (available >= need)
    return { id: 'memory', title, status: 'ok', detail, blocking: isVm(config.provider) };
  const hint = hints.memory(smallProfileMemoryMb(config));
  // macOS counts cached files as used, so os.freemem() understates what VMs can get: warn only.
  if (isContainer(config.provider) || deps.platform === 'darwin') {
    return {
      id: 'memory',
      title,
      status: 'warn',
      detail: `${detail}${isContainer(config.provider) ? ' (containers share memory: it may still fit)' : ' (macOS figure is a lower bound)'}`,
      hint,
      blocking: false,
    };
  }
  return {
    id: 'memory',
    title,
    status: 'fail',
    detail: `${detail}: VMs would not start`,
    hint,
    blocking: true,
  };
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
  const title = 'free disk';
  const provider = deps.config.ok ? deps.config.config.provider : 'virtualbox';
  if (provider === 'existing') {
    return {
      id: 'disk',
      title,
      status: 'skip',
      detail: 'provider existing: the nodes run on your own hosts',
      blocking: false,
    };
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
    } else
      byDevice.set(m.free.device, {
        labels: [m.label],
        dir: m.free.dir,
        freeMb: m.free.mb,
        needMb: m.needMb,
      });
  }
  if (byDevice.size === 0) {
    return {
      id: 'disk',
      title,
      status: 'warn',
      detail: `cannot measure free space in ${deps.repoRoot}`,
      blocking: false,
    };
  }
  const filesystems = [...byDevice.values()];
  const detail = filesystems
    .map((f) => `${gb(f.freeMb)} free for ${f.labels.join(' + ')} (needs ${gb(f.needMb)})`)
    .join('; ');
  const short = filesystems.filter((f) => f.freeMb < f.needMb);
  if (short.length === 0) return { id: 'disk', title, status: 'ok', detail, blocking: true };
  return {
    id: 'disk',
    title,
    status: 'fail',
    detail: `${detail}: not enough on the file system of ${short.map((f) => f.dir).join(', ')}`,
    hint: hints.disk(Math.max(...short.map((f) => f.needMb - f.freeMb))),
    blocking: true,
  };
};
