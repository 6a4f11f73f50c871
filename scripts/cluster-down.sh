#!/usr/bin/env bash
# Removes every trace of a cluster made by scripts/cluster-up.sh: the containers of each host, the wharfd
# daemons, etcd, the mounts under the state dir, the network namespaces (with their links, bridge and firewall
# rules), the hosts' cgroups and the state dir. Safe to run again, and on a half-made cluster.
#
# Usage: sudo scripts/cluster-down.sh [--state DIR]   (default /run/wharf-cluster)
set -uo pipefail

state=/run/wharf-cluster
while [[ $# -gt 0 ]]; do
  case "$1" in
    --state) state="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "cluster-down: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$(id -u)" -eq 0 ]] || { echo "cluster-down: must run as root" >&2; exit 1; }
log() { echo "==> $*" >&2; }

# Ends the process in PIDFILE (TERM, then KILL after a grace period) if it is still the one we started.
stop_pid() {
  local pidfile="$1" name="$2" pid
  [[ -f "$pidfile" ]] || return 0
  pid=$(cat "$pidfile" 2>/dev/null) || return 0
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -qa "$name" "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# Ends whatever still runs with MARK (a path inside this cluster's state dir) on its command line: a process whose
# pid file was lost. The mark is unique to this cluster, so nothing else is touched.
stop_marked() {
  local mark="$1" pid
  for pid in $(pgrep -f -- "$mark" 2>/dev/null); do
    [[ "$pid" != "$$" ]] && kill -KILL "$pid" 2>/dev/null
  done
  return 0
}

for dir in "$state"/h[0-9]; do
  [[ -d "$dir" ]] || continue
  if [[ -S "$dir/wharf.sock" ]] && command -v docker >/dev/null; then
    ids=$(DOCKER_HOST="unix://$dir/wharf.sock" timeout 20 docker ps -aq 2>/dev/null || true)
    if [[ -n "$ids" ]]; then
      log "$(basename "$dir"): removing containers"
      # shellcheck disable=SC2086
      DOCKER_HOST="unix://$dir/wharf.sock" timeout 60 docker rm -f $ids >/dev/null 2>&1 || true
    fi
  fi
  log "$(basename "$dir"): stopping wharfd"
  stop_pid "$dir/wharfd.pid" wharfd
  stop_marked "--data-root $dir/data"
  # Shims of containers the daemon could not remove (daemon already dead): end them and their runc containers.
  if [[ -d "$dir/exec/runc" ]]; then
    for c in "$dir"/exec/runc/*/; do
      [[ -d "$c" ]] || continue
      runc --root "$dir/exec/runc" delete -f "$(basename "$c")" >/dev/null 2>&1 || true
    done
  fi
done

log "stopping etcd"
stop_pid "$state/etcd/etcd.pid" etcd
stop_marked "--data-dir $state/etcd/data"

# Mounts under the state dir (overlay rootfs, netns bind mounts, shm), deepest first.
if [[ -d "$state" ]]; then
  awk -v root="$state" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
fi

for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^whc-(ul|h[0-9])$'); do
  log "deleting netns $ns"
  ip netns del "$ns" 2>/dev/null || true
done

# The hosts' cgroup parents (empty once their containers are gone).
for cg in /sys/fs/cgroup/wharf-cluster-h[0-9] /sys/fs/cgroup/*/wharf-cluster-h[0-9]; do
  [[ -d "$cg" ]] || continue
  find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
done

rm -rf "$state"
log "cluster removed"
