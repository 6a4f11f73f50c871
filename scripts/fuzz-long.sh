#!/usr/bin/env bash
# The long fuzz pass: the same bounded fuzz tests ./test.sh runs (layer applier, hostile archives, Dockerfile parser,
# docker load archives, DNS messages, --format templates, API JSON binding, registry and pull-side manifests), with a
# fresh random seed each round and many more inputs, until the time is up. A failure prints its seed; replay it with
# WHARF_FUZZ_SEED=<seed> WHARF_FUZZ_ROUNDS=<rounds> and the same filter.
# Usage: scripts/fuzz-long.sh [minutes (default 30)] [rounds per test and pass (default 50000)]
set -euo pipefail
minutes="${1:-30}"
rounds="${2:-50000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
projects=(Engine Cli Daemon Registry)
filter="FullyQualifiedName~Fuzz"

for project in "${projects[@]}"; do
  dotnet build "$root/tests/Wharf.$project.Tests" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
done

deadline=$(( $(date +%s) + minutes * 60 ))
pass=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  pass=$((pass + 1))
  for project in "${projects[@]}"; do
    echo "== pass $pass: Wharf.$project.Tests ($rounds rounds per test, random seeds)"
    # The seed of a failing test is in its failure message ("seed N round M").
    if ! WHARF_FUZZ_SEED=random WHARF_FUZZ_ROUNDS="$rounds" \
        dotnet test "$root/tests/Wharf.$project.Tests" -c Release --no-build --filter "$filter" --logger "console;verbosity=normal"; then
      echo "fuzz-long: a finding in Wharf.$project.Tests (pass $pass); replay with the seed printed above" >&2
      exit 1
    fi
    [ "$(date +%s)" -lt "$deadline" ] || break
  done
done
echo "fuzz-long: $pass pass(es) in $minutes minute(s), no findings"
