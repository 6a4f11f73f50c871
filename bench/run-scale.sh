#!/usr/bin/env bash
# Scale, Wharf vs Debian's Docker (docker.io), both driven by the same docker CLI: N busybox `sleep 3600` containers
# (default 1000, BENCH_CONTAINERS) running on one daemon at a time (the other daemon idle, without containers):
#   1. start of all N, BENCH_PARALLEL (default 50) `docker run -d` CLIs at once (xargs -P), wall time
#   2. with the N running (hyperfine, BENCH_RUNS, default 10; stats 3): `docker ps -a`, `docker inspect` of one,
#      `docker inspect` of all N (one CLI), `docker stats --no-stream`, `docker events --since --until` over the
#      start of the last 50 containers (a window both daemons hold in full: dockerd keeps its last 256 events in
#      memory, wharfd its last 1024), and over the whole start (not comparable: each answers what it kept)
#   3. memory: daemon RSS per running container ((VmRSS with N - VmRSS before 1) / N; dockerd + the containerd it
#      started for Docker) and shim PSS per container (/proc/<shim>/smaps_rollup Pss summed over the containers'
#      shims, the parents of their init processes: wharf-shim vs containerd-shim-runc-v2) / N
#   4. removal of all N, BENCH_PARALLEL `docker rm -f` CLIs at once, wall time
# Ratios (wharf/docker) printed last, with the load average of each phase: the machine may be shared.
# Everything is removed on exit, Ctrl-C or failure (the containers, then the library's cleanup).
#
# Usage: sudo bench/run-scale.sh [--installed]   (see bench/run-latency.sh for the options)
# JSON exports go to $BENCH_RESULTS_DIR (default /tmp/wharf-bench-results).
set -euo pipefail

bench_usage="usage: $0 [--installed]"
count="${BENCH_CONTAINERS:-1000}"
parallel="${BENCH_PARALLEL:-50}"
runs="${BENCH_RUNS:-10}"
tail_count=$((count < 50 ? count : 50))

# Does it fit? A running busybox container costs a few MiB (shim, sleep, kernel objects) on either engine; 16 MiB
# each leaves room for the daemons' growth and the CLIs, with 2 GiB to spare. Checked before anything starts.
available_kib="$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)"
needed_kib=$((count * 16 * 1024 + 2 * 1024 * 1024))
if [[ "$available_kib" -lt "$needed_kib" ]]; then
  echo "error: $count containers need about $((needed_kib / 1024)) MiB, $((available_kib / 1024)) MiB available;" \
    "set BENCH_CONTAINERS lower" >&2
  exit 1
fi

# Both with their default networking, as a user's `docker run -d` gets it: wharfd's bridge, and dockerd's own
# (docker0, in a network namespace of its own so that it never meets the host's or wharfd's). Without it dockerd
# would run with --bridge=none and skip the veth, address and bridge port that wharfd sets up for every container.
bench_docker_own_netns=1
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"

remove_labelled() {
  DOCKER_HOST="unix://$1" timeout 900 "$docker_cli" ps -aq --filter "label=$label" 2>/dev/null |
    xargs -r -P "$parallel" -n 20 env DOCKER_HOST="unix://$1" timeout 900 "$docker_cli" rm -f >/dev/null 2>&1 || true
}
scale_cleanup() {
  set +e
  remove_labelled "$wharf_sock"
  remove_labelled "$docker_sock"
  cleanup
}
trap scale_cleanup EXIT

