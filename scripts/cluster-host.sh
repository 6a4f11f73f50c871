#!/usr/bin/env bash
# Starts one piece of a cluster made by scripts/cluster-up.sh again, with the very arguments cluster-up gives it — for
# fault drills (issue 18 §5): a host whose wharfd was killed, or the etcd that was stopped. The piece's namespace,
# data root and state stay as they were (a restarted wharfd resumes its containers and its lease; a restarted etcd
# serves its data dir). cluster-up.sh starts every piece through this script too.
#
# Usage: sudo scripts/cluster-host.sh [--state DIR] wharfd K     start host K's wharfd (K = 1..N); waits for its socket
#        sudo scripts/cluster-host.sh [--state DIR] etcd         start etcd; waits until it is healthy
#   --state DIR  the cluster's state dir (default: /run/wharf-cluster), as given to cluster-up.sh
set -euo pipefail

state=/run/wharf-cluster
if [[ "${1:-}" == "--state" ]]; then
  state="$2"
  shift 2
fi
# Close every inherited descriptor above stderr: the piece started lives on after this script and must not keep a
# caller's files open (as in cluster-up.sh).
for fd in /proc/$$/fd/*; do
  fd="${fd##*/}"
  [[ "$fd" =~ ^[0-9]+$ && "$fd" -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null
done

die() { echo "cluster-host: $*" >&2; exit 1; }
[[ -f "$state/cluster.env" ]] || die "no cluster at $state (run scripts/cluster-up.sh first)"
# hosts=, bin=, shim= as written by cluster-up.sh
# shellcheck disable=SC1091
source "$state/cluster.env"
underlay=whc-ul
ns_exec() { local ns="$1"; shift; nsenter --net="/run/netns/$ns" "$@"; }

case "${1:-}" in
  etcd)
    mkdir -p "$state/etcd"
    # Started without a shell function or subshell in between, so $! is etcd's own pid (nsenter and setsid exec it).
    nsenter --net="/run/netns/$underlay" setsid etcd --name whc-etcd --data-dir "$state/etcd/data" \
      --listen-client-urls http://10.99.0.1:2379 --advertise-client-urls http://10.99.0.1:2379 \
      --listen-peer-urls http://10.99.0.1:2380 --initial-advertise-peer-urls http://10.99.0.1:2380 \
      --initial-cluster whc-etcd=http://10.99.0.1:2380 --log-level warn --logger zap \
      >>"$state/etcd/etcd.log" 2>&1 </dev/null &
    echo $! >"$state/etcd/etcd.pid"
    for _ in $(seq 1 100); do
      ns_exec "$underlay" curl -fsS --max-time 1 http://10.99.0.1:2379/health 2>/dev/null | grep -q '"health":"true"' && exit 0
      sleep 0.1
    done
    die "etcd did not become healthy; see $state/etcd/etcd.log"
    ;;
  wharfd)
    k="${2:-}"
    [[ "$k" =~ ^[1-9]$ && "$k" -le "$hosts" ]] || die "wharfd needs a host number 1..$hosts"
    ns="whc-h$k"
    dir="$state/h$k"
    mkdir -p "$dir/data" "$dir/exec"
    rm -f "$dir/wharf.sock"
    nsenter --net="/run/netns/$ns" setsid "$bin/wharfd" --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$dir/wharf.sock" \
      --pidfile "$dir/wharfd.pid" --cgroup-parent "/wharf-cluster-h$k" --shim "$shim" \
      --cluster-store etcd://10.99.0.1:2379 --cluster-advertise "10.99.0.1$k" \
      >>"$dir/wharfd.log" 2>&1 </dev/null &
    for _ in $(seq 1 300); do
      curl -fsS --max-time 1 --unix-socket "$dir/wharf.sock" http://localhost/_ping >/dev/null 2>&1 && exit 0
      sleep 0.1
    done
    die "wharfd of host $k did not answer on $dir/wharf.sock; see $dir/wharfd.log"
    ;;
  *)
    sed -n '2,11p' "$0" >&2
    exit 2
    ;;
esac
