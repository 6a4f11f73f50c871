#!/usr/bin/env bash
# `docker exec <c> true` latency, Wharf vs Debian's Docker (docker.io), both driven by the same docker CLI
# (hyperfine, --warmup 3 --runs 30), each exec'ing into one long-running `sleep` container of its own.
#
# Usage: sudo bench/run-exec.sh [--installed]   (see bench/run-latency.sh for the options)
# JSON exports go to $BENCH_RESULTS_DIR (default /tmp/wharf-bench-results).
set -euo pipefail

bench_usage="usage: $0 [--installed]"
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"

target="wharf-bench-exec-$$"
for sock in "$wharf_sock" "$docker_sock"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" run -d --name "$target" --label "$label" busybox sleep 3600 >/dev/null
  # A checked exec first: a daemon that cannot exec must fail here, loudly, rather than hang hyperfine.
  DOCKER_HOST="unix://$sock" $guard "$docker_cli" exec "$target" true ||
    wharf_die "docker exec $target true failed against unix://$sock"
done

exec_json="$results_dir/exec-true.json"
hyperfine --warmup 3 --runs "${BENCH_RUNS:-30}" --export-json "$exec_json" \
  -n wharf "DOCKER_HOST=unix://$wharf_sock $guard $docker_cli exec $target true" \
  -n docker "DOCKER_HOST=unix://$docker_sock $guard $docker_cli exec $target true"
for sock in "$wharf_sock" "$docker_sock"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" rm -f "$target" >/dev/null
done

echo
echo "== Wharf vs docker.io ($("$docker_cli" --version), same busybox rootfs) =="
report_pair "docker exec <c> true" "$exec_json"
echo "hyperfine JSON: $exec_json"
