#!/usr/bin/env bash
# Storage benchmark, Wharf vs Docker side by side (Docker only if dockerd is installed), same docker CLI:
#   1. `docker run --rm -v vol:/data busybox true` vs `docker run --rm busybox true` (volume mount overhead)
#   2. `docker cp` of a 200 MB directory (200 x 1 MiB files) into a container and back out
# Both daemons get the same busybox rootfs through `docker import`; nothing is pulled.
#
# Usage: sudo bench/run-storage.sh        (binaries from $WHARF_BIN_DIR, else ./out, else PATH)
# JSON exports go to $BENCH_RESULTS_DIR (default /tmp/wharf-bench-results).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/install-deps.sh
source "$repo_root/scripts/install-deps.sh"
wharf_require_root "$0"
command -v hyperfine >/dev/null || wharf_apt_install hyperfine
command -v curl >/dev/null || wharf_apt_install curl

docker_cli=/usr/local/bin/docker
[[ -x "$docker_cli" ]] || docker_cli="$(command -v docker)"
dockerd_bin="$(command -v dockerd || true)"
results_dir="${BENCH_RESULTS_DIR:-/tmp/wharf-bench-results}"
mkdir -p "$results_dir"
work="$(mktemp -d /tmp/ws.XXXXXX)"
wharf_sock="$work/wharf.sock"
docker_sock="$work/docker.sock"
wharf_pid=""
docker_pid=""

stop_pid() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  set +e
  for sock in "$wharf_sock" "$docker_sock"; do
    [[ -S "$sock" ]] && DOCKER_HOST="unix://$sock" "$docker_cli" rm -f -v bench-cp >/dev/null 2>&1
  done
  stop_pid "$docker_pid"
  stop_pid "$wharf_pid"
  awk -v prefix="$work/" 'index($2, prefix) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r mount_point; do umount -l "$mount_point"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

ping_ok() { [[ "$(curl -fsS --max-time 2 --unix-socket "$1" http://d/_ping 2>/dev/null)" == "OK" ]]; }
wait_for() {
  for _ in $(seq 1 300); do ping_ok "$2" && return 0; kill -0 "$3" 2>/dev/null || break; sleep 0.1; done
  tail -n 40 "$4" >&2 || true
  wharf_die "$1 did not answer on unix://$2"
}

wharfd_bin=""
for candidate in "${WHARF_BIN_DIR:-}/wharfd" "$repo_root/out/wharfd" "$(command -v wharfd || true)"; do
  if [[ -n "$candidate" && -x "$candidate" && "$candidate" != /wharfd ]]; then wharfd_bin="$candidate"; break; fi
done
[[ -n "$wharfd_bin" ]] || wharf_die "wharfd not found: run ./test.sh (publishes ./out) or set WHARF_BIN_DIR"
echo '{}' >"$work/daemon.json"
"$wharfd_bin" --config-file "$work/daemon.json" --data-root "$work/wharf-data" --exec-root "$work/we" \
  -H "unix://$wharf_sock" --pidfile "$work/wharfd.pid" >"$work/wharfd.log" 2>&1 </dev/null &
wharf_pid=$!
wait_for wharfd "$wharf_sock" "$wharf_pid" "$work/wharfd.log"
socks=("$wharf_sock")
names=(wharf)
if [[ -n "$dockerd_bin" ]]; then
  "$dockerd_bin" --host "unix://$docker_sock" --data-root "$work/docker-data" --exec-root "$work/de" \
    --pidfile "$work/dockerd.pid" --bridge=none --iptables=false --ip-masq=false --log-level=warn \
    >"$work/dockerd.log" 2>&1 </dev/null &
  docker_pid=$!
  wait_for dockerd "$docker_sock" "$docker_pid" "$work/dockerd.log"
  socks+=("$docker_sock")
  names+=(docker)
else
  wharf_log "dockerd not installed: measuring Wharf only"
fi

bash "$repo_root/scripts/make-busybox-rootfs.sh" "$work/busybox.tar"
for sock in "${socks[@]}"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" import "$work/busybox.tar" busybox:latest >/dev/null
  DOCKER_HOST="unix://$sock" "$docker_cli" volume create benchvol >/dev/null
done

# 200 MB of data in 200 files.
mkdir -p "$work/payload"
for i in $(seq 1 200); do head -c 1048576 /dev/urandom >"$work/payload/f$i"; done

guard="timeout -s KILL ${BENCH_COMMAND_TIMEOUT:-300}"
commands() {
  # $1 = the docker command line after "docker"; one hyperfine command per daemon.
  local args=()
  for i in "${!socks[@]}"; do
    args+=(-n "${names[$i]}" "DOCKER_HOST=unix://${socks[$i]} $guard $docker_cli $1")
  done
  printf '%s\0' "${args[@]}"
}
bench() {
  local json="$1" prepare="$2" cmd="$3" runs="$4"
  mapfile -d '' args < <(commands "$cmd")
  if [[ -n "$prepare" ]]; then
    hyperfine --warmup 2 --runs "$runs" --prepare "$prepare" --export-json "$json" "${args[@]}"
  else
    hyperfine --warmup 2 --runs "$runs" --export-json "$json" "${args[@]}"
  fi
}

run_plain="$results_dir/storage-run-plain.json"
run_volume="$results_dir/storage-run-volume.json"
bench "$run_plain" "" "run --rm busybox true" 15
bench "$run_volume" "" "run --rm -v benchvol:/data busybox true" 15

for sock in "${socks[@]}"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" create --name bench-cp busybox true >/dev/null
done
cp_in="$results_dir/storage-cp-in.json"
cp_out="$results_dir/storage-cp-out.json"
bench "$cp_in" "" "cp $work/payload bench-cp:/payload" 5
rm -rf "$work/out"
bench "$cp_out" "rm -rf $work/out" "cp bench-cp:/payload $work/out" 5

median_of() { grep -o '"median": *[0-9.eE+-]*' "$1" | sed -n "${2}p" | awk '{ print $2 }'; }
report() {
  local title="$1" json="$2" w d
  w="$(median_of "$json" 1)"
  d="$(median_of "$json" 2)"
  awk -v t="$title" -v w="$w" -v d="${d:-0}" 'BEGIN {
    if (d > 0) printf "%-44s wharf %8.1f ms   docker %8.1f ms   wharf/docker %.2f\n", t, w * 1000, d * 1000, w / d;
    else printf "%-44s wharf %8.1f ms   (no dockerd)\n", t, w * 1000 }'
}
echo
echo "== Wharf storage vs Docker ($("$docker_cli" --version)) =="
report "docker run --rm busybox true" "$run_plain"
report "docker run --rm -v vol:/data busybox true" "$run_volume"
report "docker cp 200 MB dir into a container" "$cp_in"
report "docker cp 200 MB dir out of a container" "$cp_out"
echo "hyperfine JSON: $run_plain $run_volume $cp_in $cp_out"
