#!/usr/bin/env bash
# Embedded DNS, Wharf and Debian's Docker (docker.io) side by side, same docker CLI and busybox image: in a client
# container on a user-defined bridge network, N busybox `nslookup peer` (A and AAAA, answered by the engine's
# embedded server: Wharf's on the network's gateway, Docker's on 127.0.0.11 in the container) in one `docker exec`,
# minus a bare `docker exec true`; printed per lookup for each engine, with the ratio.
# Docker runs with its default networking in a network namespace of its own (see lib/side-by-side.sh).
#
# Usage: sudo bench/run-dns.sh [--installed]
bench_usage="usage: $0 [--installed]"
bench_docker_own_netns=1
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"

lookups=${BENCH_DNS_LOOKUPS:-100}
net="wharf-bench-dns-$$"
remove_all() {
  for sock in "$wharf_sock" "$docker_sock"; do
    DOCKER_HOST="unix://$sock" "$docker_cli" ps -aq --filter "label=$label" | xargs -r env DOCKER_HOST="unix://$sock" "$docker_cli" rm -f >/dev/null 2>&1
    DOCKER_HOST="unix://$sock" "$docker_cli" network rm "$net" >/dev/null 2>&1
  done
}
trap 'set +e; remove_all; cleanup' EXIT

subnet_third=$((RANDOM % 250))
for sock in "$wharf_sock" "$docker_sock"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" network create --subnet "10.203.$subnet_third.0/24" "$net" >/dev/null
  for name in peer client; do
    DOCKER_HOST="unix://$sock" $guard "$docker_cli" run -d --label "$label" --network "$net" --name "$name" busybox sleep 600 >/dev/null
  done
  # Checked once: every lookup must succeed, or the timing means nothing.
  DOCKER_HOST="unix://$sock" $guard "$docker_cli" exec client nslookup peer >/dev/null ||
    wharf_die "nslookup peer failed against unix://$sock"
done

loop="for i in \$(seq 1 $lookups); do nslookup peer >/dev/null || exit 1; done"
json="$results_dir/dns.json"
hyperfine --warmup 1 --runs "${BENCH_DNS_RUNS:-10}" --export-json "$json" \
  -n wharf-lookups "DOCKER_HOST=unix://$wharf_sock $guard $docker_cli exec client sh -c '$loop'" \
  -n docker-lookups "DOCKER_HOST=unix://$docker_sock $guard $docker_cli exec client sh -c '$loop'" \
  -n wharf-exec "DOCKER_HOST=unix://$wharf_sock $guard $docker_cli exec client true" \
  -n docker-exec "DOCKER_HOST=unix://$docker_sock $guard $docker_cli exec client true"

echo
echo "== embedded DNS: busybox nslookup of a container name (A + AAAA), $lookups per exec =="
awk -v wl="$(median_of "$json" 1)" -v dl="$(median_of "$json" 2)" -v we="$(median_of "$json" 3)" -v de="$(median_of "$json" 4)" -v n="$lookups" 'BEGIN {
  w = (wl - we) * 1000 / n; d = (dl - de) * 1000 / n
  printf "%d lookups in one exec          wharf %8.1f ms   docker %8.1f ms   wharf/docker %.2f\n", n, wl * 1000, dl * 1000, (dl > 0 ? wl / dl : 0)
  printf "per lookup (minus exec true)   wharf %8.2f ms   docker %8.2f ms   wharf/docker %.2f\n", w, d, (d > 0 ? w / d : 0)
}' | tee "$results_dir/dns-summary.txt"
