#!/usr/bin/env bash
# The two CLIs side by side against the same wharfd: `wharf` (NativeAOT) and the docker CLI, timed with hyperfine:
#   1. `ps -a` with 100 containers     2. `images`     3. `version`
# Target: wharf at most half the docker CLI's time on each.
#
# Usage: sudo bench/run-cli.sh [--installed]
#   default      start a throw-away wharfd on its own socket/data root under /tmp
#                (binaries from $WHARF_BIN_DIR, else ./out, else PATH)
#   --installed  use the installed daemon on unix:///run/wharf/wharf.sock instead (only this run's containers are removed)
# JSON exports go to $BENCH_RESULTS_DIR (default /tmp/wharf-bench-results).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/install-deps.sh
source "$repo_root/scripts/install-deps.sh"

use_installed=0
if [[ "${1:-}" == "--installed" ]]; then
  use_installed=1
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--installed]" >&2
  exit 2
fi

wharf_require_root "$0"
wharf_apt_install hyperfine curl

docker_cli="$(command -v docker)" || wharf_die "the docker CLI is not on PATH"
if [[ "$docker_cli" == /usr/bin/docker && -x /usr/local/bin/docker ]]; then
  docker_cli=/usr/local/bin/docker
fi

find_bin() {
  local name="$1" candidate
  for candidate in "${WHARF_BIN_DIR:-}/$name" "$repo_root/out/$name" "$(command -v "$name" || true)"; do
    if [[ -n "$candidate" && -x "$candidate" && "$candidate" != "/$name" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  wharf_die "$name not found: run scripts/publish.sh (./out) or install.sh, or set WHARF_BIN_DIR"
}
wharf_cli="$(find_bin wharf)"

results_dir="${BENCH_RESULTS_DIR:-/tmp/wharf-bench-results}"
mkdir -p "$results_dir"
work="$(mktemp -d /tmp/wcb.XXXXXX)"
label="wharf-cli-bench=$$"
wharf_pid=""
if [[ $use_installed -eq 1 ]]; then
  sock=/run/wharf/wharf.sock
else
  sock="$work/wharf.sock"
fi

cleanup() {
  set +e
  if [[ -S "$sock" ]]; then
    "$wharf_cli" -H "unix://$sock" ps -aq --filter "label=$label" | xargs -r "$wharf_cli" -H "unix://$sock" rm -f >/dev/null 2>&1
  fi
  if [[ -n "$wharf_pid" ]] && kill -0 "$wharf_pid" 2>/dev/null; then
    kill -TERM "$wharf_pid"
    for _ in $(seq 1 150); do kill -0 "$wharf_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$wharf_pid" 2>/dev/null
  fi
  awk -v prefix="$work/" 'index($2, prefix) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r mount_point; do umount -l "$mount_point"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

ping_ok() { [[ "$(curl -fsS --max-time 2 --unix-socket "$sock" http://d/_ping 2>/dev/null)" == "OK" ]]; }

if [[ $use_installed -eq 0 ]]; then
  wharfd_bin="$(find_bin wharfd)"
  echo '{}' >"$work/daemon.json"
  wharf_log "starting $wharfd_bin on unix://$sock"
  "$wharfd_bin" --config-file "$work/daemon.json" --data-root "$work/data" --exec-root "$work/x" \
    -H "unix://$sock" --pidfile "$work/wharfd.pid" >"$work/wharfd.log" 2>&1 </dev/null &
  wharf_pid=$!
  for _ in $(seq 1 300); do ping_ok && break; sleep 0.1; done
  ping_ok || { tail -n 40 "$work/wharfd.log" >&2; wharf_die "wharfd did not answer on unix://$sock"; }
fi

if ! "$wharf_cli" -H "unix://$sock" image inspect busybox:latest >/dev/null 2>&1; then
  bash "$repo_root/scripts/make-busybox-rootfs.sh" "$work/busybox.tar"
  "$wharf_cli" -H "unix://$sock" import "$work/busybox.tar" busybox:latest >/dev/null
fi
wharf_log "creating 100 containers"
seq 1 100 | xargs -P 4 -I{} "$wharf_cli" -H "unix://$sock" create --label "$label" busybox true >/dev/null

median_of() { grep -o '"median": *[0-9.eE+-]*' "$1" | sed -n "${2}p" | awk '{ print $2 }'; }
# Mean CPU time (user + system) of the Nth command: steadier than wall time on a shared, loaded machine.
cpu_of() {
  awk -v n="$2" -F'[:,]' '/"user":/ { u[++i] = $2 } /"system":/ { s[++j] = $2 } END { printf "%.6f", u[n] + s[n] }' "$1"
}

echo
echo "== wharf vs $("$docker_cli" --version) against the same wharfd =="
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for name in "ps -a" "images" "version"; do
  json="$results_dir/cli-${name// /-}.json"
  # -N: no intermediate shell, so its start-up is not added to both sides.
  hyperfine -N --warmup 5 --runs 30 --export-json "$json" --style none \
    -n wharf "$wharf_cli -H unix://$sock $name" \
    -n docker "$docker_cli -H unix://$sock $name" >/dev/null
  awk -v t="$name" -v w="$(median_of "$json" 1)" -v d="$(median_of "$json" 2)" -v wc="$(cpu_of "$json" 1)" -v dc="$(cpu_of "$json" 2)" 'BEGIN {
    r = (d > 0 ? w / d : 0)
    printf "%-10s wharf %7.1f ms   docker %7.1f ms   wharf/docker %.2f %s   cpu (user+sys) %.1f vs %.1f ms\n", t, w * 1000, d * 1000, r,
      (r <= 0.5 ? "(target met)" : "(target 0.50 missed)"), wc * 1000, dc * 1000
  }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "hyperfine JSON: $results_dir/cli-*.json"
