// Each doctor check on controlled facts: canned tool outputs, fixed files and devices.
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { ConfigError } from '../../src/config/load.js';
import { ansibleCheck, nodeCheck, vagrantCheck } from '../../src/doctor/checks/tools.js';
import {
  cpuHasVirtualization,
  dockerCheck,
  libvirtCheck,
  podmanCheck,
  virtualboxCheck,
  virtualizationCheck,
} from '../../src/doctor/checks/providers.js';
import { configCheck, diskCheck, memoryCheck } from '../../src/doctor/checks/resources.js';
import { memAvailableMb } from '../../src/doctor/host-deps.js';
import {
  failed,
  fakeDeps,
  HEALTHY_TOOLS,
  labConfig,
  ok,
  PLAIN_CPUINFO,
  PODMAN_INFO,
  timedOut,
  VMX_CPUINFO,
} from './deps.js';

describe('node', () => {
  test.each([
    ['20.19.0', 'ok'],
    ['22.11.0', 'ok'],
    ['20.18.1', 'fail'],
    ['18.20.4', 'fail'],
  ])('Node %s → %s', async (version, status) => {
    const r = await nodeCheck(fakeDeps({ nodeVersion: version }));
    expect(r.status).toBe(status);
    expect(r.blocking).toBe(true);
    if (status === 'fail') expect(r.hint).toMatch(/20\.19/);
  });
});

