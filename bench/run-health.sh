#!/usr/bin/env bash
# CPU cost of health checks, Wharf vs Debian's Docker (docker.io), both driven by the same docker CLI:
# N busybox `sleep` containers (default 100, BENCH_CONTAINERS) with `--health-cmd true --health-interval 1s` run on
# one daemon at a time (the other daemon idle, no containers), and the CPU time the engine spends over
# BENCH_SECONDS (default 60) is measured; then its containers are removed and the other daemon gets its turn.
#
# How the CPU time is counted (the same way for both, and blind to whatever else the shared machine runs):
#   * each daemon's whole process tree is moved into a cpuacct cgroup of its own before any container exists
#     (wharfd; dockerd and the containerd it started). Everything they start later inherits it: wharf-shim,
#     containerd-shim-runc-v2, every `runc exec`/`runc` and whatever else they fork, so the CPU of processes that
#     exit between two samples is still in the cgroup's cpuacct.usage. (cpuacct only accounts; the cpu
#     controller, which schedules, is a separate hierarchy on this host and untouched.)
#   * the containers' own cgroups (found from each container's /proc/<pid>/cgroup), which hold the health
#     command's processes once they joined the container (the `true` of every check), and the `sleep`s.
#   * should a shim have moved itself out of the engine's cgroup, its cgroup is added too (and reported).
# CPU = delta of the sum of cpuacct.usage over those cgroups (none nested in another) across the window.
# /proc/stat deltas were not used: other builds run on this machine, and they would be charged to the engine.
#
# Usage: sudo bench/run-health.sh [--installed]   (see bench/run-latency.sh; --installed cannot move the shared
#        daemon into a cgroup, so it is refused)
# Prints CPU seconds per engine and the ratio last.
set -euo pipefail

bench_usage="usage: $0"
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"
[[ $use_installed -eq 0 ]] || wharf_die "run-health.sh needs its own wharfd (it moves the daemon into a cgroup)"

count="${BENCH_CONTAINERS:-100}"
seconds="${BENCH_SECONDS:-60}"
parallel="${BENCH_PARALLEL:-20}"
cpuacct_root=/sys/fs/cgroup/cpuacct
[[ -f "$cpuacct_root/cpuacct.usage" ]] || cpuacct_root=/sys/fs/cgroup/cpu,cpuacct
[[ -f "$cpuacct_root/cpuacct.usage" ]] || wharf_die "no cgroup v1 cpuacct hierarchy under /sys/fs/cgroup"
bench_cgroup="$cpuacct_root/wharf-bench-health-$$"

remove_labelled() {
  DOCKER_HOST="unix://$1" timeout 600 "$docker_cli" ps -aq --filter "label=$label" 2>/dev/null |
    xargs -r -n 50 env DOCKER_HOST="unix://$1" timeout 600 "$docker_cli" rm -f >/dev/null 2>&1 || true
}
health_cleanup() {
  set +e
  remove_labelled "$wharf_sock"
  remove_labelled "$docker_sock"
  cleanup
  # The daemons are gone; anything still in our cgroups (a straggler shim) goes back to the root, then they go.
  for group in "$bench_cgroup"/*/ "$bench_cgroup"/; do
    [[ -d "$group" ]] || continue
    while read -r pid; do echo "$pid" >"$cpuacct_root/cgroup.procs" 2>/dev/null; done <"$group/cgroup.procs"
  done
  rmdir "$bench_cgroup"/*/ "$bench_cgroup" 2>/dev/null
}
trap health_cleanup EXIT

