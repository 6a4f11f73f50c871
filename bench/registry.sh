#!/usr/bin/env bash
# Registry benchmark, Wharf vs Docker side by side over loopback:
#   push and pull of a ~500 MB image of 5 random (incompressible) layers, in four pairings:
#     wharfd -> wharf-registry  |  dockerd -> docker-registry 2.8  (the two native paths, compared)
#     wharfd -> docker-registry |  dockerd -> wharf-registry       (registries swapped)
#   then the peak RSS of each registry while 20 clients download its biggest blob at once.
# Both daemons load the same image through `docker load`; every push goes to a repository the registry has never
# seen and every pull starts after `docker rmi`, so each transfer moves every layer.
#
# Usage: sudo bench/registry.sh [--installed]     (BENCH_IMAGE_MB=500 BENCH_LAYERS=5 to change the image)
bench_usage="usage: $0 [--installed]"
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"
wharf_install_test_deps
wharf_apt_install python3

image_mb="${BENCH_IMAGE_MB:-500}"
layers="${BENCH_LAYERS:-5}"

wharf_registry_bin=""
for candidate in "${WHARF_BIN_DIR:-}/wharf-registry" "$repo_root/out/wharf-registry" "$(command -v wharf-registry || true)"; do
  if [[ -n "$candidate" && -x "$candidate" && "$candidate" != /wharf-registry ]]; then
    wharf_registry_bin="$candidate"
    break
  fi
done
[[ -n "$wharf_registry_bin" ]] || wharf_die "wharf-registry not found: run scripts/publish.sh, or set WHARF_BIN_DIR"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- the registries ------------------------------------------------------------------------------
wr_port="$(free_port)"
"$wharf_registry_bin" serve --listen "127.0.0.1:$wr_port" --root "$work/wr-data" >"$work/wharf-registry.log" 2>&1 </dev/null &
wr_pid=$!
dr_port="$(free_port)"
cat >"$work/dr.yml" <<YAML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/dr-data
http:
  addr: 127.0.0.1:$dr_port
YAML
docker-registry serve "$work/dr.yml" >"$work/docker-registry.log" 2>&1 </dev/null &
dr_pid=$!
stop_registries() {
  stop_pid "$wr_pid"
  stop_pid "$dr_pid"
  cleanup
}
trap stop_registries EXIT
for port in "$wr_port" "$dr_port"; do
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" && break
    sleep 0.1
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" || wharf_die "registry on 127.0.0.1:$port did not start (logs in $work)"
done

# --- the image: a docker-save archive of $layers random layers ------------------------------------
wharf_log "building a ${image_mb} MB image of $layers random layers"
python3 - "$work/image.tar" "$image_mb" "$layers" <<'PY'
import hashlib, io, json, os, sys, tarfile
out, total_mb, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per_layer = total_mb * 1000 * 1000 // count
with tarfile.open(out, "w") as image:
    diff_ids, names = [], []
    for i in range(count):
        layer = io.BytesIO()
        with tarfile.open(fileobj=layer, mode="w") as tar:
            data = os.urandom(per_layer)
            info = tarfile.TarInfo(f"data/layer{i}.bin")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        raw = layer.getvalue()
        digest = hashlib.sha256(raw).hexdigest()
        diff_ids.append("sha256:" + digest)
        name = f"{digest}/layer.tar"
        names.append(name)
        info = tarfile.TarInfo(name)
        info.size = len(raw)
        image.addfile(info, io.BytesIO(raw))
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    for name, blob in ((config_name, config),
                       ("manifest.json", json.dumps([{"Config": config_name, "RepoTags": ["bench/big:v1"], "Layers": names}]).encode())):
        info = tarfile.TarInfo(name)
        info.size = len(blob)
        image.addfile(info, io.BytesIO(blob))
PY
for sock in "$wharf_sock" "$docker_sock"; do
  DOCKER_HOST="unix://$sock" "$docker_cli" load -i "$work/image.tar" >/dev/null
done
rm -f "$work/image.tar"

