#!/usr/bin/env bash
# Publishes the Wharf binaries in Release:
#   wharfd      NativeAOT single file                 -> DAEMON_DIR/wharfd
#   wharf-registry, wharf-volume-loop  framework-dependent ASP.NET Core apps -> DAEMON_DIR (dlls, deps...)
#   wharf       NativeAOT single file                 -> NATIVE_DIR/wharf
#   wharf-shim  NativeAOT single file                 -> NATIVE_DIR/wharf-shim
# DAEMON_DIR and NATIVE_DIR may be the same folder (test.sh uses ./out for both).
#
# Usage: scripts/publish.sh [--daemon-no-build] DAEMON_DIR NATIVE_DIR
#   --daemon-no-build  reuse an existing `dotnet build -c Release` of the solution for wharf-registry and
#                      wharf-volume-loop (wharfd is always built: NativeAOT needs a RID-specific build)
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

# NativeAOT publishes go to a scratch folder first: they also emit .dbg symbol files we don't ship.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/wharf-publish.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
# wharfd goes beside wharf-registry and wharf-volume-loop; it replaces any framework-dependent wharfd.dll an older
# publish left there (the apphost of which would otherwise be what runs).
rm -f "$daemon_dir"/wharfd.dll "$daemon_dir"/wharfd.deps.json "$daemon_dir"/wharfd.runtimeconfig.json "$daemon_dir"/wharfd.pdb
publish_native() {
  local project="$1" binary="$2" target_dir="$3"
  echo "==> publish $binary (NativeAOT, $rid) -> $target_dir" >&2
  dotnet publish "$repo_root/src/$project/$project.csproj" "${dotnet_flags[@]}" -r "$rid" -o "$scratch/$binary"
  # Replace by rename: a running wharf-shim (or wharfd) keeps its old inode, so no "Text file busy".
  cp "$scratch/$binary/$binary" "$target_dir/.$binary.new"
  mv -f "$target_dir/.$binary.new" "$target_dir/$binary"
}
publish_native Wharf.Daemon wharfd "$daemon_dir"
publish_native Wharf.Cli wharf "$native_dir"
publish_native Wharf.Shim wharf-shim "$native_dir"
