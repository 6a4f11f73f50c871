#!/usr/bin/env bash
# `docker exec <c> true` latency, Wharf vs Debian's Docker (docker.io), both driven by the same docker CLI
# (hyperfine, --warmup 3 --runs 30), each exec'ing into one long-running `sleep` container of its own; then the
# floors under both: `runc exec` alone on the same containers, and the CLI with one request (`docker inspect`).
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

# The floors under both: `runc exec` alone on each daemon's container (the runc state dir found by the container's
# state.json under each exec root), and the docker CLI with one request (`docker inspect`: start, _ping, one GET).
runc_root_of() {
  local id state
  id="$(DOCKER_HOST="unix://$1" "$docker_cli" inspect -f '{{.Id}}' "$target")"
  state="$(find "$2" -path "*/$id/state.json" -print -quit 2>/dev/null)"
  [[ -n "$state" ]] || wharf_die "no runc state for $id under $2"
  echo "$(dirname "$(dirname "$state")") $id"
}
[[ $use_installed -eq 1 ]] && wharf_exec_root=/run/wharf || wharf_exec_root="$work/we"
read -r wharf_runc_root wharf_id < <(runc_root_of "$wharf_sock" "$wharf_exec_root")
read -r docker_runc_root docker_id < <(runc_root_of "$docker_sock" "$work/de")
# Wharf's own exec paths side by side on the same container: the shim's runc-less path (the default) and `runc exec`
# through the same shim (forced by the shim's test hook, exec-via-runc in the container's state dir).
wharf_state="$(find "$wharf_exec_root" -maxdepth 3 -type d -path "*/containers/$wharf_id" -print -quit)"
[[ -n "$wharf_state" ]] || wharf_die "no shim state dir for $wharf_id under $wharf_exec_root"
paths_json="$results_dir/exec-paths.json"
hyperfine --warmup 3 --runs "${BENCH_RUNS:-30}" --export-json "$paths_json" \
  --prepare "rm -f $wharf_state/exec-via-runc" \
  -n "wharf: shim exec without runc" "DOCKER_HOST=unix://$wharf_sock $guard $docker_cli exec $target true" \
  --prepare "touch $wharf_state/exec-via-runc" \
  -n "wharf: shim exec through runc" "DOCKER_HOST=unix://$wharf_sock $guard $docker_cli exec $target true"
rm -f "$wharf_state/exec-via-runc"

# The helper's own start (the shim binary in its exec-helper mode, given no parameters: process start, runtime
# init, one failed read) — the part of the runc-less path that replaces `runc exec`.
shim_bin="$(dirname "${wharfd_bin:-/usr/local/bin/wharfd}")/wharf-shim"
[[ -x "$shim_bin" ]] || shim_bin="$(command -v wharf-shim)"

floor_json="$results_dir/exec-floors.json"
hyperfine -N --warmup 3 --runs "${BENCH_RUNS:-30}" --export-json "$floor_json" \
  -n "wharf: runc exec alone" "$guard runc --root $wharf_runc_root exec $wharf_id true" \
  -n "docker: runc exec alone" "$guard runc --root $docker_runc_root exec $docker_id true" \
  -n "wharf: docker inspect" "env DOCKER_HOST=unix://$wharf_sock $guard $docker_cli inspect $target" \
  -n "docker: docker inspect" "env DOCKER_HOST=unix://$docker_sock $guard $docker_cli inspect $target" \
  -i -n "wharf: exec helper start" "sh -c 'exec $shim_bin nsexec 3</dev/null 4>/dev/null'"
for sock in "$wharf_sock" "$docker_sock"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" rm -f "$target" >/dev/null
done

echo
echo "== Wharf vs docker.io ($("$docker_cli" --version), same busybox rootfs) =="
report_pair "docker exec <c> true" "$exec_json"
for i in 1 2; do
  awk -v n="$(grep -o '"command": *"[^"]*"' "$paths_json" | sed -n "${i}p" | cut -d'"' -f4)" \
    -v m="$(median_of "$paths_json" "$i")" 'BEGIN { printf "  %-35s %8.1f ms\n", n, m * 1000 }'
done
for i in 1 2 3 4 5; do
  awk -v n="$(grep -o '"command": *"[^"]*"' "$floor_json" | sed -n "${i}p" | cut -d'"' -f4)" \
    -v m="$(median_of "$floor_json" "$i")" 'BEGIN { printf "  floor %-28s %8.1f ms\n", n, m * 1000 }'
done
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "hyperfine JSON: $exec_json $paths_json $floor_json"
