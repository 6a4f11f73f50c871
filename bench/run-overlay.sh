#!/usr/bin/env bash
# Overlay (VXLAN across two cluster hosts) against a local bridge (two containers on one host), on the throw-away
# cluster of scripts/cluster-up.sh; every packet stays inside the namespaces that script makes:
#   1. ping latency container -> container: median of ROUNDS rounds of `ping -c 20 -i 0.2` averages
#   2. TCP throughput container -> container: median MB/s of ROUNDS transfers of 200 MB (busybox nc, /dev/zero;
#      timed around `docker exec`, so a fixed ~0.1 s of exec start-up is in every round)
#   3. endpoint propagation: `docker run -d` on host 1 returns -> host 2's VXLAN device has the endpoint (median ms)
#
# Usage: sudo bench/run-overlay.sh [--bin DIR] [--image TAR] [--rounds N]
#   --bin DIR    published binaries (default ./out: scripts/publish.sh out out)
#   --image TAR  busybox rootfs tar (default ./out/busybox.tar: scripts/make-busybox-rootfs.sh out/busybox.tar)
#   --rounds N   rounds per measurement (default 5)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$repo_root/out"
image="$repo_root/out/busybox.tar"
rounds=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --image) image="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run-overlay: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$(id -u)" -eq 0 ]] || { echo "run-overlay: must run as root" >&2; exit 1; }

state="$(mktemp -d /tmp/wharf-bench-overlay.XXXXXX)"
trap 'bash "$repo_root/scripts/cluster-down.sh" --state "$state" >/dev/null 2>&1 || true' EXIT
bash "$repo_root/scripts/cluster-up.sh" --bin "$bin" --state "$state" --hosts 2 --image "$image" >/dev/null

d() { local host="$1"; shift; DOCKER_HOST="unix://$state/h$host/wharf.sock" docker "$@"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now_ms() { date +%s%3N; }

d 1 network create -d overlay --subnet 10.241.0.0/24 ov >/dev/null
d 1 network create --subnet 10.242.0.0/24 br >/dev/null
# Receivers keep their stdin open themselves (busybox nc ends when its stdin does) and count what arrives.
receiver='mkfifo /tmp/p; exec 3<>/tmp/p; while true; do nc -l -p 5000 <&3 | wc -c > /tmp/n; done'
d 1 run -d --pull never --name ov-tx --network ov busybox sleep 1d >/dev/null
d 2 run -d --pull never --name ov-rx --network ov busybox sh -c "$receiver" >/dev/null
d 1 run -d --pull never --name br-tx --network br busybox sleep 1d >/dev/null
d 1 run -d --pull never --name br-rx --network br busybox sh -c "$receiver" >/dev/null
sleep 1

latency() { # host tx target -> median of the rounds' average RTT (ms)
  for _ in $(seq 1 "$rounds"); do
    d "$1" exec "$2" ping -c 20 -i 0.2 -q "$3" | awk -F/ '/min\/avg\/max/ { print $4 }'
  done | median
}
throughput() { # host tx target -> median MB/s of 200 MB transfers
  for _ in $(seq 1 "$rounds"); do
    local start end
    start=$(now_ms)
    d "$1" exec "$2" sh -c "head -c 209715200 /dev/zero | nc $3 5000"
    end=$(now_ms)
    awk -v ms=$((end - start)) 'BEGIN { printf "%.1f\n", 200 * 1000 / ms }'
  done | median
}
propagation() { # docker run -d on host 1 returns -> the endpoint's neighbour entry is on host 2 (ms)
  local vx="vx-$(d 1 network inspect -f '{{.Id}}' ov | cut -c1-12)"
  for k in $(seq 1 "$rounds"); do
    local start ip
    start=$(now_ms)
    d 1 run -d --pull never --name "probe$k" --network ov busybox sleep 1d >/dev/null
    ip=$(d 1 inspect -f '{{(index .NetworkSettings.Networks "ov").IPAddress}}' "probe$k")
    until nsenter --net=/run/netns/whc-h2 ip neigh show dev "$vx" | grep -q "^$ip "; do sleep 0.01; done
    echo $(($(now_ms) - start))
    d 1 rm -f "probe$k" >/dev/null
  done | median
}

echo "overlay benchmark: $rounds rounds each (host 1 -> host 2 over VXLAN; local bridge on host 1)"
printf '%-34s %12s %12s\n' "" overlay bridge
printf '%-34s %12s %12s\n' "ping RTT, median of averages (ms)" "$(latency 1 ov-tx ov-rx)" "$(latency 1 br-tx br-rx)"
printf '%-34s %12s %12s\n' "TCP 200 MB, median (MB/s)" "$(throughput 1 ov-tx ov-rx)" "$(throughput 1 br-tx br-rx)"
printf '%-34s %12s %12s\n' "run on h1 -> programmed on h2 (ms)" "$(propagation)" "-"
