#!/usr/bin/env bash
# Side-by-side: `docker run -d` of 50 busybox containers at once (50 CLI processes in parallel), wall time
# until every one of them is running (`run -d` returns once its container started), Wharf vs Debian's Docker.
# The containers are removed between runs (hyperfine --prepare, not timed).
#
# Usage: sudo bench/run-parallel.sh [--installed]   (see bench/run-latency.sh for the options)
# JSON exports go to $BENCH_RESULTS_DIR (default /tmp/wharf-bench-results).
set -euo pipefail

bench_usage="usage: $0 [--installed]"
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"

count="${BENCH_PARALLEL_COUNT:-50}"
start_all() {
  echo "seq 1 $count | xargs -P $count -I{} env DOCKER_HOST=unix://$1 $guard $docker_cli run -d --label $label busybox sleep 600 >/dev/null"
}
remove_all() {
  echo "DOCKER_HOST=unix://$1 $docker_cli ps -aq --filter label=$label | xargs -r env DOCKER_HOST=unix://$1 $docker_cli rm -f >/dev/null"
}
check_all_running() {
  local running
  running="$(DOCKER_HOST="unix://$1" "$docker_cli" ps -q --filter "label=$label" --filter status=running | wc -l)"
  [[ "$running" -eq "$count" ]] || wharf_die "$count containers asked for on unix://$1, $running running"
}

# One checked round on each daemon: all of them must really be running afterwards.
for sock in "$wharf_sock" "$docker_sock"; do
  bash -c "$(start_all "$sock")"
  check_all_running "$sock"
  bash -c "$(remove_all "$sock")"
done

parallel_json="$results_dir/run-d-parallel-$count.json"
hyperfine --runs "${BENCH_RUNS:-5}" --export-json "$parallel_json" \
  -n wharf --prepare "$(remove_all "$wharf_sock")" "$(start_all "$wharf_sock")" \
  -n docker --prepare "$(remove_all "$docker_sock")" "$(start_all "$docker_sock")"
for sock in "$wharf_sock" "$docker_sock"; do
  bash -c "$(remove_all "$sock")"
done

echo
echo "== Wharf vs docker.io ($("$docker_cli" --version), same busybox rootfs) =="
report_pair "docker run -d x$count in parallel" "$parallel_json"
echo "hyperfine JSON: $parallel_json"