now_ns() { date +%s%N; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# rss_kib ENGINE: the daemon's VmRSS, plus the containerd dockerd started for Docker.
daemon_rss_kib() {
  local total child
  total="$(vm_rss_kib "$1")"
  for child in $(pgrep -P "$1" containerd || true); do
    total=$((total + $(vm_rss_kib "$child")))
  done
  echo "$total"
}

# shim_pss_kib SOCK: the summed Pss of the shims of the running labelled containers (each once).
shim_pss_kib() {
  local pid
  for pid in $(DOCKER_HOST="unix://$1" "$docker_cli" inspect -f '{{.State.Pid}}' \
    $(DOCKER_HOST="unix://$1" "$docker_cli" ps -q --filter "label=$label")); do
    awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null || true
  done | sort -u | while read -r shim; do
    awk '/^Pss:/ { print $2 }' "/proc/$shim/smaps_rollup" 2>/dev/null || true
  done | awk '{ s += $1 } END { print s + 0 }'
}

declare -A result
# phase NAME SOCK PID: runs every measurement on one engine; results in result[NAME.*].
phase() {
  local name="$1" sock="$2" pid="$3"
  local -a cli=(env "DOCKER_HOST=unix://$sock" $guard "$docker_cli")
  local idle_rss started_at finished_at ids_file="$work/$name.ids"

  sleep 2
  idle_rss="$(daemon_rss_kib "$pid")"
  wharf_log "$name: starting $count containers, $parallel at a time (load average $(load_average))"
  result[$name.load_start]="$(load_average)"
  local since
  since="$(date +%s)"
  started_at="$(now_ns)"
  # The last $tail_count start apart (back to back, in the same timing): their events are the window that both
  # daemons still hold in full (dockerd keeps its last 256 events, wharfd its last 1024).
  seq 1 $((count - tail_count)) | xargs -r -P "$parallel" -I{} "${cli[@]}" run -d --pull never --label "$label" \
    busybox sleep 3600 >/dev/null
  local tail_since tail_until
  tail_since="$(date +%s.%N)"
  seq 1 "$tail_count" | xargs -r -P "$parallel" -I{} "${cli[@]}" run -d --pull never --label "$label" \
    busybox sleep 3600 >/dev/null
  finished_at="$(now_ns)"
  tail_until="$(date +%s.%N)"
  sleep 1
  local until
  until="$(date +%s)"
  result[$name.start]=$(((finished_at - started_at) / 1000000))
  "${cli[@]}" ps -q --no-trunc --filter "label=$label" --filter status=running >"$ids_file"
  local running
  running="$(wc -l <"$ids_file")"
  [[ "$running" -eq "$count" ]] || wharf_die "$name: $count containers asked for, $running running"

  sleep 5 # settle: the last starts' background work out of the memory figures
  result[$name.rss]="$(( ($(daemon_rss_kib "$pid") - idle_rss) / count ))"
  result[$name.pss]="$(( $(shim_pss_kib "$sock") / count ))"

  result[$name.load_queries]="$(load_average)"
  local one
  one="$(head -n 1 "$ids_file")"
  local prefix="DOCKER_HOST=unix://$sock $guard $docker_cli"
  hyperfine --warmup 1 --runs "$runs" --export-json "$results_dir/scale-$name-queries.json" \
    -n "ps -a" "$prefix ps -a" \
    -n "inspect one" "$prefix inspect $one" \
    -n "inspect all" "$prefix inspect \$(cat $ids_file)" \
    -n "events" "$prefix events --since $tail_since --until $tail_until" \
    -n "events (whole start)" "$prefix events --since $since --until $until" >&2
  hyperfine --runs 3 --export-json "$results_dir/scale-$name-stats.json" \
    -n "stats --no-stream" "$prefix stats --no-stream" >&2
  result[$name.events_lines]="$("${cli[@]}" events --since "$tail_since" --until "$tail_until" | wc -l)"
  result[$name.events_all_lines]="$("${cli[@]}" events --since "$since" --until "$until" | wc -l)"
  result[$name.stats_lines]="$("${cli[@]}" stats --no-stream | tail -n +2 | wc -l)"
  local i=1 query
  for query in ps inspect_one inspect_all events events_all; do
    result[$name.$query]="$(awk -v s="$(median_of "$results_dir/scale-$name-queries.json" $i)" 'BEGIN { print s * 1000 }')"
    i=$((i + 1))
  done
  result[$name.stats]="$(awk -v s="$(median_of "$results_dir/scale-$name-stats.json" 1)" 'BEGIN { print s * 1000 }')"

  wharf_log "$name: removing $count containers, $parallel at a time (load average $(load_average))"
  result[$name.load_remove]="$(load_average)"
  started_at="$(now_ns)"
  xargs -P "$parallel" -n 1 "${cli[@]}" rm -f <"$ids_file" >/dev/null
  finished_at="$(now_ns)"
  result[$name.remove]=$(((finished_at - started_at) / 1000000))
  local left
  left="$("${cli[@]}" ps -aq --filter "label=$label" | wc -l)"
  [[ "$left" -eq 0 ]] || wharf_die "$name: $left containers left after rm -f"
}

phase wharf "$wharf_sock" "$wharf_pid"
phase docker "$docker_sock" "$docker_pid"

echo
echo "== Wharf vs docker.io ($("$docker_cli" --version), same busybox rootfs), $count containers =="
line() { # line TITLE KEY UNIT [TARGET]
  awk -v t="$1" -v w="${result[wharf.$2]}" -v d="${result[docker.$2]}" -v u="$3" -v g="${4:-}" 'BEGIN {
    printf "%-36s wharf %9.1f %-3s docker %9.1f %-3s wharf/docker %.2f%s\n", t, w, u, d, u, (d > 0 ? w / d : 0),
      (g == "" ? "" : "  (target <= " g ")")
  }'
}
line "start x$count (-P $parallel)" start ms
line "docker ps -a" ps ms 0.5
line "docker inspect <one>" inspect_one ms 0.5
line "docker inspect <all $count>" inspect_all ms 0.5
line "docker stats --no-stream" stats ms 0.5
line "docker events (last $tail_count starts)" events ms 0.5
line "docker events (whole start)" events_all ms
line "daemon RSS per container" rss KiB
line "shim PSS per container" pss KiB
line "rm -f x$count (-P $parallel)" remove ms
echo "events lines answered: last $tail_count starts wharf ${result[wharf.events_lines]}, docker ${result[docker.events_lines]};" \
  "whole start wharf ${result[wharf.events_all_lines]}, docker ${result[docker.events_all_lines]} (history kept: wharfd 1024, dockerd 256);" \
  "stats rows: wharf ${result[wharf.stats_lines]}, docker ${result[docker.stats_lines]}"
for engine in wharf docker; do
  echo "load average ($engine): start ${result[$engine.load_start]}, queries ${result[$engine.load_queries]}," \
    "removal ${result[$engine.load_remove]}"
done
echo "hyperfine JSON: $results_dir/scale-{wharf,docker}-{queries,stats}.json"
