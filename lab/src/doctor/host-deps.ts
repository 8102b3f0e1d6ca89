// The real facts of this machine, in the shape the checks take (DoctorDeps). Processes go
// through the one exec module; everything else is a read-only look at the OS.
import { open, readFile, stat, statfs } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import type { Exec } from '../exec/index.js';
import { ExitCode, isLabError } from '../errors.js';
import type { ConfigState, DoctorDeps, PortProbe, ToolRun } from './types.js';

const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/** Wraps `exec` so that a missing tool, a failure or a timeout is a result, not an exception. */
export function toolRunner(exec: Exec): DoctorDeps['tool'] {
  return async (file, args, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS) => {
    try {
      // English messages for the parsers; LC_CTYPE stays (ansible insists on a UTF-8 one)
      const r = await exec(file, args, { timeoutMs, reject: false, env: { LC_MESSAGES: 'C' } });
      return {
        outcome: r.exitCode === 0 ? 'ok' : 'failed',
        exitCode: r.exitCode,
        stdout: r.stdout,
        stderr: r.stderr,
      };
    } catch (e) {
      const outcome: ToolRun['outcome'] =
        isLabError(e) && e.code === ExitCode.PREREQUISITE
          ? 'missing'
          : isLabError(e) && e.code === ExitCode.INTERRUPTED
            ? 'timeout'
            : 'failed';
      return {
        outcome,
        exitCode: -1,
        stdout: '',
        stderr: isLabError(e) ? [e.message, ...e.details].join('\n') : String(e),
      };
    }
  };
}

/** Linux's MemAvailable counts reclaimable caches; os.freemem() elsewhere. */
export function memAvailableMb(meminfo: string | null): number | null {
  const kb = meminfo ? /^MemAvailable:\s+(\d+)\s+kB/m.exec(meminfo)?.[1] : undefined;
  return kb ? Math.floor(Number(kb) / 1024) : null;
}

/** Listens on host:port and closes at once: 'in-use' when another process holds it. */
export function tryBind(port: number, host: string, timeoutMs = 2_000): Promise<PortProbe> {
  return new Promise((resolve) => {
    const server = net.createServer();
    const timer = setTimeout(() => {
      server.close();
      resolve({ error: 'no answer from the OS' });
    }, timeoutMs);
    server.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(
        e.code === 'EADDRINUSE'
          ? 'in-use'
          : e.code === 'EACCES'
            ? 'denied'
            : { error: e.code ?? e.message },
      );
    });
    server.listen({ port, host, exclusive: true }, () => {
      clearTimeout(timer);
      server.close(() => resolve('free'));
    });
  });
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

export function hostDeps(options: {
  exec: Exec;
  config: ConfigState;
  repoRoot: string;
}): DoctorDeps {
  return {
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    nodeVersion: process.versions.node,
    tool: toolRunner(options.exec),
    readText,
    openReadWrite: async (file) => {
      try {
        const handle = await open(file, 'r+');
        await handle.close();
        return 'ok';
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'denied';
      }
    },
    availableMemoryMb: async () =>
      (process.platform === 'linux' ? memAvailableMb(await readText('/proc/meminfo')) : null) ??
      Math.floor(os.freemem() / 1024 / 1024),
    freeDiskMb: async (dir) => {
      try {
        const [fs, st] = await Promise.all([statfs(dir), stat(dir)]);
        return { mb: Math.floor((fs.bavail * fs.bsize) / 1024 / 1024), device: st.dev };
      } catch {
        return null;
      }
    },
    tryBind,
    repoRoot: options.repoRoot,
    homeDir: os.homedir(),
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    config: options.config,
  };
}
