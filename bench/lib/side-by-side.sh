#!/usr/bin/env bash
# Sourced by the bench/run-*.sh scripts: starts a throw-away wharfd (or uses the installed one with
# --installed) and Debian's dockerd side by side on sockets under a temp dir, imports the same deterministic
# busybox rootfs into both, checks each can run it, and removes everything on exit.
# After sourcing: $docker_cli, $wharf_sock, $docker_sock, $wharf_pid, $docker_pid, $guard (KILL timeout prefix),
# $label (label for containers a run creates), $results_dir, $work; functions median_of, report_pair, vm_rss_kib.
# The caller sets bench_usage (its usage line) before sourcing.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/install-deps.sh
source "$repo_root/scripts/install-deps.sh"
# shellcheck source=bench/lib/process.sh
source "$repo_root/bench/lib/process.sh"

use_installed=0
if [[ "${1:-}" == "--installed" ]]; then
  use_installed=1
elif [[ $# -gt 0 ]]; then
  echo "${bench_usage:-usage: $0 [--installed]}" >&2
  exit 2
fi

wharf_require_root "$0"
wharf_apt_install hyperfine curl python3

# docker.io (and the registry) without starting their system services: see wharf_install_test_deps.
wharf_install_test_deps

# The docker CLI on PATH first (/usr/local/bin/docker, 28.x); docker.io's own /usr/bin/docker is 20.10.
docker_cli="$(command -v docker)"
if [[ "$docker_cli" == /usr/bin/docker && -x /usr/local/bin/docker ]]; then
  docker_cli=/usr/local/bin/docker
fi
dockerd_bin="$(command -v dockerd)" || wharf_die "dockerd not found after installing docker.io"

results_dir="${BENCH_RESULTS_DIR:-/tmp/wharf-bench-results}"
mkdir -p "$results_dir"
# Short paths on purpose: unix socket paths (exec-root/containers/<64-hex id>/shim.sock) must stay under 108 bytes.
work="$(mktemp -d /tmp/wb.XXXXXX)"
docker_sock="$work/docker.sock"
docker_pidfile="$work/dockerd.pid"
docker_pid=""
wharf_pid=""
wharf_started=0
label="wharf-bench=$$"

if [[ $use_installed -eq 1 ]]; then
  wharf_sock=/run/wharf/wharf.sock
  wharf_pidfile=/run/wharf/wharfd.pid
else
  wharf_sock="$work/wharf.sock"
  wharf_pidfile="$work/wharfd.pid"
fi

cleanup() {
  set +e
  if [[ $use_installed -eq 1 && -S "$wharf_sock" ]]; then
    # Only the containers this run created on the shared daemon.
    DOCKER_HOST="unix://$wharf_sock" "$docker_cli" ps -aq --filter "label=$label" |
      xargs -r env DOCKER_HOST="unix://$wharf_sock" "$docker_cli" rm -f >/dev/null 2>&1
  fi
  # dockerd stops the containerd it started itself.
  stop_pid "$docker_pid"
  [[ $wharf_started -eq 1 ]] && stop_pid "$wharf_pid"
  # Whatever the daemons left mounted under the work dir (overlay layers, shm, netns), deepest first.
  awk -v prefix="$work/" 'index($2, prefix) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r mount_point; do umount -l "$mount_point"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

ping_ok() {
  [[ "$(curl -fsS --max-time 2 --unix-socket "$1" http://d/_ping 2>/dev/null)" == "OK" ]]
}

wait_for() {
  local name="$1" sock="$2" pid="$3" log="$4"
  for _ in $(seq 1 300); do
    ping_ok "$sock" && return 0
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  echo "$name did not answer on unix://$sock; last lines of $log:" >&2
  tail -n 40 "$log" >&2 || true
  exit 1
}

# --- start the daemons -------------------------------------------------------------------------
if [[ $use_installed -eq 1 ]]; then
  ping_ok "$wharf_sock" || wharf_die "no wharfd answers on unix://$wharf_sock (run install.sh, or drop --installed)"
  wharf_pid="$(tr -dc '0-9' <"$wharf_pidfile")"
else
  wharfd_bin=""
  for candidate in "${WHARF_BIN_DIR:-}/wharfd" "$repo_root/out/wharfd" "$(command -v wharfd || true)"; do
    if [[ -n "$candidate" && -x "$candidate" && "$candidate" != /wharfd ]]; then
      wharfd_bin="$candidate"
      break
    fi
  done
  [[ -n "$wharfd_bin" ]] || wharf_die "wharfd not found: run ./test.sh (publishes ./out) or install.sh, or set WHARF_BIN_DIR"
  wharf_log "starting $wharfd_bin on unix://$wharf_sock"
  # Its own empty daemon.json: the installed /etc/wharf/daemon.json must not leak into the benchmark.
  echo '{}' >"$work/daemon.json"
  "$wharfd_bin" --config-file "$work/daemon.json" --data-root "$work/wharf-data" --exec-root "$work/we" \
    -H "unix://$wharf_sock" --pidfile "$wharf_pidfile" >"$work/wharfd.log" 2>&1 </dev/null &
  wharf_pid=$!
  wharf_started=1
  wait_for wharfd "$wharf_sock" "$wharf_pid" "$work/wharfd.log"
fi

wharf_log "starting $dockerd_bin on unix://$docker_sock"
# bench_docker_own_netns=1 (set by the caller): dockerd runs in a network namespace of its own with its default
# networking (docker0 bridge, iptables rules, docker-proxy) for a fair networking comparison; being in its own
# namespace, its bridge and rules never meet the host's or any wharfd's. Otherwise no bridge and no rules.
if [[ "${bench_docker_own_netns:-0}" == 1 ]]; then
  unshare --net sh -c 'ip link set lo up && exec "$0" "$@"' \
    "$dockerd_bin" --host "unix://$docker_sock" --data-root "$work/docker-data" --exec-root "$work/de" \
    --pidfile "$docker_pidfile" --log-level=warn >"$work/dockerd.log" 2>&1 </dev/null &
else
"$dockerd_bin" --host "unix://$docker_sock" --data-root "$work/docker-data" --exec-root "$work/de" \
  --pidfile "$docker_pidfile" --bridge=none --iptables=false --ip-masq=false \
  --log-level=warn >"$work/dockerd.log" 2>&1 </dev/null &
fi
docker_pid=$!
wait_for dockerd "$docker_sock" "$docker_pid" "$work/dockerd.log"

# --- the same image on both ----------------------------------------------------------------------
bash "$repo_root/scripts/make-busybox-rootfs.sh" "$work/busybox.tar"
for sock in "$wharf_sock" "$docker_sock"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" import "$work/busybox.tar" busybox:latest >/dev/null
done

# One checked run on each before timing: a daemon that cannot run busybox must fail here, loudly, rather than
# hang hyperfine. Every timed command also runs under a KILL timeout (docker run forwards SIGTERM instead of dying).
guard="timeout -s KILL ${BENCH_COMMAND_TIMEOUT:-120}"
for sock in "$wharf_sock" "$docker_sock"; do
  if ! DOCKER_HOST="unix://$sock" $guard "$docker_cli" run --rm busybox true; then
    for log in "$work"/*.log; do
      echo "--- last lines of $log ---" >&2
      tail -n 20 "$log" >&2
    done
    wharf_die "docker run --rm busybox true failed against unix://$sock"
  fi
done

median_of() {
  # hyperfine's JSON lists results in command order; prints the Nth median (seconds).
  grep -o '"median": *[0-9.eE+-]*' "$1" | sed -n "${2}p" | awk '{ print $2 }'
}

# report_ms TITLE WHARF_MS DOCKER_MS: one side-by-side line with the ratio.
report_ms() {
  awk -v t="$1" -v w="$2" -v d="$3" 'BEGIN {
    printf "%-34s wharf %8.1f ms   docker %8.1f ms   wharf/docker %.2f\n", t, w, d, (d > 0 ? w / d : 0)
  }'
}

report_pair() {
  local title="$1" json="$2"
  report_ms "$title" "$(awk -v s="$(median_of "$json" 1)" 'BEGIN { print s * 1000 }')" "$(awk -v s="$(median_of "$json" 2)" 'BEGIN { print s * 1000 }')"
}

