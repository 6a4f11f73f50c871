#!/usr/bin/env bash
# Installs Wharf on this machine (Debian 12, as root) and starts wharfd. Safe to run again:
# it rebuilds, replaces the binaries, restarts the daemon and keeps /etc/wharf/daemon.json.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/install-deps.sh
source "$repo_root/scripts/install-deps.sh"

lib_dir=/usr/local/lib/wharf
bin_dir=/usr/local/bin
config_dir=/etc/wharf
socket_path=/run/wharf/wharf.sock
pid_file=/run/wharf/wharfd.pid
log_file=/var/log/wharfd.log
unit_file=/etc/systemd/system/wharfd.service
start_timeout_seconds=30

wharf_require_root "$0"

wharf_log "installing host packages"
wharf_install_deps

# 1. Build everything before touching the running installation, so a broken build changes nothing.
staging="$(mktemp -d "${TMPDIR:-/tmp}/wharf-install.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
wharf_log "building Wharf (Release)"
bash "$repo_root/scripts/publish.sh" "$staging/wharfd" "$staging/bin"

uses_systemd() {
  # The same test sd_booted(3) does.
  [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null
}

pid_is_wharfd() {
  local pid="$1"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'wharfd'
}

stop_unmanaged_wharfd() {
  [[ -f "$pid_file" ]] || return 0
  local pid
  pid="$(tr -dc '0-9' <"$pid_file")"
  if ! pid_is_wharfd "$pid"; then
    rm -f "$pid_file"
    return 0
  fi
  wharf_log "stopping wharfd (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    pid_is_wharfd "$pid" || return 0
    sleep 0.1
  done
  wharf_log "wharfd (pid $pid) ignored SIGTERM for 15 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}

# 2. Stop the old daemon (containers keep running under their shims), then swap the binaries.
if uses_systemd; then
  systemctl stop wharfd.service 2>/dev/null || true
fi
# Also covers a daemon started by hand (or by an earlier install without systemd).
stop_unmanaged_wharfd

wharf_log "installing binaries into $lib_dir and $bin_dir"
mkdir -p "$lib_dir" "$bin_dir"
rm -rf "$lib_dir/wharfd.new"
cp -a "$staging/wharfd" "$lib_dir/wharfd.new"
rm -rf "$lib_dir/wharfd"
mv "$lib_dir/wharfd.new" "$lib_dir/wharfd"
for binary in wharf wharf-shim; do
  install -m 0755 "$staging/bin/$binary" "$bin_dir/.$binary.new"
  mv -f "$bin_dir/.$binary.new" "$bin_dir/$binary"
done
# wharfd looks for wharf-shim beside itself first, then on PATH (which a service manager may trim).
ln -sfn "$bin_dir/wharf-shim" "$lib_dir/wharfd/wharf-shim"
# wharf-registry is published beside wharfd (same runtime, shared assemblies); expose it on PATH.
ln -sfn "$lib_dir/wharfd/wharf-registry" "$bin_dir/wharf-registry"
# `docker compose`: the wharf binary is also the docker CLI plugin (it answers to its name docker-compose).
mkdir -p /usr/local/lib/docker/cli-plugins
ln -sfn "$bin_dir/wharf" /usr/local/lib/docker/cli-plugins/docker-compose

# The apphost must find the shared runtime even where it is not in a default location
# (systemd units and sudo start with a minimal environment).
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
cat >"$bin_dir/.wharfd.new" <<WRAPPER
#!/bin/sh
# Installed by Wharf's install.sh: runs the framework-dependent daemon with the .NET runtime it was built for.
export DOTNET_ROOT="\${DOTNET_ROOT:-$dotnet_root}"
exec $lib_dir/wharfd/wharfd "\$@"
WRAPPER
chmod 0755 "$bin_dir/.wharfd.new"
mv -f "$bin_dir/.wharfd.new" "$bin_dir/wharfd"
# The volume plugin: `wharf-volume-loop --socket /run/docker/plugins/wharf-loop.sock`, then `--driver wharf-loop`.
cat >"$bin_dir/.wharf-volume-loop.new" <<WRAPPER
#!/bin/sh
export DOTNET_ROOT="\${DOTNET_ROOT:-$dotnet_root}"
exec $lib_dir/wharfd/wharf-volume-loop "\$@"
WRAPPER
chmod 0755 "$bin_dir/.wharf-volume-loop.new"
mv -f "$bin_dir/.wharf-volume-loop.new" "$bin_dir/wharf-volume-loop"

# Members of the "wharf" group may use the API socket (wharfd gives it that group, mode 0660), as with docker's group.
if ! getent group wharf >/dev/null; then
  wharf_log "creating the system group wharf (members may use the wharfd socket)"
  groupadd --system wharf
fi

mkdir -p "$config_dir"
if [[ ! -e "$config_dir/daemon.json" ]]; then
  echo '{}' >"$config_dir/daemon.json"
fi

# 3. Start the daemon. The CLI calls below must reach this daemon whatever the caller's environment says.
export WHARF_HOST="unix://$socket_path"
daemon_answers() {
  if command -v curl >/dev/null; then
    [[ "$(curl -fsS --max-time 2 --unix-socket "$socket_path" http://d/_ping 2>/dev/null)" == "OK" ]]
  else
    "$bin_dir/wharf" version >/dev/null 2>&1
  fi
}

show_failure() {
  echo "wharfd did not answer on unix://$socket_path within ${start_timeout_seconds}s: $1" >&2
  if uses_systemd; then
    systemctl status --no-pager wharfd.service >&2 || true
    journalctl -u wharfd.service -n 50 --no-pager >&2 || true
  else
    echo "--- last lines of $log_file ---" >&2
    tail -n 50 "$log_file" >&2 || true
  fi
  exit 1
}

if uses_systemd; then
  wharf_log "installing $unit_file"
  cat >"$unit_file" <<UNIT
[Unit]
Description=Wharf container engine (Docker-compatible API)
Documentation=file://$repo_root/README.md
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=$bin_dir/wharfd --pidfile $pid_file
Restart=on-failure
RestartSec=2
# Shims and their containers must survive a daemon restart: only the daemon process is killed.
KillMode=process
Delegate=yes
LimitNOFILE=1048576
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable wharfd.service
  systemctl restart wharfd.service
else
  wharf_log "starting wharfd in the background (log: $log_file)"
  mkdir -p "$(dirname "$pid_file")"
  setsid nohup "$bin_dir/wharfd" --pidfile "$pid_file" >>"$log_file" 2>&1 </dev/null &
  started_pid=$!
fi

for _ in $(seq 1 $((start_timeout_seconds * 10))); do
  daemon_answers && break
  if [[ -n "${started_pid:-}" ]] && ! kill -0 "$started_pid" 2>/dev/null; then
    show_failure "the process exited"
  fi
  sleep 0.1
done
daemon_answers || show_failure "timed out"
wharf_log "wharfd is up on unix://$socket_path"

# 4. The busybox image the README and tests use; the tar is deterministic, so its id is stable.
if ! "$bin_dir/wharf" image inspect busybox:latest >/dev/null 2>&1; then
  wharf_log "importing busybox:latest"
  bash "$repo_root/scripts/make-busybox-rootfs.sh" | "$bin_dir/wharf" import - busybox:latest >/dev/null
fi

"$bin_dir/wharf" run --rm busybox echo "Hello from Wharf"
