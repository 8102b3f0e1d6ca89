// Which kind of host the checks run on. WSL reports `linux` but its VirtualBox, if any, is the
// Windows one, and what the CPU offers cannot be seen from inside.
import type { HostKind } from './hints.js';
import type { DoctorDeps } from './types.js';

export async function hostKind(
  deps: Pick<DoctorDeps, 'platform' | 'env' | 'readText'>,
): Promise<HostKind> {
  switch (deps.platform) {
    case 'darwin':
      return 'macos';
    case 'win32':
      return 'windows';
    case 'linux': {
      if (deps.env.WSL_DISTRO_NAME) return 'wsl';
      const release = (await deps.readText('/proc/sys/kernel/osrelease')) ?? '';
      return /microsoft/i.test(release) ? 'wsl' : 'linux';
    }
    default:
      return 'other';
  }
}

/** The last meaningful line of a tool's error output, for a one-line detail. */
export function lastLine(...texts: string[]): string {
  for (const text of texts) {
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const last = lines[lines.length - 1];
    if (last) return last.length > 160 ? `${last.slice(0, 157)}...` : last;
  }
  return 'no output';
}
