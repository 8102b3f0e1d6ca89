// Can this machine run the lab's nodes? VMs need Vagrant, a hypervisor and CPU virtualization;
// containers need a working podman or Docker engine. Each provider is one check; the verdict
// combines them.
import path from 'node:path';
import { hints } from '../hints.js';
import { hostKind, lastLine } from '../host.js';
import {
  resultFor,
  type Check,
  type CheckResult,
  type DoctorDeps,
  type ToolRun,
  type VirtualizationFacts,
} from '../types.js';
import { formatVersion, parseVersion } from '../version.js';

const failedRun = (what: string, r: ToolRun): string =>
  r.outcome === 'timeout' ? `${what} timed out` : `${what} failed: ${lastLine(r.stderr, r.stdout)}`;

/** x86 CPUs list vmx (Intel VT-x) or svm (AMD-V) in /proc/cpuinfo when they offer it. */
export function cpuHasVirtualization(cpuinfo: string): boolean {
  return /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo);
}

export const virtualizationCheck: Check = async (deps) => {
  const title = 'CPU virtualization';
  const host = await hostKind(deps);
  const out = resultFor('virtualization', title);
  const result = (
    status: CheckResult['status'],
    detail: string,
    facts: VirtualizationFacts,
    hint?: string,
  ): CheckResult => ({ ...out(status, detail, hint), facts });

  if (host === 'windows')
    return result(
      'skip',
      'not checked on native Windows',
      { hardware: null, kvm: null },
      hints.windows(),
    );
  if (host === 'macos') {
    const r = await deps.tool('sysctl', ['-n', 'kern.hv_support'], 5_000);
    if (r.outcome !== 'ok')
      return result('warn', `cannot tell: ${failedRun('sysctl kern.hv_support', r)}`, {
        hardware: null,
        kvm: null,
      });
    return r.stdout.trim() === '1'
      ? result('ok', 'Hypervisor.framework available (kern.hv_support=1)', {
          hardware: true,
          kvm: null,
        })
      : result(
          'fail',
          'no hypervisor support (kern.hv_support=0)',
          { hardware: false, kvm: null },
          hints.virtualization(host),
        );
  }
  if (host !== 'linux' && host !== 'wsl')
    return result('skip', `not checked on ${deps.platform}`, { hardware: null, kvm: null });

  const [cpuinfo, kvmDevice] = await Promise.all([
    deps.readText('/proc/cpuinfo'),
    deps.openReadWrite('/dev/kvm'),
  ]);
  const kvm = kvmDevice === 'ok';
  const kvmText = {
    ok: 'KVM usable (/dev/kvm)',
    denied: '/dev/kvm exists but you may not open it',
    missing: 'no /dev/kvm',
  }[kvmDevice];

  if (host === 'wsl') {
    // WSL's /proc/cpuinfo hides vmx/svm unless nested virtualization is on; VirtualBox would run
    // on the Windows side, whose CPU settings cannot be seen from here.
    return result(
      'warn',
      `cannot be seen from inside WSL (VirtualBox runs on Windows); ${kvmText}`,
      { hardware: null, kvm },
      hints.virtualization(host),
    );
  }

  const x86 = deps.arch === 'x64' || deps.arch === 'ia32';
  const hardware = cpuinfo === null || !x86 ? null : cpuHasVirtualization(cpuinfo);
  const hwText =
    hardware === null
      ? x86
        ? 'cannot read /proc/cpuinfo'
        : `CPU flags not checked on ${deps.arch}`
      : hardware
        ? 'VT-x/AMD-V in the CPU flags'
        : 'no vmx/svm in the CPU flags';
  const detail = `${hwText}; ${kvmText}`;
  const facts = { hardware, kvm };

  if (hardware !== false && kvm) return result('ok', detail, facts);
  if (hardware === true) {
    return result(
      'warn',
      `${detail}: VirtualBox can run VMs, libvirt cannot`,
      facts,
      kvmDevice === 'denied' ? hints.kvmPermission() : hints.kvmModule(),
    );
  }
  if (kvm) {
    // Seen inside some VMs: KVM works (nested virtualization) while the flag is hidden.
    return result('warn', `${detail}: libvirt/KVM can run VMs, VirtualBox cannot`, facts);
  }
  return result(
    'fail',
    `${detail}: no VM can run here`,
    facts,
    kvmDevice === 'denied' ? hints.kvmPermission() : hints.virtualization(host),
  );
};

export const virtualboxCheck: Check = async (deps) => {
  const title = 'VirtualBox';
  const host = await hostKind(deps);
  const out = resultFor('virtualbox', title);
  if (host === 'windows') return out('skip', 'not checked on native Windows', hints.windows());

  let r = await deps.tool('VBoxManage', ['--version'], 10_000);
  if (r.outcome === 'missing' && host === 'wsl')
    r = await deps.tool('VBoxManage.exe', ['--version'], 10_000);
  if (r.outcome === 'missing')
    return out('fail', 'not installed (VBoxManage not found)', hints.virtualbox(host, deps.arch));
  const text = `${r.stdout}\n${r.stderr}`;
  if (/vboxdrv|kernel module/i.test(text))
    return out('fail', 'installed, but its kernel driver is not loaded', hints.virtualboxDriver());
  if (r.outcome !== 'ok')
    return out('fail', failedRun('VBoxManage --version', r), hints.virtualbox(host, deps.arch));
  const version = parseVersion(r.stdout);
  const detail = version ? formatVersion(version) : r.stdout.trim();
  if (host === 'macos' && deps.arch === 'arm64')
    return out('warn', `${detail} on Apple Silicon`, hints.virtualbox(host, deps.arch));
  return out('ok', detail);
};

