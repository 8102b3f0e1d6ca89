#!/usr/bin/env bash
# Builds (once) the lab's systemd node image for the container providers and the converge
# harness: Debian 12 from rootfs.sh's debootstrap tarball, plus systemd, python3 (+ python3-apt)
# and sudo for Ansible, ca-certificates, iproute2. Packages come from the Debian mirror
# this machine's apt uses, so no image registry is needed. Prints the image name.
#   scripts/images/systemd-base.sh            # build if missing or if this recipe changed
#   LAB_IMAGE_REBUILD=1 scripts/images/systemd-base.sh
# Podman must use runc and lower ulimits here: CONTAINERS_CONF=scripts/podman/containers.conf
# (set below when unset).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${LAB_IMAGE_CACHE:-$root/.cache/images}"
image="${LAB_NODE_IMAGE:-localhost/cicd-lab/node:bookworm}"
rootfs_image="localhost/cicd-lab/rootfs:bookworm"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/scripts/podman/containers.conf}"

# Packages baked in: what Ansible needs to manage a node without downloading anything first.
packages=(systemd systemd-sysv dbus python3 python3-apt sudo ca-certificates iproute2 procps)
# The Debian mirrors this machine's apt uses (shared detection with rootfs.sh).
# shellcheck source=debian-mirror.sh
source "$root/scripts/images/debian-mirror.sh"
mirror="${LAB_DEBIAN_MIRROR:-$(detect_mirror)}"
mirror="${mirror%/}"
security="${LAB_DEBIAN_SECURITY_MIRROR:-$(detect_mirror debian-security)}"
[[ -n "$mirror" ]] || { echo "systemd-base.sh: no Debian mirror found in /etc/apt; set LAB_DEBIAN_MIRROR" >&2; exit 2; }
command -v podman >/dev/null || { echo "systemd-base.sh: podman is missing; run 'make tools'" >&2; exit 4; }

# The recipe's fingerprint: this script and the package list. A changed recipe rebuilds.
recipe="$(cat "$0" | sha256sum | cut -c1-16)"

mkdir -p "$cache"
exec 9>"$cache/systemd-base.lock"
flock 9
if [[ "${LAB_IMAGE_REBUILD:-0}" != 1 ]] && podman image exists "$image" &&
  [[ "$(podman image inspect --format '{{index .Labels "cicd-lab.recipe"}}' "$image")" == "$recipe" ]]; then
  echo "$image"
  exit 0
fi

started=$SECONDS
tarball="$(LAB_DEBIAN_MIRROR="$mirror" "$root/scripts/images/rootfs.sh")"
if ! podman image exists "$rootfs_image" || [[ "$tarball" -nt "$cache/rootfs-imported.stamp" ]]; then
  echo "systemd-base.sh: importing $tarball as $rootfs_image" >&2
  podman import --quiet "$tarball" "$rootfs_image" >/dev/null
  touch "$cache/rootfs-imported.stamp"
fi

ctx="$(mktemp -d "$cache/systemd-base.XXXXXX")"
trap 'rm -rf "$ctx"' EXIT
sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main")
[[ -n "$security" ]] && sources+=("deb ${security%/} bookworm-security main")
printf '%s\n' "${sources[@]}" >"$ctx/sources.list"
# Keep downloaded packages: the converge harness mounts a per-node cache on the archives folder.
printf '%s\n' 'APT::Keep-Downloaded-Packages "true";' 'Binary::apt::APT::Keep-Downloaded-Packages "true";' \
  'APT::Install-Recommends "false";' >"$ctx/90cicd-lab"
cat >"$ctx/Containerfile" <<CONTAINERFILE
FROM $rootfs_image
ENV container=podman DEBIAN_FRONTEND=noninteractive
COPY sources.list /etc/apt/sources.list
COPY 90cicd-lab /etc/apt/apt.conf.d/90cicd-lab
RUN apt-get update -q && apt-get install -y -q --no-install-recommends ${packages[*]} && apt-get clean
# A fresh machine id per container; units that cannot work in a container are masked.
RUN rm -f /etc/machine-id /var/lib/dbus/machine-id && : >/etc/machine-id \\
 && systemctl mask getty.target console-getty.service systemd-udevd.service systemd-udevd-kernel.socket \\
      systemd-udevd-control.socket systemd-firstboot.service sys-kernel-config.mount sys-kernel-debug.mount
LABEL cicd-lab.recipe="$recipe" org.opencontainers.image.title="cicd-lab systemd node (Debian 12)"
STOPSIGNAL SIGRTMIN+3
CMD ["/sbin/init"]
CONTAINERFILE
old_id="$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
echo "systemd-base.sh: building $image (${packages[*]})..." >&2
if ! podman build --quiet --network host --tag "$image" "$ctx" >"$cache/systemd-base.log" 2>&1; then
  echo "systemd-base.sh: podman build failed; last lines of $cache/systemd-base.log:" >&2
  tail -n 20 "$cache/systemd-base.log" >&2
  exit 3
fi
# The superseded build only (never a prune: other images on this machine are not ours).
[[ -n "$old_id" && "$old_id" != "$(podman image inspect --format '{{.Id}}' "$image")" ]] &&
  { podman rmi "$old_id" >/dev/null 2>&1 || true; }
echo "systemd-base.sh: built $image in $((SECONDS - started)) s" >&2
echo "$image"
