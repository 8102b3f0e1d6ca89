#!/usr/bin/env bash
# Builds (once) an offline Node 20 base image for the app images, with podman and without any
# image registry: the Debian 12 root filesystem from rootfs.sh, trimmed of package caches, docs
# and locales, plus this machine's own Node 20 (binary + bundled npm/corepack) and a `node` user
# (uid 1000), like the official node images have. Prints the image name.
# Use it through the app Dockerfiles' NODE_IMAGE build argument:
#   podman build --build-arg NODE_IMAGE="$(scripts/images/node-base.sh)" -f app/catalog/Dockerfile .
# Rebuilt only when the host's Node version changes (or with --force).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
image="${LAB_NODE_BASE_IMAGE:-localhost/cicd-lab/node-base:20}"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/scripts/podman/containers.conf}"
force=0
[[ "${1:-}" == "--force" ]] && force=1

command -v podman >/dev/null || { echo "node-base.sh: podman is missing; run 'make tools'" >&2; exit 4; }
node_bin="$(readlink -f "$(command -v node || true)")"
[[ -x "$node_bin" ]] || { echo "node-base.sh: no node on PATH" >&2; exit 4; }
node_version="$("$node_bin" --version)"
[[ "$node_version" == v20.* ]] || { echo "node-base.sh: need Node 20 on the host, found $node_version" >&2; exit 4; }
# npm and corepack ship beside the binary: <prefix>/bin/node and <prefix>/lib/node_modules/.
prefix="$(dirname "$(dirname "$node_bin")")"
modules="$prefix/lib/node_modules"
[[ -f "$modules/npm/bin/npm-cli.js" ]] || { echo "node-base.sh: npm not found under $modules" >&2; exit 4; }

cache="${LAB_IMAGE_CACHE:-$root/.cache/images}"
mkdir -p "$cache"
exec 8>"$cache/node-base.lock"
flock 8
if [[ $force == 0 ]] && [[ "$(podman image inspect --format '{{index .Labels "lab.node.version"}}' "$image" 2>/dev/null || true)" == "$node_version" ]]; then
  echo "$image"
  exit 0
fi

# The Debian mirror apt uses here (rootfs.sh takes LAB_DEBIAN_MIRROR when set).
source "$(dirname "$0")/debian-mirror.sh"
if [[ -z "${LAB_DEBIAN_MIRROR:-}" ]]; then
  LAB_DEBIAN_MIRROR="$(detect_mirror)"
  [[ -n "$LAB_DEBIAN_MIRROR" ]] && export LAB_DEBIAN_MIRROR
fi
rootfs="$("$root/scripts/images/rootfs.sh")"
work="$(mktemp -d "$cache/node-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "node-base.sh: building $image from $rootfs and Node $node_version..." >&2

# Trim before import: a later layer cannot make the first one smaller.
mkdir "$work/rootfs"
tar -C "$work/rootfs" -xf "$rootfs"
rm -rf "$work/rootfs"/var/cache/apt/* "$work/rootfs"/var/lib/apt/lists/* \
  "$work/rootfs"/usr/share/doc/* "$work/rootfs"/usr/share/man/* "$work/rootfs"/usr/share/info/* \
  "$work/rootfs"/usr/share/locale/*
mkdir -p "$work/rootfs/usr/local/bin" "$work/rootfs/usr/local/lib/node_modules"
install -m 0755 "$node_bin" "$work/rootfs/usr/local/bin/node"
cp -a "$modules/npm" "$work/rootfs/usr/local/lib/node_modules/npm"
[[ -d "$modules/corepack" ]] && cp -a "$modules/corepack" "$work/rootfs/usr/local/lib/node_modules/corepack"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
[[ -d "$modules/corepack" ]] && ln -s ../lib/node_modules/corepack/dist/corepack.js "$work/rootfs/usr/local/bin/corepack"
chroot "$work/rootfs" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'

tar -C "$work/rootfs" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --change "LABEL lab.node.version=$node_version" \
  --change 'LABEL org.opencontainers.image.description="CI/CD Lab offline Node base (Debian 12 + host Node 20)"' \
  --quiet - "$image" >/dev/null
echo "$image"