# descendants PID: PID and every process below it.
descendants() {
  local -a queue=("$1")
  local pid child
  while [[ ${#queue[@]} -gt 0 ]]; do
    pid="${queue[0]}"
    queue=("${queue[@]:1}")
    echo "$pid"
    for child in $(pgrep -P "$pid" || true); do queue+=("$child"); done
  done
}
move_tree_to() {
  mkdir -p "$2"
  local pid
  for pid in $(descendants "$1"); do
    echo "$pid" >"$2/cgroup.procs" 2>/dev/null || true
  done
}
move_tree_to "$wharf_pid" "$bench_cgroup/wharf"
move_tree_to "$docker_pid" "$bench_cgroup/docker"

# cpuacct cgroup (absolute path) of a process.
cpuacct_of() {
  awk -F: -v root="$cpuacct_root" '$2 ~ /(^|,)cpuacct(,|$)/ { print root $3; exit }' "/proc/$1/cgroup" 2>/dev/null
}

# engine_cgroups SOCK ENGINE_CGROUP: the engine's cgroup, the containers' and any shim's outside the engine's,
# none nested in another (a parent's cpuacct.usage already includes its children).
engine_cgroups() {
  local sock="$1" engine_group="$2" pid shim
  {
    echo "$engine_group"
    for pid in $(DOCKER_HOST="unix://$sock" "$docker_cli" inspect -f '{{.State.Pid}}' \
      $(DOCKER_HOST="unix://$sock" "$docker_cli" ps -q --filter "label=$label")); do
      cpuacct_of "$pid"
      shim="$(awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null || true)"
      [[ -n "$shim" && "$shim" != 1 ]] && cpuacct_of "$shim"
    done
  } | sed 's:/*$::' | sort -u | awk '
    { paths[NR] = $0 }
    END {
      for (i = 1; i <= NR; i++) {
        nested = 0
        for (j = 1; j <= NR; j++) if (i != j && index(paths[i], paths[j] "/") == 1) nested = 1
        if (!nested) print paths[i]
      }
    }'
}
usage_ns() {
  local total=0 group
  for group in "$@"; do
    total=$((total + $(cat "$group/cpuacct.usage" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# measure NAME SOCK ENGINE_CGROUP: prints the CPU seconds the engine spent over the window.
measure() {
  local name="$1" sock="$2" engine_group="$3"
  wharf_log "$name: starting $count containers with a 1 s health check"
  seq 1 "$count" | xargs -P "$parallel" -I{} env DOCKER_HOST="unix://$sock" $guard "$docker_cli" run -d \
    --pull never --label "$label" --health-cmd true --health-interval 1s busybox sleep 3600 >/dev/null
  # Wait until every container has passed a check: the checks are really running.
  local deadline=$((SECONDS + 120)) healthy
  while :; do
    healthy="$(DOCKER_HOST="unix://$sock" "$docker_cli" inspect -f '{{.State.Health.Status}}' \
      $(DOCKER_HOST="unix://$sock" "$docker_cli" ps -q --filter "label=$label") | grep -c '^healthy$' || true)"
    [[ "$healthy" -eq "$count" ]] && break
    [[ $SECONDS -lt $deadline ]] || wharf_die "$name: $healthy of $count containers healthy after 120 s"
    sleep 1
  done
  sleep 5 # the start-up's tail (the last containers' first checks) out of the window
  local -a groups
  mapfile -t groups < <(engine_cgroups "$sock" "$engine_group")
  wharf_log "$name: ${#groups[@]} cgroups measured over ${seconds} s; by parent: $(printf '%s\n' "${groups[@]}" |
    xargs -n1 dirname | sort | uniq -c | awk '{ printf "%s %s; ", $1, $2 }')"
  # The checks run in the window, counted from the live exec_die events (both engines publish exec_create,
  # exec_start and exec_die for every probe): on 2 cores both engines may saturate the machine before running
  # every check on time, so the CPU per check is the figure that compares them then.
  local events_file="$work/$name.exec-die" events_pid
  DOCKER_HOST="unix://$sock" "$docker_cli" events --filter type=container --filter event=exec_die \
    --filter "label=$label" >"$events_file" 2>/dev/null &
  events_pid=$!
  sleep 1
  local before after load
  before="$(usage_ns "${groups[@]}")"
  local counted_from
  counted_from="$(wc -l <"$events_file")"
  sleep "$seconds"
  after="$(usage_ns "${groups[@]}")"
  local checks_run=$(($(wc -l <"$events_file") - counted_from))
  kill "$events_pid" 2>/dev/null || true
  wait "$events_pid" 2>/dev/null || true
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  local checks
  checks="$(DOCKER_HOST="unix://$sock" "$docker_cli" ps -q --filter "label=$label" --filter health=healthy | wc -l)"
  wharf_log "$name: $checks of $count still healthy at the end; load average $load"
  remove_labelled "$sock"
  awk -v b="$before" -v a="$after" -v c="$checks_run" -v l="$load" 'BEGIN { printf "%.3f %d %s\n", (a - b) / 1e9, c, l }'
}

read -r wharf_cpu wharf_checks wharf_load1 wharf_load5 wharf_load15 < <(measure wharf "$wharf_sock" "$bench_cgroup/wharf")
read -r docker_cpu docker_checks docker_load1 docker_load5 docker_load15 < <(measure docker "$docker_sock" "$bench_cgroup/docker")

echo
echo "== Wharf vs docker.io ($("$docker_cli" --version), same busybox rootfs) =="
echo "$count containers, --health-cmd true --health-interval 1s, CPU over ${seconds} s (engine + shims + runc + containers)"
echo "(the checks due in the window: $((count * seconds)) per engine)"
awk -v w="$wharf_cpu" -v d="$docker_cpu" -v s="$seconds" -v wc="$wharf_checks" -v dc="$docker_checks" \
  -v wl="$wharf_load1 $wharf_load5 $wharf_load15" -v dl="$docker_load1 $docker_load5 $docker_load15" 'BEGIN {
  wp = (wc > 0 ? 1000 * w / wc : 0); dp = (dc > 0 ? 1000 * d / dc : 0)
  printf "%-8s %8.2f CPU s  (%5.1f%% of one core)  %6d checks run  %6.2f CPU ms/check  load average %s\n", "wharf", w, 100 * w / s, wc, wp, wl
  printf "%-8s %8.2f CPU s  (%5.1f%% of one core)  %6d checks run  %6.2f CPU ms/check  load average %s\n", "docker", d, 100 * d / s, dc, dp, dl
  printf "%-34s wharf/docker %.2f  (target <= 0.33)\n", "health-check CPU over the window", (d > 0 ? w / d : 0)
  printf "%-34s wharf/docker %.2f  (target <= 0.33)\n", "health-check CPU per check", (dp > 0 ? wp / dp : 0)
}'