describe('ansible', () => {
  test('reads the core version of ansible-playbook', async () => {
    const r = await ansibleCheck(fakeDeps({ tools: HEALTHY_TOOLS }));
    expect(r).toMatchObject({ status: 'ok', detail: 'core 2.16.3', blocking: true });
  });

  test('ansible-core older than 2.14 is a blocking failure', async () => {
    const r = await ansibleCheck(
      fakeDeps({ tools: { 'ansible-playbook --version': ok('ansible-playbook [core 2.12.10]') } }),
    );
    expect(r).toMatchObject({ status: 'fail', blocking: true });
    expect(r.detail).toBe('core 2.12.10 is too old');
  });

  test('old "ansible-playbook 2.9.6" banners are read too, and are too old', async () => {
    const r = await ansibleCheck(
      fakeDeps({ tools: { 'ansible-playbook --version': ok('ansible-playbook 2.9.6') } }),
    );
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('2.9.6');
  });

  test('missing: says so and how to install it per OS', async () => {
    const linux = await ansibleCheck(fakeDeps());
    expect(linux).toMatchObject({ status: 'fail', detail: 'ansible-playbook not found' });
    expect(linux.hint).toContain('apt-get install ansible');
    const mac = await ansibleCheck(fakeDeps({ platform: 'darwin' }));
    expect(mac.hint).toContain('brew install ansible');
  });

  test('a non-UTF-8 locale gets the locale hint, not an install hint', async () => {
    const r = await ansibleCheck(
      fakeDeps({
        tools: {
          'ansible-playbook --version': failed(
            'ERROR: Ansible requires the locale encoding to be UTF-8; Detected None.',
          ),
        },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('locale encoding');
    expect(r.hint).toContain('LC_ALL=C.UTF-8');
  });
});

describe('vagrant', () => {
  test('version', async () => {
    expect(await vagrantCheck(fakeDeps({ tools: HEALTHY_TOOLS }))).toMatchObject({
      status: 'ok',
      detail: '2.4.1',
    });
  });
  test('missing is not blocking by itself (containers do not need it)', async () => {
    const r = await vagrantCheck(fakeDeps());
    expect(r).toMatchObject({ status: 'fail', blocking: false });
    expect(r.hint).toMatch(/Vagrant/);
  });
  test('WSL gets the Windows-access hint', async () => {
    const r = await vagrantCheck(fakeDeps({ env: { WSL_DISTRO_NAME: 'Ubuntu' } }));
    expect(r.hint).toContain('VAGRANT_WSL_ENABLE_WINDOWS_ACCESS=1');
  });
});

describe('virtualization', () => {
  test('cpu flags', () => {
    expect(cpuHasVirtualization(VMX_CPUINFO)).toBe(true);
    expect(cpuHasVirtualization('flags\t\t: fpu svm lm\n')).toBe(true);
    expect(cpuHasVirtualization(PLAIN_CPUINFO)).toBe(false);
    // "vmx" inside another word or outside the flags line does not count
    expect(cpuHasVirtualization('model name\t: vmx\nflags\t\t: fpu vmxnet\n')).toBe(false);
  });

  test('vmx and a usable /dev/kvm: ok', async () => {
    const r = await virtualizationCheck(
      fakeDeps({ files: { '/proc/cpuinfo': VMX_CPUINFO }, devices: { '/dev/kvm': 'ok' } }),
    );
    expect(r).toMatchObject({
      status: 'ok',
      facts: { hardware: true, kvm: true },
      blocking: false,
    });
  });

  test('vmx without /dev/kvm: VirtualBox yes, libvirt no', async () => {
    const r = await virtualizationCheck(fakeDeps({ files: { '/proc/cpuinfo': VMX_CPUINFO } }));
    expect(r).toMatchObject({ status: 'warn', facts: { hardware: true, kvm: false } });
    expect(r.hint).toContain('modprobe');
  });

  test('/dev/kvm usable but no flag (nested VM, like the development machine): libvirt only', async () => {
    const r = await virtualizationCheck(
      fakeDeps({ files: { '/proc/cpuinfo': PLAIN_CPUINFO }, devices: { '/dev/kvm': 'ok' } }),
    );
    expect(r).toMatchObject({ status: 'warn', facts: { hardware: false, kvm: true } });
    expect(r.detail).toContain('VirtualBox cannot');
  });

  test('neither: fail with the firmware / podman hint', async () => {
    const r = await virtualizationCheck(fakeDeps({ files: { '/proc/cpuinfo': PLAIN_CPUINFO } }));
    expect(r).toMatchObject({
      status: 'fail',
      facts: { hardware: false, kvm: false },
      blocking: false,
    });
    expect(r.hint).toContain('--provider podman');
  });

  test('/dev/kvm not openable: the kvm group hint', async () => {
    const r = await virtualizationCheck(
      fakeDeps({ files: { '/proc/cpuinfo': PLAIN_CPUINFO }, devices: { '/dev/kvm': 'denied' } }),
    );
    expect(r.status).toBe('fail');
    expect(r.hint).toContain('usermod -aG kvm');
  });

  test('WSL: honest that the Windows side cannot be seen', async () => {
    const r = await virtualizationCheck(
      fakeDeps({
        files: {
          '/proc/cpuinfo': PLAIN_CPUINFO,
          '/proc/sys/kernel/osrelease': '5.15.153.1-microsoft-standard-WSL2',
        },
      }),
    );
    expect(r).toMatchObject({ status: 'warn', facts: { hardware: null } });
    expect(r.detail).toContain('WSL');
  });

  test('macOS asks sysctl kern.hv_support', async () => {
    const yes = await virtualizationCheck(
      fakeDeps({ platform: 'darwin', tools: { 'sysctl -n kern.hv_support': ok('1') } }),
    );
    expect(yes).toMatchObject({ status: 'ok', facts: { hardware: true, kvm: null } });
    const no = await virtualizationCheck(
      fakeDeps({ platform: 'darwin', tools: { 'sysctl -n kern.hv_support': ok('0') } }),
    );
    expect(no.status).toBe('fail');
  });

  test('native Windows: skipped with the WSL hint', async () => {
    const r = await virtualizationCheck(fakeDeps({ platform: 'win32' }));
    expect(r.status).toBe('skip');
    expect(r.hint).toContain('WSL');
  });
});

describe('VirtualBox', () => {
  test('version', async () => {
    expect(await virtualboxCheck(fakeDeps({ tools: HEALTHY_TOOLS }))).toMatchObject({
      status: 'ok',
      detail: '7.0.14',
    });
  });
  test('not installed', async () => {
    const r = await virtualboxCheck(fakeDeps());
    expect(r).toMatchObject({
      status: 'fail',
      detail: 'not installed (VBoxManage not found)',
      blocking: false,
    });
    expect(r.hint).toContain('virtualbox.org');
  });
  test('installed without its kernel driver', async () => {
    const r = await virtualboxCheck(
      fakeDeps({
        tools: {
          'VBoxManage --version': ok(
            'WARNING: The vboxdrv kernel module is not loaded. Either there is no module\n7.0.14r161095',
          ),
        },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.hint).toContain('vboxconfig');
  });
  test('WSL finds the Windows VBoxManage.exe', async () => {
    const deps = fakeDeps({
      env: { WSL_DISTRO_NAME: 'Debian' },
      tools: { 'VBoxManage.exe --version': ok('7.1.4r165100') },
    });
    expect(await virtualboxCheck(deps)).toMatchObject({ status: 'ok', detail: '7.1.4' });
    expect(deps.calls).toEqual(['VBoxManage --version', 'VBoxManage.exe --version']);
  });
  test('Apple Silicon: a warning about arm64 boxes', async () => {
    const r = await virtualboxCheck(
      fakeDeps({ platform: 'darwin', arch: 'arm64', tools: HEALTHY_TOOLS }),
    );
    expect(r.status).toBe('warn');
    expect(r.hint).toContain('arm64');
  });
});

describe('libvirt', () => {
  test('daemon and plugin', async () => {
    const r = await libvirtCheck(fakeDeps({ tools: HEALTHY_TOOLS }));
    expect(r).toMatchObject({
      status: 'ok',
      detail: 'libvirt 9.0.0 (QEMU 7.2.0), vagrant-libvirt 0.11.2',
    });
  });
  test('plugin without libvirt (this machine): says both', async () => {
    const r = await libvirtCheck(
      fakeDeps({ tools: { 'vagrant plugin list': ok('vagrant-libvirt (0.11.2, system)') } }),
    );
    expect(r.status).toBe('fail');
    expect(r.detail).toBe(
      'libvirt not installed (virsh not found); vagrant-libvirt 0.11.2 is installed',
    );
    expect(r.hint).toContain('libvirt-daemon-system');
  });
  test('daemon down', async () => {
    const r = await libvirtCheck(
      fakeDeps({
        tools: {
          ...HEALTHY_TOOLS,
          'virsh --connect qemu:///system version': failed(
            "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory",
          ),
        },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('libvirtd not reachable');
    expect(r.hint).toContain('systemctl enable --now libvirtd');
  });
  test('no plugin', async () => {
    const r = await libvirtCheck(
      fakeDeps({ tools: { ...HEALTHY_TOOLS, 'vagrant plugin list': ok('No plugins installed.') } }),
    );
    expect(r.status).toBe('fail');
    expect(r.hint).toContain('vagrant plugin install vagrant-libvirt');
  });
  test('not on macOS', async () => {
    expect(
      (await libvirtCheck(fakeDeps({ platform: 'darwin', tools: HEALTHY_TOOLS }))).status,
    ).toBe('skip');
  });
});

describe('podman', () => {
  const repoConf = (deps: ReturnType<typeof fakeDeps>) =>
    path.join(deps.repoRoot, 'scripts/podman/containers.conf');

  test('works', async () => {
    const r = await podmanCheck(fakeDeps({ tools: HEALTHY_TOOLS }));
    expect(r).toMatchObject({
      status: 'ok',
      detail: '4.9.3, runtime crun, cgroups v2, rootless',
      blocking: false,
    });
  });

  test('honours CONTAINERS_CONF and says so', async () => {
    const r = await podmanCheck(
      fakeDeps({
        env: { CONTAINERS_CONF: '/etc/lab/containers.conf' },
        tools: { [PODMAN_INFO]: ok('4.3.1|runc|v1|false') },
      }),
    );
    expect(r.status).toBe('ok');
    expect(r.detail).toBe(
      '4.3.1, runtime runc, cgroups v1, rootful, CONTAINERS_CONF=/etc/lab/containers.conf',
    );
  });

  test('crun on cgroup v1: a warning pointing at the project containers.conf', async () => {
    const base = fakeDeps();
    const deps = fakeDeps({
      tools: { [PODMAN_INFO]: ok('4.3.1|crun|v1|false') },
      files: { [repoConf(base)]: '[engine]\nruntime = "runc"\n' },
    });
    const r = await podmanCheck(deps);
    expect(r.status).toBe('warn');
    expect(r.hint).toContain(`CONTAINERS_CONF=${repoConf(deps)}`);
  });

  test('podman info failing: detail has its error, hint suggests CONTAINERS_CONF', async () => {
    const base = fakeDeps();
    const r = await podmanCheck(
      fakeDeps({
        tools: { [PODMAN_INFO]: failed('Error: could not find a working conmon binary') },
        files: { [repoConf(base)]: 'x' },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.detail).toBe('podman info failed: Error: could not find a working conmon binary');
    expect(r.hint).toContain(`export CONTAINERS_CONF=${repoConf(base)}`);
  });

  test('timeout and missing', async () => {
    expect((await podmanCheck(fakeDeps({ tools: { [PODMAN_INFO]: timedOut } }))).detail).toBe(
      'podman info timed out',
    );
    const r = await podmanCheck(fakeDeps());
    expect(r).toMatchObject({ status: 'fail', detail: 'not installed (podman not found)' });
    expect(r.hint).toContain('apt-get install podman');
  });

  test('macOS: podman machine', async () => {
    const r = await podmanCheck(
      fakeDeps({
        platform: 'darwin',
        tools: { [PODMAN_INFO]: failed('Cannot connect to Podman.') },
      }),
    );
    expect(r.hint).toContain('podman machine start');
  });
});

describe('docker', () => {
  test('engine reachable', async () => {
    expect(await dockerCheck(fakeDeps({ tools: HEALTHY_TOOLS }))).toMatchObject({
      status: 'ok',
      detail: 'engine 26.1.4',
    });
  });
  test('client without a daemon (this machine)', async () => {
    const r = await dockerCheck(
      fakeDeps({
        tools: {
          'docker info --format {{.ServerVersion}}': failed(
            'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
          ),
        },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.detail).toMatch(/^daemon not reachable: Cannot connect to the Docker daemon/);
    expect(r.hint).toContain('systemctl start docker');
  });
  test('missing', async () => {
    expect((await dockerCheck(fakeDeps())).detail).toBe('not installed (docker not found)');
  });
});

describe('config', () => {
  test('ok names the files, provider and profile', async () => {
    const r = await configCheck(fakeDeps());
    expect(r).toMatchObject({ status: 'ok', blocking: true });
    expect(r.detail).toBe('lab.config.yml: provider virtualbox, profile default, 4 nodes');
  });
  test('invalid: blocking failure with the first problems', async () => {
    const error = new ConfigError('/x/lab.config.yml', [
      { path: 'provider', message: '"vmware" is not one of "virtualbox", "libvirt"' },
      { path: 'nodes[0].ip', message: 'is not an IPv4 address' },
    ]);
    const r = await configCheck(fakeDeps({ config: { ok: false, error } }));
    expect(r).toMatchObject({ status: 'fail', blocking: true });
    expect(r.detail).toContain('2 problems');
    expect(r.detail).toContain('provider: "vmware"');
    expect(r.detail).toContain('nodes[0].ip');
    expect(r.hint).toContain('lab config validate');
  });
});

describe('memory', () => {
  const withConfig = (provider: 'virtualbox' | 'podman', available: number) =>
    fakeDeps({
      availableMemoryMb: async () => available,
      config: { ok: true, config: labConfig((c) => ({ ...c, provider })), sources: [] },
    });

  test('MemAvailable from /proc/meminfo', () => {
    expect(
      memAvailableMb('MemTotal:       24684092 kB\nMemFree: 1 kB\nMemAvailable:   24157424 kB\n'),
    ).toBe(23591);
    expect(memAvailableMb('MemTotal: 1 kB\n')).toBeNull();
    expect(memAvailableMb(null)).toBeNull();
  });

  test('enough for the default profile (8704 MB)', async () => {
    const r = await memoryCheck(withConfig('virtualbox', 9000));
    expect(r).toMatchObject({ status: 'ok', blocking: true });
    expect(r.detail).toBe("8.8 GB available, the default profile's nodes need 8.5 GB");
  });

  test('VMs that do not fit: blocking, suggests the small profile with its figure', async () => {
    const r = await memoryCheck(withConfig('virtualbox', 6000));
    expect(r).toMatchObject({ status: 'fail', blocking: true });
    expect(r.hint).toContain('small profile (5120 MB)');
  });

  test('containers share memory: only a warning', async () => {
    const r = await memoryCheck(withConfig('podman', 6000));
    expect(r).toMatchObject({ status: 'warn', blocking: false });
  });

  test('skipped without a config', async () => {
    const error = new ConfigError('/x', [{ path: 'a', message: 'b' }]);
    expect((await memoryCheck(fakeDeps({ config: { ok: false, error } }))).status).toBe('skip');
  });
});

describe('disk', () => {
  test('repository and VMs on one file system: needs add up (2 + 20 GB)', async () => {
    const ample = await diskCheck(
      fakeDeps({ freeDiskMb: async () => ({ mb: 23 * 1024, device: 7 }) }),
    );
    expect(ample.status).toBe('ok');
    expect(ample.detail).toBe(
      '23.0 GB free for repository and caches + VirtualBox VMs and boxes (needs 22.0 GB)',
    );
    const short = await diskCheck(
      fakeDeps({ freeDiskMb: async () => ({ mb: 21 * 1024, device: 7 }) }),
    );
    expect(short).toMatchObject({ status: 'fail', blocking: true });
    expect(short.hint).toContain('free 1 GB more');
  });

  test('separate file systems are judged apart', async () => {
    const r = await diskCheck(
      fakeDeps({
        homeDir: '/home/lab',
        freeDiskMb: async (dir) =>
          dir === '/home/lab' ? { mb: 5 * 1024, device: 2 } : { mb: 500 * 1024, device: 1 },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.detail).toContain('not enough on the file system of /home/lab');
  });

  test('rootful podman: /var/lib/containers, or its nearest existing parent', async () => {
    const asked: string[] = [];
    const r = await diskCheck(
      fakeDeps({
        isRoot: true,
        config: { ok: true, config: labConfig((c) => ({ ...c, provider: 'podman' })), sources: [] },
        freeDiskMb: async (dir) => {
          asked.push(dir);
          return dir === '/var/lib/containers'
            ? null
            : { mb: 50_000, device: dir === '/var/lib' ? 3 : 1 };
        },
      }),
    );
    expect(asked).toContain('/var/lib');
    expect(r.status).toBe('ok');
    expect(r.detail).toContain('for podman storage (needs 10.0 GB)');
  });
});
