#!/usr/bin/env bash
# Publishes the three Wharf binaries in Release:
#   wharfd      framework-dependent ASP.NET Core app  -> DAEMON_DIR (wharfd, wharfd.dll, deps...)
#   wharf-registry  framework-dependent ASP.NET Core app -> DAEMON_DIR (beside wharfd, sharing its runtime)
#   wharf       NativeAOT single file                 -> NATIVE_DIR/wharf
#   wharf-shim  NativeAOT single file                 -> NATIVE_DIR/wharf-shim
# DAEMON_DIR and NATIVE_DIR may be the same folder (test.sh uses ./out for both).
#
# Usage: scripts/publish.sh [--daemon-no-build] DAEMON_DIR NATIVE_DIR
#   --daemon-no-build  reuse an existing `dotnet build -c Release` of the solution for wharf-registry and
#                      wharf-volume-loop (wharfd is always built: ReadyToRun needs a RID-specific build)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
daemon_build_args=()
if [[ "${1:-}" == "--daemon-no-build" ]]; then
  daemon_build_args=(--no-build)
  shift
fi
[[ $# -eq 2 ]] || { echo "usage: $0 [--daemon-no-build] DAEMON_DIR NATIVE_DIR" >&2; exit 2; }
daemon_dir="$1"
native_dir="$2"
mkdir -p "$daemon_dir" "$native_dir"

rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
dotnet_flags=(-c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary")

echo "==> publish wharf-registry (framework-dependent) -> $daemon_dir" >&2
dotnet publish "$repo_root/src/Wharf.Registry/Wharf.Registry.csproj" "${dotnet_flags[@]}" \
  "${daemon_build_args[@]}" -o "$daemon_dir"

# wharf-volume-loop (the loop-device volume plugin) ships beside wharfd, framework-dependent like it.
echo "==> publish wharf-volume-loop (framework-dependent) -> $daemon_dir" >&2
dotnet publish "$repo_root/src/Wharf.VolumeLoop/Wharf.VolumeLoop.csproj" "${dotnet_flags[@]}" \
  "${daemon_build_args[@]}" -o "$daemon_dir"

# wharfd last, ReadyToRun for this machine's RID: the daemon runs with tiered compilation off (see its csproj),
# so its own assemblies come precompiled, and they replace the IL-only copies of the shared ones published above.
# ReadyToRun needs a RID-specific build, which the solution build is not: this one always builds.
echo "==> publish wharfd (framework-dependent, ReadyToRun $rid) -> $daemon_dir" >&2
dotnet publish "$repo_root/src/Wharf.Daemon/Wharf.Daemon.csproj" "${dotnet_flags[@]}" \
  -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$daemon_dir"

# NativeAOT publishes go to a scratch folder first: they also emit .dbg symbol files we don't ship.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/wharf-publish.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
for spec in "Wharf.Cli:wharf" "Wharf.Shim:wharf-shim"; do
  project="${spec%%:*}"
  binary="${spec##*:}"
  echo "==> publish $binary (NativeAOT, $rid) -> $native_dir" >&2
  dotnet publish "$repo_root/src/$project/$project.csproj" "${dotnet_flags[@]}" -r "$rid" -o "$scratch/$binary"
  # Replace by rename: a running wharf-shim keeps its old inode, so no "Text file busy".
  cp "$scratch/$binary/$binary" "$native_dir/.$binary.new"
  mv -f "$native_dir/.$binary.new" "$native_dir/$binary"
done
