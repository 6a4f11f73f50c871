#!/usr/bin/env bash
# Networking cost on the start path, Wharf and Debian's Docker (docker.io) side by side, same docker CLI:
#   1. `docker run --rm --network none busybox true`                    (baseline: no networking)
#   2. `docker run --rm --network <user bridge> busybox true`           (netns + veth + address + route + DNS entry)
#   3. `docker run --rm --network <user bridge> -p 80 busybox true`     (plus one published port: proxy + DNAT rules)
# hyperfine in rounds (see bench_engine), one engine after the other; the networking delta (2 - 1, 3 - 1) is
# printed per engine.
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

# One engine's three cases in rounds (hyperfine, 5 runs of each case per round), the engines one after the other.
# Rounds: this VM's speed drifts by tens of milliseconds over a minute, more than the effect measured, so each case
# is sampled all along the engine's turn and the medians are taken over every run of every round. Engines apart:
# interleaving them measured each partly under the other's leftover kernel work (Docker's namespace and veth
# teardown runs on after its `run --rm` returned and holds the rtnl lock veth creation needs).
rounds="${BENCH_NETWORK_ROUNDS:-6}"
bench_engine() {
  local engine="$1" sock="$2" round
  for round in $(seq 1 "$rounds"); do
    hyperfine --warmup 1 --runs 5 --export-json "$results_dir/net-$engine-$round.json" \
      -n none "DOCKER_HOST=unix://$sock $guard $docker_cli run --rm --network none busybox true" \
      -n bridge "DOCKER_HOST=unix://$sock $guard $docker_cli run --rm --network $net busybox true" \
      -n bridge-port "DOCKER_HOST=unix://$sock $guard $docker_cli run --rm --network $net -p 80 busybox true"
  done
}

# Median of every run of case $2 (none|bridge|bridge-port) in engine $1's rounds, in milliseconds.
median_over_rounds() {
  python3 - "$2" "$results_dir"/net-"$1"-*.json <<'PY'
import json, statistics, sys
case, files = sys.argv[1], sys.argv[2:]
times = [t for f in files for r in json.load(open(f))["results"] if r["command"] == case for t in r["times"]]
print(f"{statistics.median(times) * 1000:.1f}")
PY
}

: >"$results_dir/network-summary.txt"
# BENCH_NETWORK_MANY_ONLY=1: only step 4.
if [[ "${BENCH_NETWORK_MANY_ONLY:-0}" != 1 ]]; then
rm -f "$results_dir"/net-wharf-*.json "$results_dir"/net-docker-*.json
bench_engine wharf "$wharf_sock"
sleep 2 # let the kernel finish Wharf's last teardown before Docker's turn
bench_engine docker "$docker_sock"

{
  echo "medians over $rounds rounds x 5 runs:"
  for c in none bridge bridge-port; do
    title="run --rm --network none"
    [[ $c == bridge ]] && title="run --rm --network <user bridge>"
    [[ $c == bridge-port ]] && title="run --rm --network <user bridge> -p 80"
    awk -v t="$title" -v w="$(median_over_rounds wharf "$c")" -v d="$(median_over_rounds docker "$c")" 'BEGIN {
      printf "%-40s wharf %8.1f ms   docker %8.1f ms   wharf/docker %.2f\n", t, w, d, (d > 0 ? w / d : 0) }'
  done
  echo "networking delta over --network none:"
  for engine in wharf docker; do
    awk -v e="$engine" -v none="$(median_over_rounds "$engine" none)" -v b="$(median_over_rounds "$engine" bridge)" \
      -v p="$(median_over_rounds "$engine" bridge-port)" 'BEGIN {
      printf "%-7s user bridge %+.1f ms, user bridge + 1 port (-p 80) %+.1f ms\n", e, b - none, p - none }'
  done
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
