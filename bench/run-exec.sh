#!/usr/bin/env bash
# `docker exec <c> true` latency, Wharf vs Debian's Docker (docker.io), both driven by the same docker CLI
# (hyperfine, --warmup 3 --runs 30). Each daemon gets the same deterministic busybox rootfs via `docker import`
# and one long-running `sleep` container to exec into. If dockerd is not installed, the script says so and
# measures Wharf alone (it does not install docker.io itself: bench/run-latency.sh does that).
#
# Usage: sudo bench/run-exec.sh [--installed]
#   default      start a throw-away wharfd on its own socket/data root under /tmp
#                (binaries from $WHARF_BIN_DIR, else ./out, else PATH)
#   --installed  use the installed daemon on unix:///run/wharf/wharf.sock instead
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
command -v hyperfine >/dev/null || wharf_apt_install hyperfine
command -v curl >/dev/null || wharf_apt_install curl

docker_cli="$(command -v docker)"
if [[ "$docker_cli" == /usr/bin/docker && -x /usr/local/bin/docker ]]; then
  docker_cli=/usr/local/bin/docker
fi
dockerd_bin="$(command -v dockerd || true)"

results_dir="${BENCH_RESULTS_DIR:-/tmp/wharf-bench-results}"
mkdir -p "$results_dir"
# Short paths on purpose: unix socket paths must stay under 108 bytes.
work="$(mktemp -d /tmp/wx.XXXXXX)"
docker_sock="$work/docker.sock"
docker_pid=""
wharf_pid=""
wharf_started=0
label="wharf-bench-exec=$$"
target="wharf-bench-exec-$$"

if [[ $use_installed -eq 1 ]]; then
  wharf_sock=/run/wharf/wharf.sock
else
  wharf_sock="$work/wharf.sock"
fi

stop_pid() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  set +e
  for sock in "$wharf_sock" "$docker_sock"; do
    [[ -S "$sock" ]] || continue
    DOCKER_HOST="unix://$sock" "$docker_cli" ps -aq --filter "label=$label" |
      xargs -r env DOCKER_HOST="unix://$sock" "$docker_cli" rm -f >/dev/null 2>&1
  done
  stop_pid "$docker_pid"
  [[ $wharf_started -eq 1 ]] && stop_pid "$wharf_pid"
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
  echo '{}' >"$work/daemon.json"
  "$wharfd_bin" --config-file "$work/daemon.json" --data-root "$work/wharf-data" --exec-root "$work/we" \
    -H "unix://$wharf_sock" --pidfile "$work/wharfd.pid" >"$work/wharfd.log" 2>&1 </dev/null &
  wharf_pid=$!
  wharf_started=1
  wait_for wharfd "$wharf_sock" "$wharf_pid" "$work/wharfd.log"
fi

socks=("$wharf_sock")
if [[ -n "$dockerd_bin" ]]; then
  wharf_log "starting $dockerd_bin on unix://$docker_sock"
  "$dockerd_bin" --host "unix://$docker_sock" --data-root "$work/docker-data" --exec-root "$work/de" \
    --pidfile "$work/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
    --log-level=warn >"$work/dockerd.log" 2>&1 </dev/null &
  docker_pid=$!
  wait_for dockerd "$docker_sock" "$docker_pid" "$work/dockerd.log"
  socks+=("$docker_sock")
else
  echo "dockerd is not installed (apt-get install docker.io, or run bench/run-latency.sh once): measuring Wharf only" >&2
fi

# --- the same image and one running container on each --------------------------------------------
bash "$repo_root/scripts/make-busybox-rootfs.sh" "$work/busybox.tar"
guard="timeout -s KILL ${BENCH_COMMAND_TIMEOUT:-60}"
for sock in "${socks[@]}"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" import "$work/busybox.tar" busybox:latest >/dev/null
  DOCKER_HOST="unix://$sock" "$docker_cli" run -d --name "$target" --label "$label" busybox sleep 3600 >/dev/null
  # A checked exec first: a daemon that cannot exec must fail here, loudly, rather than hang hyperfine.
  DOCKER_HOST="unix://$sock" $guard "$docker_cli" exec "$target" true ||
    wharf_die "docker exec $target true failed against unix://$sock"
done

median_of() {
  grep -o '"median": *[0-9.eE+-]*' "$1" | sed -n "${2}p" | awk '{ print $2 }'
}

exec_json="$results_dir/exec-true.json"
commands=(-n wharf "DOCKER_HOST=unix://$wharf_sock $guard $docker_cli exec $target true")
if [[ ${#socks[@]} -gt 1 ]]; then
  commands+=(-n docker "DOCKER_HOST=unix://$docker_sock $guard $docker_cli exec $target true")
fi
hyperfine --warmup 3 --runs "${BENCH_RUNS:-30}" --export-json "$exec_json" "${commands[@]}"

echo
echo "== docker exec <c> true: Wharf vs docker.io ($("$docker_cli" --version)) =="
wharf_median="$(median_of "$exec_json" 1)"
if [[ ${#socks[@]} -gt 1 ]]; then
  docker_median="$(median_of "$exec_json" 2)"
  awk -v w="$wharf_median" -v d="$docker_median" 'BEGIN {
    printf "%-34s wharf %8.1f ms   docker %8.1f ms   wharf/docker %.2f\n", "docker exec <c> true", w * 1000, d * 1000, (d > 0 ? w / d : 0)
  }'
else
  awk -v w="$wharf_median" 'BEGIN { printf "%-34s wharf %8.1f ms   docker (not installed)\n", "docker exec <c> true", w * 1000 }'
fi
echo "hyperfine JSON: $exec_json"
