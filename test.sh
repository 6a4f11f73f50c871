#!/usr/bin/env bash
# Builds Wharf once (Release), publishes wharfd/wharf/wharf-shim into ./out for the end-to-end tests,
# runs every tests/*.Tests project and ends with one line: "N passed, N failed, N skipped".
# Exits non-zero if anything failed or if no test ran at all.
#
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Digest]
#   WHARF_SKIP_PUBLISH=1   reuse ./out instead of publishing again (quicker local reruns)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo_root"
# shellcheck source=scripts/install-deps.sh
source "$repo_root/scripts/install-deps.sh"
wharf_dotnet_env
# Debian's Docker, its registry and skopeo for the interop tests (no-op once installed; needs root, as the suite).
wharf_install_test_deps

configuration=Release
out_dir="$repo_root/out"
results_dir="$repo_root/TestResults"
hang_timeout="${WHARF_TEST_HANG_TIMEOUT:-8m}"

rm -rf "$results_dir"
mkdir -p "$results_dir" "$out_dir"

wharf_log "dotnet build Wharf.sln -c $configuration"
if ! dotnet build Wharf.sln -c "$configuration" -nologo -v quiet "-clp:ErrorsOnly;NoSummary"; then
  echo "build failed; no tests were run" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

publish_failed=0
if [[ "${WHARF_SKIP_PUBLISH:-0}" != "1" ]]; then
  # A broken NativeAOT publish only fails the end-to-end tests; the unit tests still run and report.
  if ! bash "$repo_root/scripts/publish.sh" --daemon-no-build "$out_dir" "$out_dir"; then
    echo "publish into $out_dir failed" >&2
    publish_failed=1
  fi
  bash "$repo_root/scripts/make-busybox-rootfs.sh" "$out_dir/busybox.tar"
fi
# The end-to-end tests start wharfd/wharf/wharf-shim from here and import this busybox rootfs.
export WHARF_BIN_DIR="$out_dir"
export WHARF_BUSYBOX_TAR="$out_dir/busybox.tar"

# Reads one attribute of the <Counters .../> element of a TRX file (0 when absent).
trx_counter() {
  local trx="$1" name="$2" value
  value="$(grep -o '<Counters [^>]*>' "$trx" | head -n1 | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9]\+' || true)"
  echo "${value:-0}"
}

total_passed=0
total_failed=0
total_skipped=0
summary_lines=()

mapfile -t test_projects < <(find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | LC_ALL=C sort)
for project in "${test_projects[@]}"; do
  name="$(basename "$project" .csproj)"
  trx="$results_dir/$name.trx"
  wharf_log "dotnet test $name"
  set +e
  dotnet test "$project" -c "$configuration" --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results_dir" \
    --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none "$@"
  rc=$?
  set -e

  if [[ -f "$trx" ]]; then
    passed="$(trx_counter "$trx" passed)"
    failed=$(( $(trx_counter "$trx" failed) + $(trx_counter "$trx" error) + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted) ))
    skipped="$(trx_counter "$trx" notExecuted)"
    total="$(trx_counter "$trx" total)"
  else
    passed=0 failed=0 skipped=0 total=0
  fi

  if [[ ! -f "$trx" ]]; then
    # Even a project without tests writes a TRX; none means the run never finished (runner killed).
    failed=1
    status="RUN FAILED (exit $rc, no TRX)"
  elif [[ $rc -ne 0 && $failed -eq 0 && $total -gt 0 ]]; then
    # Tests ran but the run itself broke (crashed or hung test host): count the project as one failure.
    failed=1
    status="RUN FAILED (exit $rc)"
  elif [[ $rc -ne 0 && $total -eq 0 ]]; then
    failed=1
    status="RUN FAILED (exit $rc, no results)"
  elif [[ $total -eq 0 ]]; then
    status="no tests"
  elif [[ $failed -gt 0 ]]; then
    status="FAILED"
  else
    status="ok"
  fi

  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
  summary_lines+=("$(printf '  %-28s %-32s passed=%-5s failed=%-5s skipped=%s' "$name" "$status" "$passed" "$failed" "$skipped")")
done

if [[ $publish_failed -eq 1 ]]; then
  total_failed=$((total_failed + 1))
  summary_lines+=("  publish (wharfd/wharf/wharf-shim into ./out) FAILED: counted as one failure")
fi

echo
echo "Test results (TRX files in ${results_dir#"$repo_root"/}/):"
printf '%s\n' "${summary_lines[@]}"
if [[ $total_passed -eq 0 && $total_failed -eq 0 ]]; then
  echo "  no test ran at all: treating this as a failure"
fi
echo "$total_passed passed, $total_failed failed, $total_skipped skipped"

[[ $total_failed -eq 0 && $total_passed -gt 0 ]]
