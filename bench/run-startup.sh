#!/usr/bin/env bash
# Daemon start, Wharf vs Debian's Docker (docker.io), side by side in one run:
#   1. time from the daemon's exec to its first `GET /_ping` answered OK (bench/lib/first-ping.py polls every ms)
#   2. its idle RSS (VmRSS) 2 s later: wharfd alone, dockerd + the containerd it started
# Each daemon starts BENCH_RUNS times (default 9), alternating, on a fresh data root each time; medians are printed
# last with the machine's load average. Both run in a network namespace of their own (unshare --net) with their
# default networking (a bridge and iptables rules each), so nothing they set up stays on the host.
#
# Usage: sudo bench/run-startup.sh        (wharfd from $WHARF_BIN_DIR, else ./out, else PATH)
#   WHARF_BASELINE_BIN_DIR=<dir>  also starts the wharfd in <dir> each round (an older build: before/after in one run)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/install-deps.sh
source "$repo_root/scripts/install-deps.sh"
# shellcheck source=bench/lib/process.sh
source "$repo_root/bench/lib/process.sh"
[[ $# -eq 0 ]] || { echo "usage: $0" >&2; exit 2; }
wharf_require_root "$0"
wharf_apt_install python3
wharf_install_test_deps

dockerd_bin="$(command -v dockerd)" || wharf_die "dockerd not found after installing docker.io"
wharfd_bin=""
for candidate in "${WHARF_BIN_DIR:-}/wharfd" "$repo_root/out/wharfd" "$(command -v wharfd || true)"; do
  if [[ -n "$candidate" && -x "$candidate" && "$candidate" != /wharfd ]]; then
    wharfd_bin="$candidate"
    break
  fi
done
[[ -n "$wharfd_bin" ]] || wharf_die "wharfd not found: run scripts/publish.sh out out, or set WHARF_BIN_DIR"
runs="${BENCH_RUNS:-9}"
probe="$repo_root/bench/lib/first-ping.py"
work="$(mktemp -d /tmp/ws.XXXXXX)"
daemon_pid=""

unmount_under() {
  awk -v prefix="$1/" 'index($2, prefix) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r mount_point; do umount -l "$mount_point"; done
}

cleanup() {
  set +e
  stop_pid "$daemon_pid"
  unmount_under "$work"
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

# One start: prints "<ms to first ping> <idle RSS KiB>" and leaves nothing running.
start_wharfd() {
  local dir="$work/w$1" bin="${2:-$wharfd_bin}" result
  mkdir -p "$dir"
  echo '{}' >"$dir/daemon.json"
  # In a network namespace of its own, as dockerd below: the same conditions for both, and the default bridge and
  # firewall chains it makes go with the namespace instead of staying on the host.
  result="$(python3 "$probe" "$dir/s.sock" "$dir/log" -- unshare --net sh -c 'ip link set lo up && exec "$0" "$@"' \
    "$bin" --config-file "$dir/daemon.json" \
    --data-root "$dir/data" --exec-root "$dir/x" -H "unix://$dir/s.sock" --pidfile "$dir/pid")" ||
    { tail -n 20 "$dir/log" >&2; wharf_die "wharfd did not start"; }
  daemon_pid="$(sed -n 2p <<<"$result")"
  sleep 2
  echo "$(sed -n 1p <<<"$result") $(vm_rss_kib "$daemon_pid")"
  stop_pid "$daemon_pid"
  daemon_pid=""
  unmount_under "$dir"
}

start_dockerd() {
  local dir="$work/d$1" result rss child
  mkdir -p "$dir"
  result="$(python3 "$probe" "$dir/s.sock" "$dir/log" -- unshare --net sh -c 'ip link set lo up && exec "$0" "$@"' \
    "$dockerd_bin" --host "unix://$dir/s.sock" --data-root "$dir/data" --exec-root "$dir/x" \
    --pidfile "$dir/pid" --log-level=warn)" ||
    { tail -n 20 "$dir/log" >&2; wharf_die "dockerd did not start"; }
  daemon_pid="$(sed -n 2p <<<"$result")"
  sleep 2
  rss="$(vm_rss_kib "$daemon_pid")"
  for child in $(pgrep -P "$daemon_pid" containerd || true); do
    rss=$((rss + $(vm_rss_kib "$child")))
  done
  echo "$(sed -n 1p <<<"$result") $rss"
  stop_pid "$daemon_pid"
  daemon_pid=""
  unmount_under "$dir"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

: >"$work/wharf.txt"
: >"$work/docker.txt"
: >"$work/baseline.txt"
baseline_bin="${WHARF_BASELINE_BIN_DIR:+$WHARF_BASELINE_BIN_DIR/wharfd}"
for i in $(seq 1 "$runs"); do
  start_wharfd "$i" | tee -a "$work/wharf.txt" | sed 's/^/wharfd  ms,KiB: /' >&2
  start_dockerd "$i" | tee -a "$work/docker.txt" | sed 's/^/dockerd ms,KiB: /' >&2
  if [[ -n "$baseline_bin" ]]; then
    start_wharfd "b$i" "$baseline_bin" | tee -a "$work/baseline.txt" | sed 's/^/baseline ms,KiB: /' >&2
  fi
done

wharf_ms="$(cut -d' ' -f1 "$work/wharf.txt" | median)"
docker_ms="$(cut -d' ' -f1 "$work/docker.txt" | median)"
wharf_kib="$(cut -d' ' -f2 "$work/wharf.txt" | median)"
docker_kib="$(cut -d' ' -f2 "$work/docker.txt" | median)"
echo
echo "== daemon start, medians of $runs (load average: $(cut -d' ' -f1-3 /proc/loadavg)) =="
awk -v w="$wharf_ms" -v d="$docker_ms" 'BEGIN {
  printf "%-34s wharf %8.1f ms   docker %8.1f ms   wharf/docker %.2f\n", "exec to first _ping", w, d, w / d }'
awk -v w="$wharf_kib" -v d="$docker_kib" 'BEGIN {
  printf "%-34s wharf %8.0f KiB  docker %8.0f KiB  wharf/docker %.2f\n", "idle RSS (dockerd + containerd)", w, d, w / d }'
if [[ -n "$baseline_bin" ]]; then
  baseline_ms="$(cut -d' ' -f1 "$work/baseline.txt" | median)"
  baseline_kib="$(cut -d' ' -f2 "$work/baseline.txt" | median)"
  awk -v w="$baseline_ms" -v d="$docker_ms" -v k="$baseline_kib" -v dk="$docker_kib" 'BEGIN {
    printf "%-34s wharf %8.1f ms   (%.2f of docker); idle %8.0f KiB (%.2f)\n", "baseline ('"$baseline_bin"')", w, w / d, k, k / dk }'
fi
