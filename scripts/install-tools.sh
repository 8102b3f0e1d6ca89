#!/usr/bin/env bash
# Installs every external tool the test suite uses (make tools). Idempotent and quiet: it only
# calls apt-get for packages that are missing. On systems without apt it prints the commands.
# The package list is scripts/tools/apt-packages.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
list="$here/tools/apt-packages.txt"
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)"
    [[ "$status" == "installed" ]] || missing+=("$p")
  done
else
  missing=("${packages[@]}")
fi

if ((${#missing[@]} == 0)); then
  echo "tools: all ${#packages[@]} packages present"
else
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "tools: this is not a Debian/Ubuntu system; install the equivalents of:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    echo "  (macOS: brew install ansible ansible-lint yamllint prometheus alertmanager nginx jmeter groovy podman; Vagrant from its vendor)" >&2
    exit 4
  fi
  sudo=""
  if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
  echo "tools: installing ${#missing[@]} package(s): ${missing[*]}"
  log="$(mktemp)"
  export DEBIAN_FRONTEND=noninteractive
  # Package scripts must not start services on the build machine (the tests start their own).
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && created_policy=1
  fi
  if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    echo "tools: apt-get failed; last lines:" >&2
    tail -n 20 "$log" >&2
    [[ $created_policy == 1 ]] && $sudo rm -f "$policy"
    exit 3
  fi
  [[ $created_policy == 1 ]] && $sudo rm -f "$policy"
  rm -f "$log"
  echo "tools: installed"
fi

