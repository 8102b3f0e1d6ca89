// What `lab doctor` tells the user to do, per operating system. All fix texts live here so
// that the checks stay about facts.

/** The host as the hints see it: Linux, WSL (Linux inside Windows), macOS, or native Windows. */
export type HostKind = 'linux' | 'wsl' | 'macos' | 'windows' | 'other';

export const MIN_NODE = '20.19.0';
export const MIN_ANSIBLE_CORE = '2.14.0';
export const MIN_VAGRANT = '2.3.0';

/** Free disk the lab needs (MB); the README "Prerequisites" explains the figures. */
export const DISK_NEEDED_MB = {
  /** Four VMs: a Debian box each, growing with Docker images, MongoDB, Jenkins and Prometheus data. */
  vm: 20 * 1024,
  /** Four systemd containers from one Debian image, with Docker images inside. */
  container: 10 * 1024,
  /** The repository: npm dependencies, the lab's caches (.cache/), logs and load-test runs (.lab/). */
  repository: 2 * 1024,
} as const;

export const hints = {
  node: (host: HostKind) =>
    host === 'macos'
      ? `install Node.js ${MIN_NODE} or newer: \`brew install node@22\`, or nvm (\`nvm install 22\`)`
      : `install Node.js ${MIN_NODE} or newer (nvm: \`nvm install 22\`, or your distribution's nodejs 20.19+/22 package)`,

  ansible: (host: HostKind) =>
    host === 'macos'
      ? `install ansible-core ${MIN_ANSIBLE_CORE.replace(/\.0$/, '')}+: \`brew install ansible\` or \`pipx install ansible-core\``
      : `install ansible-core ${MIN_ANSIBLE_CORE.replace(/\.0$/, '')}+: \`sudo apt-get install ansible\` (Debian 12 / Ubuntu 24.04), or \`pipx install ansible-core\``,

  utf8Locale: () =>
    'Ansible needs a UTF-8 locale: `export LC_ALL=C.UTF-8` (or en_US.UTF-8), e.g. in your shell profile',

  vagrant: (host: HostKind) =>
    host === 'macos'
      ? 'install Vagrant (VM providers only): `brew install hashicorp/tap/hashicorp-vagrant`'
      : host === 'wsl'
        ? 'install the Linux Vagrant package inside WSL and `export VAGRANT_WSL_ENABLE_WINDOWS_ACCESS=1` (VM providers only)'
        : 'install Vagrant (VM providers only): `sudo apt-get install vagrant`, or the package from developer.hashicorp.com/vagrant/install',

  virtualization: (host: HostKind) =>
    host === 'wsl'
      ? 'VirtualBox runs on the Windows side: check Task Manager → Performance → CPU → "Virtualization: Enabled"'
      : host === 'macos'
        ? 'this Mac reports no hypervisor support: VMs cannot run; use the podman provider (podman machine)'
        : 'enable VT-x/AMD-V in the firmware (or nested virtualization if this is itself a VM), or use a container provider: `--provider podman`',

  kvmPermission: () =>
    'add yourself to the kvm group: `sudo usermod -aG kvm $USER`, then log in again',

  kvmModule: () =>
    'load KVM: `sudo modprobe kvm_intel` (or `kvm_amd`); VirtualBox does not need it',

  virtualbox: (host: HostKind, arch: string) =>
    host === 'macos'
      ? arch === 'arm64'
        ? 'Apple Silicon: VirtualBox 7.1+ runs arm64 guests only (set an arm64 box in lab.local.yml); podman is the simpler choice here'
        : 'install VirtualBox 7: `brew install --cask virtualbox`'
      : host === 'wsl'
        ? 'install VirtualBox on Windows; put its folder on the WSL PATH so VBoxManage.exe is found, and `export VAGRANT_WSL_ENABLE_WINDOWS_ACCESS=1`'
        : 'install VirtualBox 7 from virtualbox.org (Linux downloads), then `sudo /sbin/vboxconfig` to build its kernel module',

  virtualboxDriver: () =>
    'the VirtualBox kernel module is not loaded: `sudo /sbin/vboxconfig` (needs the kernel headers)',

  libvirtInstall: () =>
    'install libvirt and KVM: `sudo apt-get install libvirt-daemon-system libvirt-clients qemu-system-x86`, then `sudo usermod -aG libvirt $USER`',

  libvirtDaemon: () =>
    'start libvirt: `sudo systemctl enable --now libvirtd`, and make sure you are in the libvirt group',

  libvirtPlugin: () =>
    'install the Vagrant plugin: `vagrant plugin install vagrant-libvirt` (or `sudo apt-get install vagrant-libvirt`)',

  podman: (host: HostKind, labContainersConf: string | null) =>
    host === 'macos'
      ? 'install and start podman: `brew install podman && podman machine init --rootful && podman machine start`'
      : `install podman: \`sudo apt-get install podman runc\`${labContainersConf ? `; on cgroup-v1 hosts where crun fails, \`export CONTAINERS_CONF=${labContainersConf}\`` : ''}`,

  podmanCrunV1: (labContainersConf: string | null) =>
    `crun fails on some cgroup-v1 hosts; if containers do not start, use runc: ${labContainersConf ? `\`export CONTAINERS_CONF=${labContainersConf}\`` : 'set `runtime = "runc"` in containers.conf'}`,

  docker: (host: HostKind) =>
    host === 'macos'
      ? 'install and start Docker Desktop (or colima)'
      : 'install Docker Engine (`sudo apt-get install docker.io`) and start it: `sudo systemctl enable --now docker`',

  dockerDaemon: (host: HostKind) =>
    host === 'macos'
      ? 'start Docker Desktop (or `colima start`)'
      : 'start the daemon (`sudo systemctl start docker`) and make sure you may use it (`sudo usermod -aG docker $USER`)',

  memory: (smallProfileMb: number | null) =>
    smallProfileMb !== null
      ? `close memory-hungry programs, or use the small profile (${smallProfileMb} MB): \`LAB_PROFILE=small\` or \`lab --profile small …\``
      : 'close memory-hungry programs, or lower nodes[].memory in lab.local.yml',

  disk: (missingMb: number) =>
    `free ${Math.ceil(missingMb / 1024)} GB more there (old Vagrant boxes: \`vagrant box prune\`; images: \`podman image prune\`)`,

  network: (provider: string | null) =>
    `pick a free private range in lab.local.yml (network.cidr and every nodes[].ip)${
      provider === 'virtualbox'
        ? '; VirtualBox on Linux/macOS allows host-only networks only in 192.168.56.0/21 unless /etc/vbox/networks.conf lists more'
        : ''
    }`,

  routes: () => 'install iproute2 (`ip`) so the routes can be checked',

  ports: (host: HostKind, port: number) =>
    `see what holds it: ${host === 'macos' ? `\`lsof -nP -iTCP:${port} -sTCP:LISTEN\`` : `\`ss -ltnp 'sport = :${port}'\``}; stop it, or change ports[].host in lab.local.yml. If this lab is already up, its own nodes hold these ports (\`lab status\`)`,

  windows: () =>
    'run the lab from WSL 2 (Ubuntu or Debian): the CLI, Ansible and Vagrant run there',

  useProvider: (provider: string) =>
    `use ${provider}: \`lab --provider ${provider} up\` (or \`LAB_PROVIDER=${provider} make lab-up\`, or \`provider: ${provider}\` in lab.local.yml)`,

  noProvider: () =>
    'install one provider: VirtualBox or libvirt (with Vagrant and CPU virtualization) for VMs, or podman for containers',
} as const;