now() { date +%s.%N; }
mbps() { awk -v mb="$image_mb" -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", mb / (b - a) }'; }

# transfer DAEMON_SOCK KIND(push|pull) REGISTRY_PORT REPO -> prints MB/s
transfer() {
  local sock="$1" kind="$2" port="$3" repo="$4" ref start end
  ref="127.0.0.1:$port/$repo:v1"
  export DOCKER_HOST="unix://$sock"
  if [[ "$kind" == push ]]; then
    "$docker_cli" tag bench/big:v1 "$ref"
    start="$(now)"
    $guard "$docker_cli" push "$ref" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; wharf_die "push $ref failed"; }
    end="$(now)"
    "$docker_cli" rmi "$ref" >/dev/null
  else
    "$docker_cli" rmi -f bench/big:v1 >/dev/null 2>&1 || true
    start="$(now)"
    $guard "$docker_cli" pull "$ref" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; wharf_die "pull $ref failed"; }
    end="$(now)"
    local completed
    completed="$(grep -c 'Pull complete' "$work/last.log" || true)"
    [[ "$completed" -eq "$layers" ]] || wharf_log "warning: pull of $ref downloaded $completed of $layers layers"
    "$docker_cli" tag "$ref" bench/big:v1
    "$docker_cli" rmi "$ref" >/dev/null
  fi
  unset DOCKER_HOST
  mbps "$start" "$end"
}

wharf_log "timing pushes and pulls (${image_mb} MB each)"
w_w_push="$(transfer "$wharf_sock" push "$wr_port" wharf-to-wharf)"
d_d_push="$(transfer "$docker_sock" push "$dr_port" docker-to-docker)"
w_d_push="$(transfer "$wharf_sock" push "$dr_port" wharf-to-docker)"
d_w_push="$(transfer "$docker_sock" push "$wr_port" docker-to-wharf)"
w_w_pull="$(transfer "$wharf_sock" pull "$wr_port" wharf-to-wharf)"
d_d_pull="$(transfer "$docker_sock" pull "$dr_port" docker-to-docker)"
w_d_pull="$(transfer "$wharf_sock" pull "$dr_port" wharf-to-docker)"
d_w_pull="$(transfer "$docker_sock" pull "$wr_port" docker-to-wharf)"

# --- registry memory under 20 parallel blob downloads ---------------------------------------------
peak_rss_under_parallel_pulls() {
  local pid="$1" port="$2" repo="$3" digest peak=0 rss clients=()
  digest="$(curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://127.0.0.1:$port/v2/$repo/manifests/v1" | python3 -c 'import json,sys; print(max(json.load(sys.stdin)["layers"], key=lambda l: l["size"])["digest"])')"
  for _ in $(seq 1 20); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/$repo/blobs/$digest" &
    clients+=($!)
  done
  local running=1 c
  while [[ $running -eq 1 ]]; do
    rss="$(vm_rss_kib "$pid")"
    if (( rss > peak )); then peak=$rss; fi
    running=0
    for c in "${clients[@]}"; do
      if kill -0 "$c" 2>/dev/null; then running=1; fi
    done
    sleep 0.05
  done
  wait "${clients[@]}" || true
  echo $(( peak / 1024 ))
}
wr_idle_mb=$(( $(vm_rss_kib "$wr_pid") / 1024 ))
dr_idle_mb=$(( $(vm_rss_kib "$dr_pid") / 1024 ))
wr_peak_mb="$(peak_rss_under_parallel_pulls "$wr_pid" "$wr_port" wharf-to-wharf)"
dr_peak_mb="$(peak_rss_under_parallel_pulls "$dr_pid" "$dr_port" docker-to-docker)"

ratio() { awk -v w="$1" -v d="$2" 'BEGIN { printf "%.2f", (d > 0 ? w / d : 0) }'; }
{
  echo
  echo "Registry throughput, ${image_mb} MB image of $layers random layers over loopback (MB/s, higher is better)"
  printf '%-40s %10s %10s %8s\n' "" "wharf" "docker" "ratio"
  printf '%-40s %10s %10s %8s\n' "push, own registry (wharf-reg | dist-2.8)" "$w_w_push" "$d_d_push" "$(ratio "$w_w_push" "$d_d_push")"
  printf '%-40s %10s %10s %8s\n' "pull, own registry (wharf-reg | dist-2.8)" "$w_w_pull" "$d_d_pull" "$(ratio "$w_w_pull" "$d_d_pull")"
  printf '%-40s %10s %10s %8s\n' "push, swapped (dist-2.8 | wharf-reg)" "$w_d_push" "$d_w_push" "$(ratio "$w_d_push" "$d_w_push")"
  printf '%-40s %10s %10s %8s\n' "pull, swapped (dist-2.8 | wharf-reg)" "$w_d_pull" "$d_w_pull" "$(ratio "$w_d_pull" "$d_w_pull")"
  echo
  echo "Registry RSS, 20 parallel downloads of the biggest blob (MiB): wharf-registry idle $wr_idle_mb peak $wr_peak_mb | docker-registry idle $dr_idle_mb peak $dr_peak_mb"
} | tee "$results_dir/registry.txt"
