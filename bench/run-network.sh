#!/usr/bin/env bash
# Networking cost on the start path, Wharf and Debian's Docker (docker.io) side by side, same docker CLI:
#   1. `docker run --rm --network none busybox true`                    (baseline: no networking)
#   2. `docker run --rm --network <user bridge> busybox true`           (netns + veth + address + route + DNS entry)
#   3. `docker run --rm --network <user bridge> -p 80 busybox true`     (plus one published port: proxy + DNAT rules)
# hyperfine --warmup 3 --runs 20 each; the networking delta (2 - 1, 3 - 1) is printed per engine.
# Target (issue 6): 2 and 3 add at most 10 ms to 1 on Wharf.
#   4. 100 containers started on one user network, then every name resolved from 3 of them (sample check).
# Docker runs with its default networking (bridge, iptables, docker-proxy) inside a network namespace of its own
# (bench_docker_own_netns, see lib/side-by-side.sh); Wharf is a throw-away daemon whose bridge, chains and rules
# are prefixed and removed at its shutdown.
#
# Usage: sudo bench/run-network.sh [--installed]
bench_usage="usage: $0 [--installed]"
bench_docker_own_netns=1
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"

net="wharf-bench-net-$$"
DOCKER_HOST="unix://$wharf_sock" "$docker_cli" network create --subnet 10.201.$((RANDOM % 250)).0/24 "$net" >/dev/null
DOCKER_HOST="unix://$docker_sock" "$docker_cli" network create --subnet 10.202.$((RANDOM % 250)).0/24 "$net" >/dev/null
many=${BENCH_NETWORK_CONTAINERS:-100}
remove_all() {
  for sock in "$wharf_sock" "$docker_sock"; do
    DOCKER_HOST="unix://$sock" "$docker_cli" ps -aq --filter "label=$label" | xargs -r env DOCKER_HOST="unix://$sock" "$docker_cli" rm -f >/dev/null 2>&1
    DOCKER_HOST="unix://$sock" "$docker_cli" network rm "$net" >/dev/null 2>&1
  done
}
trap 'set +e; remove_all; cleanup' EXIT

bench_pair() {
  local title="$1" json="$2"
  shift 2
  hyperfine --warmup 3 --runs 20 --export-json "$json" \
    -n wharf "DOCKER_HOST=unix://$wharf_sock $guard $docker_cli run --rm $* busybox true" \
    -n docker "DOCKER_HOST=unix://$docker_sock $guard $docker_cli run --rm $* busybox true"
  report_pair "$title" "$json" >>"$results_dir/network-summary.txt"
}

: >"$results_dir/network-summary.txt"
# BENCH_NETWORK_MANY_ONLY=1: only step 4.
if [[ "${BENCH_NETWORK_MANY_ONLY:-0}" != 1 ]]; then
bench_pair "run --network none" "$results_dir/net-none.json" --network none
bench_pair "run --network <bridge>" "$results_dir/net-bridge.json" --network "$net"
bench_pair "run --network <bridge> -p 80" "$results_dir/net-bridge-port.json" --network "$net" -p 80

delta() {
  awk -v a="$(median_of "$2" "$3")" -v b="$(median_of "$results_dir/net-none.json" "$3")" -v t="$1" 'BEGIN {
    printf "%-34s +%.1f ms\n", t, (a - b) * 1000 }'
}
{
  echo "networking delta over --network none (medians):"
  delta "wharf  user bridge" "$results_dir/net-bridge.json" 1
  delta "wharf  user bridge + 1 port" "$results_dir/net-bridge-port.json" 1
  delta "docker user bridge" "$results_dir/net-bridge.json" 2
  delta "docker user bridge + 1 port" "$results_dir/net-bridge-port.json" 2
} >>"$results_dir/network-summary.txt"
fi

# --- many containers on one network resolving each other ------------------------------------------------------
many_containers() {
  local engine="$1" sock="$2" start end failures
  start=$(date +%s.%N)
  for i in $(seq 1 "$many"); do
    DOCKER_HOST="unix://$sock" $guard "$docker_cli" run -d --label "$label" --network "$net" --name "bn$i" busybox sleep 600 >/dev/null
  done
  end=$(date +%s.%N)
  # Every name from three of them (first, middle, last): busybox nslookup over the engine's embedded DNS.
  failures=0
  local failed
  for from in 1 $((many / 2)) "$many"; do
    failed=$(DOCKER_HOST="unix://$sock" "$docker_cli" exec "bn$from" sh -c \
      "n=0; for i in \$(seq 1 $many); do nslookup bn\$i >/dev/null 2>&1 || n=\$((n+1)); done; echo \$n" || echo "$many")
    failures=$((failures + ${failed:-$many}))
  done
  local resolved_end
  resolved_end=$(date +%s.%N)
  awk -v e="$engine" -v n="$many" -v s="$start" -v m="$end" -v r="$resolved_end" -v f="$failures" 'BEGIN {
    printf "%-7s %d containers started in %.1f s (%.0f ms each); %d lookups from 3 of them in %.1f s, %d failed\n",
      e, n, m - s, (m - s) * 1000 / n, 3 * n, r - m, f }' >>"$results_dir/network-summary.txt"
  DOCKER_HOST="unix://$sock" "$docker_cli" ps -aq --filter "label=$label" | xargs -r env DOCKER_HOST="unix://$sock" "$docker_cli" rm -f >/dev/null
}
many_containers wharf "$wharf_sock"
many_containers docker "$docker_sock"

echo
echo "== networking on the start path =="
cat "$results_dir/network-summary.txt"
