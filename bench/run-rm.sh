#!/usr/bin/env bash
# Side-by-side: `docker rm -f` of 100 running containers with published ports on a user bridge network, in one CLI
# command, Wharf vs Debian's Docker: wall time until rm returns, and what the removed containers left in the kernel
# right after it returned (veths on the network's bridge, iptables rules naming their addresses, mounts under the
# daemon's roots naming them or their netns pins), then how long until that is all gone.
# Each container publishes 127.0.0.1::80 (proxy only) and <gateway>::81 (DNAT/ACCEPT/MASQUERADE rules, and never
# reachable from outside the host). Creating the containers is not timed.
# dockerd runs in a network namespace of its own with its default networking (see lib/side-by-side.sh); Wharf is a
# throw-away daemon whose bridge, chains and rules go with it.
#
# Usage: sudo bench/run-rm.sh [--installed]
#   BENCH_RM_COUNT (default 100) containers, BENCH_RUNS (default 3) rounds per daemon, alternating.
set -euo pipefail

bench_usage="usage: $0 [--installed]"
bench_docker_own_netns=1
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"

count="${BENCH_RM_COUNT:-100}"
runs="${BENCH_RUNS:-3}"
wharf_roots=("$work/wharf-data" "$work/we")
docker_roots=("$work/docker-data" "$work/de")
if [[ $use_installed -eq 1 ]]; then wharf_roots=(/var/lib/wharf /run/wharf); fi

# Per daemon: its socket, a prefix for `nsenter` into its network namespace, its roots, its network.
declare -A sock_of=([wharf]="$wharf_sock" [docker]="$docker_sock")
declare -A netns_of=([wharf]="" [docker]="nsenter --net=/proc/$docker_pid/ns/net")
declare -A subnet_of=([wharf]="10.204.$((RANDOM % 250))" [docker]="10.205.$((RANDOM % 250))")
declare -A bridge_of=([wharf]="wbrm$$" [docker]="dbrm$$")
net="bench-rm-$$"

d() { local who="$1"; shift; DOCKER_HOST="unix://${sock_of[$who]}" $guard "$docker_cli" "$@"; }

for who in wharf docker; do
  d "$who" network create --subnet "${subnet_of[$who]}.0/24" --gateway "${subnet_of[$who]}.1" \
    -o "com.docker.network.bridge.name=${bridge_of[$who]}" "$net" >/dev/null
done
remove_network() {
  for who in wharf docker; do d "$who" network rm "$net" >/dev/null 2>&1 || true; done
}
trap 'remove_network; cleanup' EXIT

roots_of() { if [[ "$1" == wharf ]]; then echo "${wharf_roots[@]}"; else echo "${docker_roots[@]}"; fi; }

# Mount points under the daemon's roots (overlay rootfs, shm, netns pins, ...); leftovers are those beyond the
# count before the round's containers were created (Docker names its rootfs mounts after layers, not containers).
mounts_under_roots() {
  awk -v roots="$(roots_of "$1")" '
    BEGIN { n = split(roots, r, " ") }
    { for (i = 1; i <= n; i++) if (index($5, r[i] "/") == 1) { print $5; break } }' /proc/self/mountinfo | wc -l
}

# "veths rules mounts" the removed containers still hold.
leftovers() {
  local who="$1" ips="$2" baseline_mounts="$3" veths rules mounts
  veths="$(${netns_of[$who]} ip -o link show master "${bridge_of[$who]}" 2>/dev/null | wc -l)"
  rules="$(${netns_of[$who]} iptables-save 2>/dev/null | grep '^-A ' | grep -E -c -f "$ips" || true)"
  mounts="$(( $(mounts_under_roots "$who") - baseline_mounts ))"
  echo "$veths $rules $mounts"
}

create_all() {
  local who="$1" gw="${subnet_of[$1]}.1"
  seq 1 "$count" | xargs -P 8 -I{} env DOCKER_HOST="unix://${sock_of[$who]}" $guard "$docker_cli" run -d --label "$label" \
    --network "$net" -p 127.0.0.1::80 -p "$gw::81" busybox sleep 3600 >/dev/null
  local running
  running="$(d "$who" ps -q --filter "label=$label" --filter status=running | wc -l)"
  [[ "$running" -eq "$count" ]] || wharf_die "$count containers asked for on $who, $running running"
}

now_ms() { date +%s%3N; }

declare -A times=([wharf]="" [docker]="")
declare -A left=([wharf]="" [docker]="")
declare -A clean=([wharf]="" [docker]="")
for round in $(seq 1 "$runs"); do
  for who in wharf docker; do
    baseline_mounts="$(mounts_under_roots "$who")"
    create_all "$who"
    ips="$work/rm-ips"
    names="$(d "$who" ps -aq --filter "label=$label" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    d "$who" inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" $names |
      sed 's/\./\\./g; s/.*/(^|[^0-9.])&([^0-9]|$)/' >"$ips"
    # Port rules wait for a short hold in Wharf (HeldPortRules): let them land so there is something to remove.
    sleep 2
    before="$(leftovers "$who" "$ips" "$baseline_mounts")"
    start="$(now_ms)"
    # shellcheck disable=SC2086
    d "$who" rm -f $names >/dev/null
    end="$(now_ms)"
    after="$(leftovers "$who" "$ips" "$baseline_mounts")"
    # Then until nothing is left (30 s at most); 0 when nothing was left at the return.
    until_clean=""
    [[ "$after" == "0 0 0" ]] && until_clean=0
    for _ in $(seq 1 3000); do
      [[ -n "$until_clean" ]] && break
      if [[ "$(leftovers "$who" "$ips" "$baseline_mounts")" == "0 0 0" ]]; then until_clean="$(( $(now_ms) - end ))"; break; fi
      sleep 0.01
    done
    printf '%-6s round %d: rm -f x%d %6d ms   before rm (veths rules mounts) %-12s right after %-10s all gone %s ms after return\n' \
      "$who" "$round" "$count" "$((end - start))" "$before" "$after" "${until_clean:->30000}"
    times[$who]+="$((end - start)) "
    left[$who]="$after"
    clean[$who]+="${until_clean:-30000} "
  done
done

wharf_ms="$(echo "${times[wharf]}" | median_of_words)"
docker_ms="$(echo "${times[docker]}" | median_of_words)"
echo
echo "== Wharf vs docker.io ($("$docker_cli" --version), same busybox rootfs; load $(cut -d' ' -f1-3 /proc/loadavg)) =="
report_ms "rm -f x$count (median of rounds)" "$wharf_ms" "$docker_ms"
echo "left right after the last round's return (veths rules mounts beyond the baseline): wharf ${left[wharf]}   docker ${left[docker]}"
echo "ms from return until all gone, per round: wharf ${clean[wharf]}  docker ${clean[docker]}"
