#!/usr/bin/env bash
# Builds (once) a minimal Debian 12 root filesystem tarball with debootstrap, from Debian's
# package mirror only, and prints its path. Every image the tests need (systemd nodes, the
# Node base for the app images) starts from this tarball, so no image registry is needed.
# Cached under .cache/images/; concurrent callers wait on a lock instead of building twice.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${LAB_IMAGE_CACHE:-$root/.cache/images}"
out="$cache/bookworm-minbase.tar"
# The mirror this machine's apt already uses.
source "$root/scripts/images/debian-mirror.sh"
mirror="${LAB_DEBIAN_MIRROR:-$(detect_mirror)}"
[[ -n "$mirror" ]] || { echo "rootfs.sh: no Debian mirror found in /etc/apt; set LAB_DEBIAN_MIRROR" >&2; exit 2; }
mkdir -p "$cache"
exec 9>"$cache/rootfs.lock"
flock 9
if [[ -s "$out" ]]; then echo "$out"; exit 0; fi
command -v debootstrap >/dev/null || { echo "rootfs.sh: debootstrap is missing; run 'make tools'" >&2; exit 4; }
work="$(mktemp -d "$cache/rootfs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "rootfs.sh: debootstrap bookworm (minbase) into $work, about 90 s..." >&2
debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$cache/debootstrap.log" 2>&1 || {
  echo "rootfs.sh: debootstrap failed; last lines of $cache/debootstrap.log:" >&2
  tail -n 20 "$cache/debootstrap.log" >&2
  exit 3
}
tar -C "$work/root" -cf "$out.tmp" .
mv "$out.tmp" "$out"
echo "$out"
