#!/usr/bin/env bash
# Blue/green drill on a converged app host, with stand-in images instead of the real services
# (no MongoDB needed): deploy v1, deploy v2 (v1 stays up), roll back, redeploy v1 (must change
# nothing), and a deploy whose smoke test fails (traffic must stay where it was).
#   ansible/tests/drill/deploy-drill.sh INVENTORY [HOST]      (HOST: an app host, default staging)
# Needs the podman connection (containers.podman.podman) to HOST, as in the converge harness.
set -euo pipefail
inventory=$1
host=${2:-staging}
here="$(cd "$(dirname "$0")" && pwd)"
ansible_dir="$(cd "$here/../.." && pwd)"
export ANSIBLE_CONFIG="$ansible_dir/ansible.cfg" ANSIBLE_NOCOLOR=1
cd "$ansible_dir"
say() { printf 'drill: %s\n' "$*"; }
die() { printf 'drill: FAILED: %s\n' "$*" >&2; exit 1; }
env_of() { ansible-inventory -i "$inventory" --host "$host" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lab_env"])'; }
app_env=$(env_of)
fact() { ansible "$host" -i "$inventory" -b -m ansible.builtin.slurp -a src=/etc/ansible/facts.d/lab_release.fact -o |
  sed 's/.*=> //' | python3 -c 'import base64,json,sys; print(json.loads(base64.b64decode(json.load(sys.stdin)["content"]))["active_slot"])'; }
deploy() { # version, expected exit (0|fail), extra args...
  local version=$1 expect=$2 rc=0 start
  shift 2
  start=$(date +%s)
  timeout 900 ansible-playbook -i "$inventory" playbooks/deploy.yml -e "app_env=$app_env" -e "app_version=$version" \
    -e "@$here/standin-vars.json" "$@" >"$log_dir/deploy-$version-$expect.log" 2>&1 || rc=$?
  if [[ $expect == 0 && $rc -ne 0 ]]; then tail -n 20 "$log_dir/deploy-$version-$expect.log" >&2; die "deploy $version exited $rc"; fi
  if [[ $expect == fail && $rc -eq 0 ]]; then die "deploy $version should have failed"; fi
  say "deploy $version: exit $rc in $(( $(date +%s) - start )) s, active slot $(fact)"
}
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/lab-drill.XXXXXX")
registry=$(ansible-inventory -i "$inventory" --host "$host" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lab_registry"])')
container=$(ansible-inventory -i "$inventory" --host "$host" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ansible_host"])')
podman cp "$here/standin-images.sh" "$container:/root/standin-images.sh"
podman exec "$container" bash /root/standin-images.sh "$registry" >/dev/null || die "stand-in images"
say "stand-in images v1, v2 pushed to $registry (logs: $log_dir)"
deploy v1 0
first=$(fact)
deploy v2 0
[[ $(fact) != "$first" ]] || die "v2 did not move to the other slot"
start=$(date +%s)
timeout 600 ansible-playbook -i "$inventory" playbooks/rollback.yml -e "app_env=$app_env" >"$log_dir/rollback.log" 2>&1 || die "rollback failed"
[[ $(fact) == "$first" ]] || die "rollback did not return to $first"
say "rollback: $(( $(date +%s) - start )) s, active slot $(fact)"
deploy v1 0
grep -q 'changed=0' <(grep -A3 'PLAY RECAP' "$log_dir/deploy-v1-0.log" | grep "^$host ") || die "redeploying the active version changed something"
deploy v2 fail -e '{"app_smoke_paths": ["healthz", "missing-on-purpose"]}'
[[ $(fact) == "$first" ]] || die "a failed deploy moved traffic"
say "ok: blue/green deploy, rollback, no-op redeploy and failed-smoke protection"
