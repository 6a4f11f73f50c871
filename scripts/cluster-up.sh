#!/usr/bin/env bash
# Starts a throw-away Wharf cluster on this machine (issue 18): one etcd and N wharfd "hosts", each host in a
# network namespace of its own, joined by a bridge on a private underlay (10.99.0.0/24) that exists only inside
# the namespaces this script creates. Each host has its own data root, exec root, API socket and cgroup parent.
#
# Usage: sudo scripts/cluster-up.sh [--bin DIR] [--shim PATH] [--state DIR] [--hosts N] [--image TAR]
#   --bin DIR    where wharfd and wharf-shim are (default: ./out, as made by scripts/publish.sh out out)
#   --shim PATH  wharf-shim elsewhere than in --bin
#   --state DIR  where everything of the cluster lives (default: /run/wharf-cluster); cluster-down.sh takes the same
#   --hosts N    number of wharfd hosts, 1..9 (default 3)
#   --image TAR  a rootfs tar imported as busybox:latest on every host (e.g. out/busybox.tar)
#
# Layout (all names start with "whc"):
#   netns whc-ul   the underlay: bridge whc-br (10.99.0.1/24) and etcd on 10.99.0.1:2379
#   netns whc-hK   host K: eth0 = 10.99.0.1K/24 (veth whc-hK-ul in whc-ul on whc-br), wharfd with
#                  --cluster-store etcd://10.99.0.1:2379 --cluster-advertise 10.99.0.1K
# wharfd is started with `nsenter --net=...` (not `ip netns exec`, whose private /sys mount hides the cgroup
# hierarchy from runc). The docker CLI reaches each host through its unix socket under the state dir.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$repo_root/out"
state=/run/wharf-cluster
hosts=3
image=""
shim=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --state) state="$2"; shift 2 ;;
    --shim) shim="$2"; shift 2 ;;
    --hosts) hosts="$2"; shift 2 ;;
    --image) image="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "cluster-up: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Close every inherited descriptor above stderr: the daemons started below live on after this script, and must not
# keep a caller's files open (a `flock LOCK scripts/cluster-up.sh` would otherwise stay locked until cluster-down).
for fd in /proc/$$/fd/*; do
  fd="${fd##*/}"
  [[ "$fd" =~ ^[0-9]+$ && "$fd" -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null
done

die() { echo "cluster-up: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

[[ "$(id -u)" -eq 0 ]] || die "must run as root (network namespaces, runc)"
[[ "$hosts" =~ ^[1-9]$ ]] || die "--hosts must be 1..9"
[[ -x "$bin/wharfd" ]] || die "$bin/wharfd not found: run scripts/publish.sh out out, or pass --bin DIR"
shim="${shim:-$bin/wharf-shim}"
[[ -x "$shim" ]] || die "$shim not found: pass --shim PATH"
command -v etcd >/dev/null || die "etcd not found: apt-get install etcd-server (scripts/install-deps.sh installs it)"
command -v nsenter >/dev/null || die "nsenter not found (util-linux)"
[[ -z "$image" || -f "$image" ]] || die "--image $image: no such file"
if [[ -e /run/netns/whc-ul || -e "$state/cluster.env" ]]; then
  die "a cluster is already up (netns whc-ul or $state/cluster.env exists): run scripts/cluster-down.sh --state $state first"
fi

# On any failure, take down what was made so far.
trap 'status=$?; if [[ $status -ne 0 ]]; then echo "cluster-up: failed; cleaning up" >&2; "$repo_root/scripts/cluster-down.sh" --state "$state" >&2 || true; fi' EXIT

mkdir -p "$state"
chmod 0711 "$state"
printf 'hosts=%q\nbin=%q\nshim=%q\n' "$hosts" "$bin" "$shim" >"$state/cluster.env"

underlay=whc-ul
ns_exec() { local ns="$1"; shift; nsenter --net="/run/netns/$ns" "$@"; }

log "underlay: netns $underlay, bridge whc-br 10.99.0.1/24"
ip netns add "$underlay"
ns_exec "$underlay" ip link set lo up
ns_exec "$underlay" ip link add whc-br type bridge
ns_exec "$underlay" ip addr add 10.99.0.1/24 dev whc-br
ns_exec "$underlay" ip link set whc-br up

log "etcd on 10.99.0.1:2379 (inside $underlay)"
"$repo_root/scripts/cluster-host.sh" --state "$state" etcd

starting=()
for k in $(seq 1 "$hosts"); do
  ns="whc-h$k"
  ip_addr="10.99.0.1$k"
  dir="$state/h$k"
  log "host $k: netns $ns, eth0 $ip_addr, wharfd on $dir/wharf.sock"
  ip netns add "$ns"
  ns_exec "$ns" ip link set lo up
  # The veth is made inside the underlay namespace and one end moved into the host's, so nothing touches the
  # machine's own network namespace.
  ns_exec "$underlay" ip link add "whc-h$k-ul" type veth peer name eth0 netns "$ns"
  ns_exec "$underlay" ip link set "whc-h$k-ul" master whc-br up
  ns_exec "$ns" ip addr add "$ip_addr/24" dev eth0
  ns_exec "$ns" ip link set eth0 up
  # In the background, so the hosts start side by side; each waits for its socket.
  "$repo_root/scripts/cluster-host.sh" --state "$state" wharfd "$k" &
  starting+=($!)
done

for pid in "${starting[@]}"; do
  wait "$pid" || die "a wharfd did not start; see $state/h*/wharfd.log"
done

for k in $(seq 1 "$hosts"); do
  dir="$state/h$k"
  if [[ -n "$image" ]]; then
    DOCKER_HOST="unix://$dir/wharf.sock" docker import - busybox:latest <"$image" >/dev/null \
      || die "importing $image on host $k failed"
  fi
done

# Every host registered in the store (the node key lives under the host's lease).
for _ in $(seq 1 100); do
  registered=$(ns_exec "$underlay" env ETCDCTL_API=3 etcdctl --endpoints 10.99.0.1:2379 get --prefix --keys-only wharf/nodes/ 2>/dev/null | grep -c . || true)
  [[ "$registered" -ge "$hosts" ]] && break
  sleep 0.1
done
[[ "$registered" -ge "$hosts" ]] || die "only $registered of $hosts hosts registered in etcd; see $state/h*/wharfd.log"

trap - EXIT
echo "Wharf cluster up: etcd://10.99.0.1:2379 (in netns $underlay), $hosts hosts. Point the docker CLI at a host:"
for k in $(seq 1 "$hosts"); do
  echo "  host $k (10.99.0.1$k):  export DOCKER_HOST=unix://$state/h$k/wharf.sock"
done
echo "Look into the store:  nsenter --net=/run/netns/$underlay env ETCDCTL_API=3 etcdctl --endpoints 10.99.0.1:2379 get --prefix wharf/"
echo "Take it down:         sudo scripts/cluster-down.sh --state $state"
