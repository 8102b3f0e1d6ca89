#!/usr/bin/env bash
# Converge harness (make test-converge): the lab's playbooks against one systemd container per
# lab node, on a private podman network, through the podman connection — the way Molecule and
# kind test roles, without Molecule.
#   1. build (once, cached) the systemd node image from Debian packages (scripts/images/),
#   2. start the nodes with the lab config's names and roles, on a test subnet,
#   3. generate secrets and the inventory with the lab CLI into a temporary state folder,
#   4. run site.yml twice (lab_offline=true): the second run must report changed=0 everywhere,
#   5. run playbooks/verify.yml, then print the timings and the tasks skipped offline.
# Everything it started is removed on exit, also on failure or Ctrl-C (LAB_CONVERGE_KEEP=1 keeps
# the containers for debugging). Logs: .cache/converge/last/.
#
# Settings (environment): LAB_CONVERGE_SUBNET (default 10.89.56.0/24, must be free),
# LAB_CONVERGE_PREFIX (container name prefix, default lab-conv-), LAB_CONVERGE_DOCKER_ROLES
# (roles whose nodes run Docker inside: privileged, private cgroupns, a /var/lib/docker volume;
# default "jenkins app"), LAB_CONVERGE_TIMEOUT (seconds per playbook run, default 1200),
# LAB_CONVERGE_PLAYBOOK / LAB_CONVERGE_VERIFY (relative to ansible/; default site.yml and
# playbooks/verify.yml; a single tier's playbook is handy while working on one role),
# LAB_CONVERGE_ARGS (extra ansible-playbook arguments for every run, e.g. "--skip-tags x";
# the summary says so: a run with them is a diagnostic, not the real converge).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/scripts/podman/containers.conf}"
subnet="${LAB_CONVERGE_SUBNET:-10.89.56.0/24}"
prefix="${LAB_CONVERGE_PREFIX:-lab-conv-}"
network="${prefix}net"
docker_roles=" ${LAB_CONVERGE_DOCKER_ROLES:-jenkins app} "
run_timeout="${LAB_CONVERGE_TIMEOUT:-1200}"
site="${LAB_CONVERGE_PLAYBOOK:-site.yml}"
verify="${LAB_CONVERGE_VERIFY:-playbooks/verify.yml}"
out="$root/.cache/converge/last"
apt_cache="$root/.cache/apt"
lab=(node "$root/lab/dist/cli.js")

