#!/usr/bin/env bash
# Storage benchmark, Wharf vs Debian's Docker (docker.io) side by side, same docker CLI (hyperfine):
#   1. `docker run --rm -v vol:/data busybox true` vs `docker run --rm busybox true` (volume mount overhead)
#   2. `docker cp` of a 200 MB directory (200 x 1 MiB files) into a (created, not started) container and back out
# Daemon setup, the shared busybox image and cleanup come from bench/lib/side-by-side.sh; nothing is pulled.
#
# Usage: sudo bench/run-storage.sh [--installed]
#   default      start a throw-away wharfd on its own socket/data root under /tmp
#                (binaries from $WHARF_BIN_DIR, else ./out, else PATH)
#   --installed  use the installed daemon on unix:///run/wharf/wharf.sock instead
# JSON exports go to $BENCH_RESULTS_DIR (default /tmp/wharf-bench-results).
bench_usage="usage: $0 [--installed]"
# shellcheck source=bench/lib/side-by-side.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/side-by-side.sh"

# Names unique to this run, so --installed never touches anything else on the shared daemon.
container="wharf-bench-cp-$$"
volume="wharf-bench-vol-$$"
socks=("$wharf_sock" "$docker_sock")
names=(wharf docker)

storage_cleanup() {
  set +e
  for sock in "${socks[@]}"; do
    [[ -S "$sock" ]] || continue
    DOCKER_HOST="unix://$sock" "$docker_cli" rm -f "$container" >/dev/null 2>&1
    DOCKER_HOST="unix://$sock" "$docker_cli" volume rm -f "$volume" >/dev/null 2>&1
  done
  cleanup
}
trap storage_cleanup EXIT

for sock in "${socks[@]}"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" volume create "$volume" >/dev/null
done

# 200 MB of data in 200 files.
mkdir -p "$work/payload"
for i in $(seq 1 200); do head -c 1048576 /dev/urandom >"$work/payload/f$i"; done

bench() {
  # $1 = JSON export, $2 = --prepare command ("" for none), $3 = the docker command line after "docker", $4 = runs.
  local json="$1" prepare="$2" cmd="$3" runs="$4" args=()
  for i in "${!socks[@]}"; do
    args+=(-n "${names[$i]}" "DOCKER_HOST=unix://${socks[$i]} $guard $docker_cli $cmd")
  done
  if [[ -n "$prepare" ]]; then
    hyperfine --warmup 2 --runs "$runs" --prepare "$prepare" --export-json "$json" "${args[@]}"
  else
    hyperfine --warmup 2 --runs "$runs" --export-json "$json" "${args[@]}"
  fi
}

run_plain="$results_dir/storage-run-plain.json"
run_volume="$results_dir/storage-run-volume.json"
bench "$run_plain" "" "run --rm --label $label busybox true" 15
bench "$run_volume" "" "run --rm --label $label -v $volume:/data busybox true" 15

for sock in "${socks[@]}"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" create --name "$container" --label "$label" busybox true >/dev/null
done
cp_in="$results_dir/storage-cp-in.json"
cp_out="$results_dir/storage-cp-out.json"
bench "$cp_in" "" "cp $work/payload $container:/payload" 5
rm -rf "$work/out"
bench "$cp_out" "rm -rf $work/out" "cp $container:/payload $work/out" 5

echo
echo "== Wharf storage vs Docker ($("$docker_cli" --version)) =="
report_pair "docker run --rm busybox true" "$run_plain"
report_pair "docker run --rm -v vol:/data" "$run_volume"
report_pair "docker cp 200 MB dir in" "$cp_in"
report_pair "docker cp 200 MB dir out" "$cp_out"
echo "hyperfine JSON: $run_plain $run_volume $cp_in $cp_out"
