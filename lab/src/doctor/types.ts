// `lab doctor` checks are data: each one is a small async function of the host facts it is
// handed (`DoctorDeps`), returning a `CheckResult`. Tests hand in real-but-controlled deps.
import type { LabConfigInput, Provider } from '../config/schema.js';
import type { LabError } from '../errors.js';

export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip';

export const CHECK_IDS = [
  'config',
  'node',
  'ansible',
  'vagrant',
  'virtualization',
  'virtualbox',
  'libvirt',
  'podman',
  'docker',
  'memory',
  'disk',
  'network',
  'ports',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** What the virtualization check found out; `null` means "cannot be known from here". */
export interface VirtualizationFacts {
  /** The CPU advertises VT-x/AMD-V (what VirtualBox needs). */
  hardware: boolean | null;
  /** /dev/kvm exists and this user may open it read-write (what libvirt/KVM needs). */
  kvm: boolean | null;
}

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** What was found (a version, a figure, a reason). */
  detail: string;
  /** What to do about a failure or warning. */
  hint?: string;
  /** A failed blocking check makes the verdict negative whatever the provider. */
  blocking: boolean;
  /** Structured findings the verdict needs (virtualization only). */
  facts?: VirtualizationFacts;
}

/** The outcome of running one external command; never throws. */
export interface ToolRun {
  /** ok: exit 0; failed: non-zero exit; missing: not on PATH; timeout: killed after the limit. */
  outcome: 'ok' | 'failed' | 'missing' | 'timeout';
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type PortProbe = 'free' | 'in-use' | 'denied' | { error: string };

/** The config as doctor sees it: loaded, or the error that stopped it loading. */
export type ConfigState =
  { ok: true; config: LabConfigInput; sources: string[] } | { ok: false; error: LabError };

/** Everything the checks may look at. The real ones come from `hostDeps()`. */
export interface DoctorDeps {
  platform: NodeJS.Platform;
  arch: string;
  env: NodeJS.ProcessEnv;
  /** process.versions.node */
  nodeVersion: string;
  /** Runs a command with a timeout; never throws. */
  tool: (file: string, args: readonly string[], timeoutMs?: number) => Promise<ToolRun>;
  /** A file's text, or null when it cannot be read. */
  readText: (file: string) => Promise<string | null>;
  /** Whether this user may open a path for reading and writing (device nodes such as /dev/kvm). */
  openReadWrite: (file: string) => Promise<'ok' | 'denied' | 'missing'>;
  /** Memory available to new processes, in MB. */
  availableMemoryMb: () => Promise<number>;
  /** Free space for this user on the file system holding `dir`, in MB, and its device id. */
  freeDiskMb: (dir: string) => Promise<{ mb: number; device: number } | null>;
  /** Tries to listen on host:port and releases it at once. */
  tryBind: (port: number, host: string) => Promise<PortProbe>;
  /** The repository root (where the lab keeps .lab/ and its caches). */
  repoRoot: string;
  homeDir: string;
  /** Running as root (rootful podman keeps its storage in /var/lib/containers). */
  isRoot: boolean;
  config: ConfigState;
}

export type Check = (deps: DoctorDeps) => Promise<CheckResult>;

/** Builds one check's results: `out(status, detail, hint?)`. */
export const resultFor =
  (id: CheckId, title: string, blockingByDefault = false) =>
  (
    status: CheckStatus,
    detail: string,
    hint?: string,
    blocking = blockingByDefault,
  ): CheckResult => ({
    id,
    title,
    status,
    detail,
    hint,
    blocking,
  });

export type { Provider };
