#!/usr/bin/env bash
# Image benchmark, Wharf vs Docker side by side (Debian's dockerd 20.10), same docker CLI, legacy builder:
#   1. `docker save` of a ~300 MB image (busybox + 3 layers of 100 MB of /dev/urandom)
#   2. `docker load` of that archive (the image is removed before every run)
#   3. a 10-step Dockerfile build, cold (--no-cache) and fully cached
# Targets (issue 4): save and load at least as fast as Docker; the cached rebuild at most 1/2 of Docker's time.
# The big image is built once by Wharf and loaded into Docker, so both time the very same image (same ID).
#
# Usage: sudo bench/run-images.sh [--installed]   (binaries from $WHARF_BIN_DIR, else ./out, else PATH)
# JSON exports go to $BENCH_RESULTS_DIR (default /tmp/wharf-bench-results).
bench_usage="usage: sudo $0 [--installed]"
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"

runs="${BENCH_RUNS:-5}"
on_wharf="env DOCKER_HOST=unix://$wharf_sock DOCKER_BUILDKIT=0 $guard $docker_cli"
on_docker="env DOCKER_HOST=unix://$docker_sock DOCKER_BUILDKIT=0 $guard $docker_cli"
big="wharf-bench-big:$$"

# --- the 300 MB image --------------------------------------------------------------------------
big_context="$work/big"
mkdir -p "$big_context"
for i in 1 2 3; do head -c 100M /dev/urandom >"$big_context/r$i.bin"; done
printf 'FROM busybox\nCOPY r1.bin /r1.bin\nCOPY r2.bin /r2.bin\nCOPY r3.bin /r3.bin\n' >"$big_context/Dockerfile"
wharf_log "building the 300 MB image in Wharf"
$on_wharf build -q -t "$big" "$big_context" >/dev/null
$on_wharf save -o "$work/big.tar" "$big"
$on_docker load -q -i "$work/big.tar" >/dev/null
rm -rf "$big_context"
wharf_id="$($on_wharf image inspect -f '{{.Id}}' "$big")"
docker_id="$($on_docker image inspect -f '{{.Id}}' "$big")"
[[ "$wharf_id" == "$docker_id" ]] || wharf_die "the image has different IDs: wharf $wharf_id, docker $docker_id"
ls -l "$work/big.tar" >&2

hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$results_dir/images-save.json" \
  -n wharf "$on_wharf save -o $work/save-wharf.tar $big" \
  -n docker "$on_docker save -o $work/save-docker.tar $big"
rm -f "$work/save-wharf.tar" "$work/save-docker.tar"

hyperfine --style basic --runs "$runs" --export-json "$results_dir/images-load.json" \
  --prepare "$on_wharf rmi -f $big >/dev/null 2>&1; $on_docker rmi -f $big >/dev/null 2>&1; sync" \
  -n wharf "$on_wharf load -q -i $work/big.tar" \
  -n docker "$on_docker load -q -i $work/big.tar"

# --- a 10-step build ---------------------------------------------------------------------------
ctx="$work/ctx"
mkdir -p "$ctx/data"
for i in $(seq 1 50); do head -c 20k /dev/urandom >"$ctx/data/f$i.bin"; done
echo small >"$ctx/small.txt"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM busybox
ENV APP=/app MODE=bench
RUN echo one > /one
COPY small.txt /small.txt
RUN echo two > /two
WORKDIR /app
COPY data/ /app/data/
RUN ls /app/data > /listing
LABEL bench=images
CMD ["sh"]
DOCKERFILE
small="wharf-bench-small:$$"

hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$results_dir/images-build-cold.json" \
  -n wharf "$on_wharf build -q --no-cache -t $small $ctx" \
  -n docker "$on_docker build -q --no-cache -t $small $ctx"

hyperfine --style basic --warmup 1 --runs "$((runs * 2))" --export-json "$results_dir/images-build-cached.json" \
  -n wharf "$on_wharf build -q -t $small $ctx" \
  -n docker "$on_docker build -q -t $small $ctx"

echo
echo "Images, Wharf vs Docker (median; target: save/load <= 1.00, cached build <= 0.50):"
report_pair "save 300 MB" "$results_dir/images-save.json"
report_pair "load 300 MB" "$results_dir/images-load.json"
report_pair "build 10 steps --no-cache" "$results_dir/images-build-cold.json"
report_pair "build 10 steps fully cached" "$results_dir/images-build-cached.json"
