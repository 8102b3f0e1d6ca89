// Controlled DoctorDeps for unit tests: canned tool outputs keyed by command line, fixed host
// facts, and the repository's real lab.config.yml. Port probes use the real tryBind.
import { loadConfig } from '../../src/config/load.js';
import type { LabConfigInput } from '../../src/config/schema.js';
import { tryBind } from '../../src/doctor/host-deps.js';
import type { DoctorDeps, ToolRun } from '../../src/doctor/types.js';
import { repoRoot } from '../../src/state.js';

export const ok = (stdout: string): ToolRun => ({ outcome: 'ok', exitCode: 0, stdout, stderr: '' });
export const failed = (stderr: string, exitCode = 1): ToolRun => ({
  outcome: 'failed',
  exitCode,
  stdout: '',
  stderr,
});
export const missing: ToolRun = {
  outcome: 'missing',
  exitCode: -1,
  stdout: '',
  stderr: 'not found',
};
export const timedOut: ToolRun = { outcome: 'timeout', exitCode: -1, stdout: '', stderr: '' };

/** The committed lab.config.yml, loaded as on a roomy machine, with optional changes. */
export function labConfig(
  change: (c: LabConfigInput) => LabConfigInput = (c) => c,
): LabConfigInput {
  const { config } = loadConfig({ localFile: false, env: {}, host: { totalMemoryMb: 65_536 } });
  return change(config);
}

export interface FakeOptions extends Partial<Omit<DoctorDeps, 'tool'>> {
  /** "file arg arg" → result; anything else is a missing tool. */
  tools?: Record<string, ToolRun>;
  files?: Record<string, string>;
  devices?: Record<string, 'ok' | 'denied' | 'missing'>;
}

export function fakeDeps(options: FakeOptions = {}): DoctorDeps & { calls: string[] } {
  const { tools = {}, files = {}, devices = {}, ...rest } = options;
  const calls: string[] = [];
  return {
    platform: 'linux',
    arch: 'x64',
    env: {},
    nodeVersion: '20.19.0',
    tool: async (file, args) => {
      const line = [file, ...args].join(' ');
      calls.push(line);
      return tools[line] ?? missing;
    },
    readText: async (file) => files[file] ?? null,
    openReadWrite: async (file) => devices[file] ?? 'missing',
    availableMemoryMb: async () => 16_384,
    freeDiskMb: async () => ({ mb: 100_000, device: 1 }),
    tryBind,
    repoRoot: repoRoot(),
    homeDir: '/home/lab',
    isRoot: false,
    config: { ok: true, config: labConfig(), sources: [`${repoRoot()}/lab.config.yml`] },
    ...rest,
    calls,
  };
}

/** Canned outputs of a machine where everything works (Linux, x86, KVM). */
export const HEALTHY_TOOLS: Record<string, ToolRun> = {
  'ansible-playbook --version': ok('ansible-playbook [core 2.16.3]\n  config file = None'),
  'vagrant --version': ok('Vagrant 2.4.1'),
  'VBoxManage --version': ok('7.0.14r161095'),
  'virsh --connect qemu:///system version': ok(
    'Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\nUsing API: QEMU 9.0.0\nRunning hypervisor: QEMU 7.2.0',
  ),
  'vagrant plugin list': ok('vagrant-libvirt (0.11.2, global)'),
  'podman info --format {{.Version.Version}}|{{.Host.OCIRuntime.Name}}|{{.Host.CgroupsVersion}}|{{.Host.Security.Rootless}}':
    ok('4.9.3|crun|v2|true'),
  'docker info --format {{.ServerVersion}}': ok('26.1.4'),
  'ip -j route show': ok(
    '[{"dst":"default","gateway":"192.168.1.1","dev":"wlan0"},{"dst":"192.168.1.0/24","dev":"wlan0","scope":"link"}]',
  ),
};

export const PODMAN_INFO =
  'podman info --format {{.Version.Version}}|{{.Host.OCIRuntime.Name}}|{{.Host.CgroupsVersion}}|{{.Host.Security.Rootless}}';

export const VMX_CPUINFO = 'processor\t: 0\nflags\t\t: fpu vme de pse tsc msr pae vmx ssse3\n';
export const PLAIN_CPUINFO =
  'processor\t: 0\nflags\t\t: fpu vme de pse tsc msr pae hypervisor ssse3\n';