export const libvirtCheck: Check = async (deps) => {
  const title = 'libvirt (KVM) + vagrant-libvirt';
  const out = resultFor('libvirt', title);
  if (deps.platform !== 'linux') return out('skip', 'libvirt is a Linux provider');

  const [virsh, plugins] = await Promise.all([
    deps.tool('virsh', ['--connect', 'qemu:///system', 'version'], 10_000),
    deps.tool('vagrant', ['plugin', 'list'], 20_000),
  ]);
  const problems: string[] = [];
  const found: string[] = [];
  const fixes: string[] = [];

  if (virsh.outcome === 'ok') {
    const lib = /Using library: libvirt ([\d.]+)/.exec(virsh.stdout)?.[1];
    const hv = /Running hypervisor: (.+)/.exec(virsh.stdout)?.[1]?.trim();
    found.push(`libvirt ${lib ?? '?'}${hv ? ` (${hv})` : ''}`);
  } else if (virsh.outcome === 'missing') {
    problems.push('libvirt not installed (virsh not found)');
    fixes.push(hints.libvirtInstall());
  } else {
    problems.push(
      `libvirtd not reachable (${virsh.outcome === 'timeout' ? 'timed out' : lastLine(virsh.stderr, virsh.stdout)})`,
    );
    fixes.push(hints.libvirtDaemon());
  }

  if (plugins.outcome === 'ok') {
    const plugin = /^vagrant-libvirt \(([^,)]+)/m.exec(plugins.stdout)?.[1];
    if (plugin) found.push(`vagrant-libvirt ${plugin}`);
    else {
      problems.push('vagrant-libvirt plugin not installed');
      fixes.push(hints.libvirtPlugin());
    }
  } else if (plugins.outcome === 'missing') {
    problems.push('needs Vagrant');
  } else {
    problems.push(failedRun('vagrant plugin list', plugins));
  }

  if (problems.length === 0) return out('ok', found.join(', '));
  return out(
    'fail',
    [...problems, ...found.map((f) => `${f} is installed`)].join('; '),
    fixes.join('; ') || undefined,
  );
};

/** The project's podman settings for hosts where crun fails (runc, lower ulimits). */
async function labContainersConf(deps: DoctorDeps): Promise<string | null> {
  const file = path.join(deps.repoRoot, 'scripts/podman/containers.conf');
  return (await deps.readText(file)) === null ? null : file;
}

export const podmanCheck: Check = async (deps) => {
  const title = 'podman (containers)';
  const [host, conf, r] = await Promise.all([
    hostKind(deps),
    labContainersConf(deps),
    deps.tool(
      'podman',
      [
        'info',
        '--format',
        '{{.Version.Version}}|{{.Host.OCIRuntime.Name}}|{{.Host.CgroupsVersion}}|{{.Host.Security.Rootless}}',
      ],
      20_000,
    ),
  ]);
  const containersConf = deps.env.CONTAINERS_CONF;
  // Only suggest the project's file when the user has not chosen one already.
  const suggestConf = containersConf ? null : conf;
  const out = resultFor('podman', title);
  if (r.outcome === 'missing')
    return out('fail', 'not installed (podman not found)', hints.podman(host, suggestConf));
  if (r.outcome !== 'ok') {
    const fix =
      host === 'macos'
        ? hints.podman(host, null)
        : `${suggestConf ? `try \`export CONTAINERS_CONF=${suggestConf}\`; ` : ''}check \`podman info\``;
    return out(
      'fail',
      `${failedRun('podman info', r)}${containersConf ? ` (CONTAINERS_CONF=${containersConf})` : ''}`,
      fix,
    );
  }
  const [version = '?', runtime = '?', cgroups = '?', rootless = ''] = r.stdout.trim().split('|');
  const detail = `${version}, runtime ${runtime}, cgroups ${cgroups}, ${rootless === 'true' ? 'rootless' : 'rootful'}${
    containersConf ? `, CONTAINERS_CONF=${containersConf}` : ''
  }`;
  if (runtime === 'crun' && cgroups === 'v1')
    return out('warn', detail, hints.podmanCrunV1(suggestConf ?? containersConf ?? null));
  return out('ok', detail);
};

export const dockerCheck: Check = async (deps) => {
  const title = 'Docker engine (containers)';
  const [host, r] = await Promise.all([
    hostKind(deps),
    deps.tool('docker', ['info', '--format', '{{.ServerVersion}}'], 10_000),
  ]);
  const out = resultFor('docker', title);
  if (r.outcome === 'missing')
    return out('fail', 'not installed (docker not found)', hints.docker(host));
  const server = r.stdout.trim();
  if (r.outcome !== 'ok' || !server) {
    return out(
      'fail',
      r.outcome === 'timeout'
        ? 'docker info timed out'
        : `daemon not reachable: ${lastLine(r.stderr, r.stdout)}`,
      hints.dockerDaemon(host),
    );
  }
  return out('ok', `engine ${server}`);
};
