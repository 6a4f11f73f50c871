#!/usr/bin/env bash
# Side-by-side: recovery from a daemon crash with 100 running containers, Wharf vs Debian's Docker with
# --live-restore (so that its containers survive the crash, as Wharf's do). Each round SIGKILLs the daemon, starts it
# again on the same roots, and times from that start until every container answers `docker inspect` correctly:
# State.Running true with the pid it had before the crash. The containers (busybox sleep) are created once per daemon
# and are not timed. dockerd runs in a network namespace of its own with its default networking (see
# lib/side-by-side.sh), pinned so that the restarted dockerd finds it again.
#
# Usage: sudo bench/run-crash-recovery.sh
#   BENCH_CRASH_COUNT (default 100) containers, BENCH_RUNS (default 3) crashes per daemon, alternating.
set -euo pipefail

bench_usage="usage: $0"
bench_docker_own_netns=1
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"
[[ $use_installed -eq 0 ]] || wharf_die "--installed: this benchmark kills the daemon; it only runs throw-away ones"

count="${BENCH_CRASH_COUNT:-100}"
runs="${BENCH_RUNS:-3}"
declare -A sock_of=([wharf]="$wharf_sock" [docker]="$docker_sock")
d() { local who="$1"; shift; DOCKER_HOST="unix://${sock_of[$who]}" $guard "$docker_cli" "$@"; }

# dockerd's namespace outlives the dockerd that made it (the restarted one enters it again); the lib's cleanup
# unmounts everything under $work.
docker_netns="$work/docker-netns"
touch "$docker_netns"
mount --bind "/proc/$docker_pid/ns/net" "$docker_netns"

start_wharfd() {
  "$wharfd_bin" --config-file "$work/daemon.json" --data-root "$work/wharf-data" --exec-root "$work/we" \
    -H "unix://$wharf_sock" --pidfile "$wharf_pidfile" >>"$work/wharfd.log" 2>&1 </dev/null &
  wharf_pid=$!
}
start_dockerd() {
  nsenter "--net=$docker_netns" "$dockerd_bin" --live-restore --host "unix://$docker_sock" --data-root "$work/docker-data" \
    --exec-root "$work/de" --pidfile "$docker_pidfile" --log-level=warn >>"$work/dockerd.log" 2>&1 </dev/null &
  docker_pid=$!
}

# Live-restore from the start: the lib's dockerd goes (its containerd with it) and one with --live-restore comes.
stop_pid "$docker_pid"
start_dockerd
wait_for dockerd "$docker_sock" "$docker_pid" "$work/dockerd.log"

# With live-restore, containers and the containerd dockerd started outlive dockerd: remove them before the lib's
# cleanup stops the daemons, then stop that containerd.
crash_cleanup() {
  set +e
  # A dockerd that gave up recovering must come back to remove its containers (their shims outlive it).
  if ! kill -0 "$docker_pid" 2>/dev/null; then
    start_dockerd
    for _ in $(seq 1 1200); do ping_ok "$docker_sock" && break; sleep 0.1; done
  fi
  for who in wharf docker; do
    d "$who" ps -aq --filter "label=$label" | xargs -r env DOCKER_HOST="unix://${sock_of[$who]}" "$docker_cli" rm -f >/dev/null 2>&1
  done
  local containerd_pid
  containerd_pid="$(cat "$work/de/containerd/containerd.pid" 2>/dev/null)"
  stop_pid "$docker_pid"
  docker_pid=""
  stop_pid "$containerd_pid"
  cleanup
}
trap crash_cleanup EXIT

for who in wharf docker; do
  seq 1 "$count" | xargs -P 8 -I{} env DOCKER_HOST="unix://${sock_of[$who]}" $guard "$docker_cli" run -d --label "$label" \
    busybox sleep 36000 >/dev/null
done

now_ms() { date +%s%3N; }

# "id true pid" of every container, sorted: what inspect must answer after the restart.
state_of() {
  local who="$1"
  # shellcheck disable=SC2046
  DOCKER_HOST="unix://${sock_of[$who]}" timeout 10 "$docker_cli" inspect -f '{{.Id}} {{.State.Running}} {{.State.Pid}}' \
    $(cat "$work/crash-ids-$who") 2>/dev/null | sort
}

declare -A times=([wharf]="" [docker]="")
for round in $(seq 1 "$runs"); do
  for who in wharf docker; do
    d "$who" ps -q --no-trunc --filter "label=$label" --filter status=running >"$work/crash-ids-$who"
    [[ "$(wc -l <"$work/crash-ids-$who")" -eq "$count" ]] || wharf_die "$who: $count containers asked for, $(wc -l <"$work/crash-ids-$who") running"
    expected="$(state_of "$who")"
    [[ "$(grep -c ' true [1-9]' <<<"$expected")" -eq "$count" ]] || wharf_die "$who: inspect before the crash: $expected"

    if [[ "$who" == wharf ]]; then pid="$wharf_pid"; else pid="$docker_pid"; fi
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    start="$(now_ms)"
    if [[ "$who" == wharf ]]; then start_wharfd; pid="$wharf_pid"; else start_dockerd; pid="$docker_pid"; fi
    answered=""
    recovered=""
    restarts=0
    for _ in $(seq 1 60000); do
      # A daemon that gives up while recovering (dockerd: "timeout waiting for containerd to start" under load) is
      # started again, as systemd's Restart= would; the time keeps running.
      if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        if [[ "$who" == wharf ]]; then start_wharfd; pid="$wharf_pid"; else start_dockerd; pid="$docker_pid"; fi
        restarts=$((restarts + 1))
      fi
      [[ -z "$answered" ]] && ping_ok "${sock_of[$who]}" && answered="$(( $(now_ms) - start ))"
      if [[ -n "$answered" && "$(state_of "$who")" == "$expected" ]]; then recovered="$(( $(now_ms) - start ))"; break; fi
      (( $(now_ms) - start > ${BENCH_CRASH_PATIENCE_MS:-300000} )) && break
      sleep 0.01
    done
    if [[ -z "$recovered" ]]; then
      echo "--- last lines of $work/$who""d.log (daemon pid $pid alive: $(kill -0 "$pid" 2>/dev/null && echo yes || echo no)) ---" >&2
      tail -n 30 "$work/${who}d.log" >&2
      wharf_die "$who: containers not all back with their pids $(( ${BENCH_CRASH_PATIENCE_MS:-300000} / 1000 )) s after the restart (_ping after ${answered:-never} ms)"
    fi
    printf '%-6s round %d: restart -> _ping %6s ms, every one of %d containers inspected running with its pid %6d ms (daemon started again %d times)\n' \
      "$who" "$round" "$answered" "$count" "$recovered" "$restarts"
    times[$who]+="$recovered "
  done
done

wharf_ms="$(echo "${times[wharf]}" | median_of_words)"
docker_ms="$(echo "${times[docker]}" | median_of_words)"
echo
echo "== Wharf vs docker.io --live-restore ($("$docker_cli" --version), same busybox rootfs; load $(cut -d' ' -f1-3 /proc/loadavg)) =="
report_ms "SIGKILL -> consistent x$count (median)" "$wharf_ms" "$docker_ms"