say() { printf 'converge: %s\n' "$*"; }
die() { printf 'converge: FAILED: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

for tool in podman ansible-playbook debootstrap node; do
  command -v "$tool" >/dev/null || die "$tool is missing; run 'make tools'"
done
[[ -f "$root/lab/dist/cli.js" ]] || die "lab/dist/cli.js is missing; run 'make build' first"
[[ "$subnet" =~ ^([0-9]+\.[0-9]+\.[0-9]+)\.0/24$ ]] || die "LAB_CONVERGE_SUBNET must be a /24 like 10.89.56.0/24"
net3="${BASH_REMATCH[1]}"

# One harness at a time on this machine (same container names and subnet): wait, don't clobber.
mkdir -p "$root/.cache/converge"
exec 8>"$root/.cache/converge/lock"
flock -w 1800 8 || die "another converge run held the lock for 30 minutes"

state="$(mktemp -d "${TMPDIR:-/tmp}/lab-converge.XXXXXX")"
nodes=()
cleanup() {
  local rc=$?
  if [[ "${LAB_CONVERGE_KEEP:-0}" == 1 ]]; then
    say "LAB_CONVERGE_KEEP=1: containers ${nodes[*]/#/$prefix} and network $network kept; state in $state"
    exit "$rc"
  fi
  for n in "${nodes[@]}"; do
    podman rm -f -t 5 "$prefix$n" >/dev/null 2>&1 || true
    podman volume rm -f "${prefix}${n}-docker" >/dev/null 2>&1 || true
  done
  podman network rm -f "$network" >/dev/null 2>&1 || true
  rm -rf "$state"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$out" && mkdir -p "$out"
t_total=$(now)

# --- the topology, from the lab config (one source of truth), mapped onto the test subnet ---
"${lab[@]}" --json config show >"$state/config.json" || die "lab config show failed"
node - "$state/config.json" "$net3" "$state/local.yml" >"$state/nodes.txt" <<'JS'
const fs = require('node:fs');
const [file, net3, localFile] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(file, 'utf8'));
// Same names and roles as the real lab; addresses .10, .11, ... on the test network.
const nodes = config.nodes.map((n, i) => ({ ...n, ip: `${net3}.${10 + i}` }));
const lines = [
  '# converge harness override: the lab topology on the test network (generated)',
  'provider: podman',
  `network: { cidr: ${net3}.0/24 }`,
  'nodes:',
  ...nodes.map((n) => `  - { name: ${n.name}, ip: ${n.ip} }`),
];
fs.writeFileSync(localFile, lines.join('\n') + '\n');
for (const n of nodes) console.log(`${n.name} ${n.role} ${n.ip}`);
JS
while read -r name _ _; do nodes+=("$name"); done <"$state/nodes.txt"

# --- image ---
t0=$(now)
image="$(scripts/images/systemd-base.sh)" || die "the node image could not be built"
t_image=$(secs "$t0" "$(now)")
say "image $image ready in ${t_image} s"

# --- network and nodes (stale ones from an interrupted run are removed first) ---
t0=$(now)
for n in "${nodes[@]}"; do podman rm -f -t 0 "$prefix$n" >/dev/null 2>&1 || true; done
podman network rm -f "$network" >/dev/null 2>&1 || true
podman network create --subnet "$subnet" "$network" >/dev/null || die "cannot create podman network $network ($subnet in use?)"
while read -r name role ip; do
  # One apt cache per node, kept across runs: apt locks its archive folder and does not wait
  # for another node's lock, so the nodes cannot share one.
  mkdir -p "$apt_cache/$name/partial"
  extra=()
  if [[ "$docker_roles" == *" $role "* ]]; then
    podman volume rm -f "${prefix}${name}-docker" >/dev/null 2>&1 || true
    extra=(--privileged --cgroupns=private -v "${prefix}${name}-docker:/var/lib/docker")
  fi
  podman run -d --name "$prefix$name" --hostname "$name" --network "$network" --ip "$ip" \
    --systemd=always -v "$apt_cache/$name:/var/cache/apt/archives" "${extra[@]}" \
    --label cicd-lab.converge=1 "$image" >/dev/null 2>>"$out/podman.log" || { tail -n 5 "$out/podman.log" >&2; die "cannot start node $name"; }
done <"$state/nodes.txt"
for n in "${nodes[@]}"; do
  status=""
  for _ in $(seq 1 60); do
    status="$(podman exec "$prefix$n" systemctl is-system-running 2>/dev/null || true)"
    [[ "$status" == running || "$status" == degraded ]] && break
    sleep 0.5
  done
  [[ "$status" == running || "$status" == degraded ]] || die "systemd in $prefix$n did not come up (state: ${status:-none})"
done
t_start=$(secs "$t0" "$(now)")
say "${#nodes[@]} nodes up (systemd running) in ${t_start} s: $(awk '{ printf "%s%s (%s, %s)", sep, $1, $2, $3; sep = ", " }' "$state/nodes.txt")"

# --- secrets and inventory, generated by the lab CLI into the temporary state folder ---
export LAB_STATE_DIR="$state/lab"
"${lab[@]}" secrets init >/dev/null || die "lab secrets init failed"
LAB_LOCAL_CONFIG="$state/local.yml" "${lab[@]}" --provider podman inventory --offline \
  --container-prefix "$prefix" --out "$state/hosts.yml" >"$out/inventory.txt" || die "lab inventory failed"
cp "$state/hosts.yml" "$out/hosts.yml"

# --- converge twice, then verify ---
export ANSIBLE_CONFIG="$root/ansible/ansible.cfg" ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1 PYTHONUNBUFFERED=1
playbook() { # name, playbook, log
  local start rc=0
  start=$(now)
  # shellcheck disable=SC2086 # LAB_CONVERGE_ARGS is a list of extra ansible-playbook arguments
  (cd "$root/ansible" && timeout "$run_timeout" ansible-playbook -i "$state/hosts.yml" -e '{"lab_offline": true}' \
    ${LAB_CONVERGE_ARGS:-} "$2") >"$3" 2>&1 || rc=$?
  echo "$(secs "$start" "$(now)")" >"$3.seconds"
  return "$rc"
}
recap() { # log -> "host ok changed unreachable failed", one line per host (the last recap wins)
  awk '/^PLAY RECAP/ { on = 1; next } on && /ok=[0-9]+/ {
    c = u = f = o = 0
    for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "changed") c = kv[2]; if (kv[1] == "unreachable") u = kv[2]; if (kv[1] == "failed") f = kv[2]; if (kv[1] == "ok") o = kv[2] }
    row[$1] = $1 " " o " " c " " u " " f }
    END { for (h in row) print row[h] }' "$1" | sort
}
failures() { # log -> each failed task with the first lines of its message
  awk '/^TASK \[/ { task = $0; sub(/^TASK /, "", task); sub(/ \*+$/, "", task); next }
       /^(fatal|failed):/ { print "  " task ": " substr($0, 1, 400); more = ($0 ~ /=> *$/) ? 6 : 0; next }
       more > 0 { print "      " substr($0, 1, 300); more-- }' "$1" | head -n 40
}

