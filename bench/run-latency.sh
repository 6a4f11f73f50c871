#!/usr/bin/env bash
# Side-by-side latency of Wharf and Debian's Docker (docker.io), both driven by the same docker CLI:
#   1. `docker run --rm busybox true`       (hyperfine, --warmup 3 --runs 20)
#   2. `docker ps -a` with 100 created containers on each daemon
#   3. each daemon's idle RSS (VmRSS)
# Both daemons get the SAME deterministic busybox rootfs through `docker import`; nothing is pulled.
#
# Usage: sudo bench/run-latency.sh [--installed]
#   default      start a throw-away wharfd on its own socket/data root under /tmp
#                (binaries from $WHARF_BIN_DIR, else ./out, else PATH)
#   --installed  use the installed daemon on unix:///run/wharf/wharf.sock instead
# JSON exports go to $BENCH_RESULTS_DIR (default /tmp/wharf-bench-results).
set -euo pipefail

# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"

# Idle memory first, before the timed runs touch anything.
sleep 2
wharf_rss="$(vm_rss_kib "$wharf_pid")"
docker_rss="$(vm_rss_kib "$docker_pid")"
containerd_rss=0
for child in $(pgrep -P "$docker_pid" containerd || true); do
  containerd_rss=$((containerd_rss + $(vm_rss_kib "$child")))
done

# --- 1. run latency ------------------------------------------------------------------------------
run_json="$results_dir/run-rm-true.json"
hyperfine --warmup 3 --runs 20 --export-json "$run_json" \
  -n wharf "DOCKER_HOST=unix://$wharf_sock $guard $docker_cli run --rm busybox true" \
  -n docker "DOCKER_HOST=unix://$docker_sock $guard $docker_cli run --rm busybox true"

# --- 2. ps -a with 100 containers ----------------------------------------------------------------
for sock in "$wharf_sock" "$docker_sock"; do
  wharf_log "creating 100 containers on unix://$sock"
  seq 1 100 | xargs -P 4 -I{} env DOCKER_HOST="unix://$sock" \
    "$docker_cli" create --label "$label" busybox true >/dev/null
done
ps_json="$results_dir/ps-a-100.json"
hyperfine --warmup 3 --runs 20 --export-json "$ps_json" \
  -n wharf "DOCKER_HOST=unix://$wharf_sock $guard $docker_cli ps -a" \
  -n docker "DOCKER_HOST=unix://$docker_sock $guard $docker_cli ps -a"

# --- summary -------------------------------------------------------------------------------------
echo
echo "== Wharf vs docker.io ($("$docker_cli" --version), same busybox rootfs) =="
report_pair "docker run --rm busybox true" "$run_json"
report_pair "docker ps -a (100 containers)" "$ps_json"
printf '%-34s wharfd %6d KiB   dockerd %6d KiB + containerd %6d KiB = %d KiB\n' "idle RSS (VmRSS)" \
  "$wharf_rss" "$docker_rss" "$containerd_rss" $((docker_rss + containerd_rss))
echo "hyperfine JSON: $run_json $ps_json"
