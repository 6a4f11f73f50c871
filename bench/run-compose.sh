#!/usr/bin/env bash
# `compose up -d` + `compose down` of a 10-service project (busybox, one network, two volumes):
# `wharf compose` vs Debian's docker-compose 1.29, both against the SAME throw-away wharfd (hyperfine,
# --warmup 1 --runs 10). Target: wharf compose <= 0.3x docker-compose's time.
#
# Each service's PID 1 is a shell that exits on SIGTERM, as a real service's process does, so `down` measures
# the tools and not the stop grace period (busybox `sleep` as PID 1 ignores SIGTERM: both tools would then wait
# the full 1 s grace for the KILL). BENCH_COMPOSE_GRACE_BOUND=1 keeps the bare `sleep` for that grace-bound case.
# Both tools get the same compose file either way.
#
# Usage: sudo bench/run-compose.sh [--installed]   (see bench/run-latency.sh for the options)
# The wharf binary comes from $WHARF_BIN_DIR, else ./out, else PATH. JSON goes to $BENCH_RESULTS_DIR.
set -euo pipefail

bench_usage="usage: $0 [--installed]"
# shellcheck source=bench/lib/side-by-side.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/side-by-side.sh"

wharf_cli=""
for candidate in "${WHARF_BIN_DIR:-}/wharf" "$repo_root/out/wharf" "$(command -v wharf || true)"; do
  if [[ -n "$candidate" && -x "$candidate" && "$candidate" != /wharf ]]; then
    wharf_cli="$candidate"
    break
  fi
done
[[ -n "$wharf_cli" ]] || wharf_die "wharf not found: run scripts/publish.sh, or set WHARF_BIN_DIR"
command -v docker-compose >/dev/null || wharf_die "docker-compose (1.29) not found after installing the test packages"

if [[ "${BENCH_COMPOSE_GRACE_BOUND:-0}" == 1 ]]; then
  service_command='["sleep", "3600"]'
  variant="grace-bound: PID 1 ignores SIGTERM, each stop waits the 1 s grace"
  json_name=compose-up-down-grace-bound.json
else
  # sh as PID 1 gets SIGTERM only because it traps it; `wait` returns at once when it arrives.
  service_command='["sh", "-c", "trap '"'"'exit 0'"'"' TERM; sleep 3600 & wait"]'
  variant="services exit on SIGTERM"
  json_name=compose-up-down.json
fi

project_dir="$work/composebench"
mkdir -p "$project_dir"
{
  echo "services:"
  for i in $(seq 1 10); do
    cat <<SERVICE
  s$i:
    image: busybox:latest
    pull_policy: never
    command: $service_command
    stop_grace_period: 1s
    labels: ["$label"]
    networks: [net]
    volumes:
      - one:/one
      - two:/two
SERVICE
  done
  cat <<TAIL
networks:
  net:
volumes:
  one:
  two:
TAIL
} >"$project_dir/compose.yaml"

# 1.29 knows no pull_policy: never, but the image is local, so it pulls nothing either.
wharf_cycle="$wharf_cli -H unix://$wharf_sock compose -f $project_dir/compose.yaml -p wbw up -d --quiet-pull >/dev/null 2>&1 && $wharf_cli -H unix://$wharf_sock compose -f $project_dir/compose.yaml -p wbw down -v -t 1 >/dev/null 2>&1"
dc_cycle="DOCKER_HOST=unix://$wharf_sock docker-compose -f $project_dir/compose.yaml -p wbd up -d >/dev/null 2>&1 && DOCKER_HOST=unix://$wharf_sock docker-compose -f $project_dir/compose.yaml -p wbd down -v -t 1 >/dev/null 2>&1"

# One checked cycle of each first: a tool that cannot bring the project up must fail loudly, not be timed.
$guard bash -c "$wharf_cycle" || wharf_die "wharf compose up/down failed against unix://$wharf_sock"
$guard bash -c "$dc_cycle" || wharf_die "docker-compose up/down failed against unix://$wharf_sock"

json="$results_dir/$json_name"
hyperfine --warmup 1 --runs "${BENCH_RUNS:-10}" --export-json "$json" \
  -n "wharf compose" "$guard bash -c '$wharf_cycle'" \
  -n "docker-compose 1.29" "$guard bash -c '$dc_cycle'"

echo
echo "== compose up -d + down, 10 services, one network, two volumes, same wharfd ($variant) =="
report_pair "up -d && down -v (10 services)" "$json" | sed 's/ docker / docker-compose /; s/wharf\/docker/wharf\/docker-compose/'
echo "target: wharf/docker-compose <= 0.30"
echo "hyperfine JSON: $json"