diagnose() { # the failed systemd units of every node and their last journal lines
  local n unit
  for n in "${nodes[@]}"; do
    for unit in $(podman exec "$prefix$n" systemctl --failed --no-legend --plain 2>/dev/null | awk '{ print $1 }' | head -n 5); do
      echo "  $n: $unit failed; journal:"
      podman exec "$prefix$n" journalctl -u "$unit" -n 12 --no-pager -o cat 2>/dev/null | sed 's/^/      /' | cut -c1-300
    done
  done | tee "$out/failed-units.txt" | head -n 80
}

say "$site run 1 (first converge)..."
rc1=0; playbook first "$site" "$out/run1.log" || rc1=$?
t_run1=$(cat "$out/run1.log.seconds")
if [[ $rc1 -ne 0 ]]; then
  failures "$out/run1.log" >&2
  grep -qE '^(fatal|failed):' "$out/run1.log" || tail -n 15 "$out/run1.log" >&2
  diagnose >&2
  die "$site run 1 exited $rc1 after ${t_run1} s (log: $out/run1.log)"
fi
say "$site run 1 ok in ${t_run1} s"

say "$site run 2 (idempotence)..."
rc2=0; playbook second "$site" "$out/run2.log" || rc2=$?
t_run2=$(cat "$out/run2.log.seconds")
recap "$out/run2.log" >"$out/run2.recap"
hosts_seen=$(wc -l <"$out/run2.recap")
not_idempotent=$(awk '$3 != 0 || $4 != 0 || $5 != 0' "$out/run2.recap")
if [[ $rc2 -ne 0 || "$hosts_seen" -ne "${#nodes[@]}" || -n "$not_idempotent" ]]; then
  echo "PLAY RECAP of run 2 (host ok changed unreachable failed):" >&2
  cat "$out/run2.recap" >&2
  # The tasks that changed the second time are the ones to fix.
  awk '/^TASK \[/ { task = $0; sub(/^TASK /, "", task); sub(/ \*+$/, "", task) } /^changed:/ { line = $0; sub(/ => .*/, "", line); print "  " task " " line }' "$out/run2.log" | head -n 30 >&2
  failures "$out/run2.log" >&2
  grep -qE '^(fatal|failed):' "$out/run2.log" || tail -n 15 "$out/run2.log" >&2
  diagnose >&2
  die "$site run 2 is not idempotent (exit $rc2, ${hosts_seen}/${#nodes[@]} hosts in the recap; log: $out/run2.log)"
fi
say "$site run 2 ok in ${t_run2} s: changed=0 on every host ($(cut -d' ' -f1 "$out/run2.recap" | tr '\n' ' '))"

[[ -f "$root/ansible/$verify" ]] || die "ansible/$verify does not exist (the verify plays prove function)"
say "$verify..."
rc3=0; playbook verify "$verify" "$out/verify.log" || rc3=$?
t_verify=$(cat "$out/verify.log.seconds")
if [[ $rc3 -ne 0 ]]; then
  failures "$out/verify.log" >&2
  grep -qE '^(fatal|failed):' "$out/verify.log" || tail -n 15 "$out/verify.log" >&2
  diagnose >&2
  die "$verify exited $rc3 after ${t_verify} s (log: $out/verify.log)"
fi
say "$verify ok in ${t_verify} s"

# --- summary ---
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "converge summary (${#nodes[@]} nodes, podman, lab_offline=true${LAB_CONVERGE_ARGS:+, EXTRA ARGS: $LAB_CONVERGE_ARGS})"
printf '  %-34s %8s  %-10s %s\n' "step" "seconds" "target" "ratio to target"
printf '  %-34s %8s  %-10s %s\n' "node image (cached after 1st)" "$t_image" "-" "-"
printf '  %-34s %8s  %-10s %s\n' "start ${#nodes[@]} systemd nodes" "$t_start" "-" "-"
printf '  %-34s %8s  %-10s %s\n' "$site first converge" "$t_run1" "< 300" "$(ratio "$t_run1" 300)"
printf '  %-34s %8s  %-10s %s\n' "$site idempotent rerun" "$t_run2" "< 60" "$(ratio "$t_run2" 60)"
printf '  %-34s %8s  %-10s %s\n' "verify.yml" "$t_verify" "-" "-"
printf '  %-34s %8s\n' "total" "$(secs "$t_total" "$(now)")"
echo "  (first-converge target assumes a warm apt cache: $(find "$apt_cache" -maxdepth 2 -name '*.deb' | wc -l) packages in .cache/apt/<node>/ now)"
echo
echo "skipped offline (lab_offline=true; they need public registries or vendor repositories):"
skipped="$(grep -oE 'TASK \[[^]]*SKIPPED \(offline\)[^]]*\]' "$out/run1.log" | sed -E 's/^TASK \[/  /; s/\]$//' | sort -u || true)"
echo "${skipped:-  (none)}"
echo
echo "converge: OK: $site converged twice with changed=0 the second time, verify passed"
