#!/usr/bin/env bash
# Host prerequisites for building, installing and testing Wharf on Debian 12.
# Shared by install.sh and .ci/run: source it and call wharf_install_deps, or run it directly.
#
# Idempotent and cheap on a prepared machine: apt is only touched when a package is missing.

# Runtime needs runc/iptables/busybox-static; NativeAOT (wharf, wharf-shim) needs clang + zlib1g-dev;
# curl answers the daemon's /_ping over its unix socket.
# tini provides /usr/bin/tini-static, bind-mounted as /sbin/docker-init for `run --init`.
WHARF_APT_PACKAGES=(runc iptables busybox-static tini clang zlib1g-dev ca-certificates curl)

wharf_log() {
  printf '==> %s\n' "$*" >&2
}

wharf_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

wharf_require_root() {
  [[ "$(id -u)" -eq 0 ]] || wharf_die "$1 must run as root (try: sudo $1)"
}

# Prints the packages from "$@" that dpkg does not report as installed.
wharf_missing_packages() {
  local pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "installed" ]] || printf '%s\n' "$pkg"
  done
}

wharf_apt_updated=0
wharf_apt_install() {
  local missing
  mapfile -t missing < <(wharf_missing_packages "$@")
  if [[ ${#missing[@]} -eq 0 ]]; then
    return 0
  fi
  command -v apt-get >/dev/null || wharf_die "apt-get not found; install manually: ${missing[*]}"
  if [[ $wharf_apt_updated -eq 0 ]]; then
    wharf_log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    wharf_apt_updated=1
  fi
  wharf_log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

wharf_ensure_dotnet() {
  if command -v dotnet >/dev/null && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    return 0
  fi
  wharf_log "the .NET 10 SDK is missing; trying apt-get install dotnet-sdk-10.0"
  if ! wharf_apt_install dotnet-sdk-10.0; then
    wharf_die "could not install the .NET 10 SDK. Add Microsoft's package feed for Debian 12
       (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run: apt-get install dotnet-sdk-10.0"
  fi
  command -v dotnet >/dev/null || wharf_die "dotnet-sdk-10.0 installed but 'dotnet' is not on PATH"
}

wharf_install_deps() {
  wharf_apt_install "${WHARF_APT_PACKAGES[@]}"
  wharf_ensure_dotnet
  wharf_dotnet_env
  wharf_share_root_mount
}

# Bind mounts with rshared/rslave propagation need their source on a shared mount: dockerd refuses them otherwise
# ("path ... is mounted on / but it is not a shared mount"), and so does wharfd. systemd makes / shared at every
# boot; a host whose PID 1 is not systemd leaves it private. Do what systemd does (until the next boot; the README
# says how to keep it).
wharf_share_root_mount() {
  if awk '$5 == "/" && / shared:[0-9]+ / { found = 1 } END { exit !found }' /proc/self/mountinfo; then
    return 0
  fi
  wharf_log "making / a shared mount (mount --make-rshared /), as systemd does at boot"
  mount --make-rshared / || wharf_log "warning: could not make / shared; rshared and rslave bind mounts will be refused"
}

# Only the tests and benchmarks need these: Debian's Docker (docker.io 20.10: the interchange tests load images
# both ways and the benchmarks compare against it), its registry (docker-registry 2.8), skopeo (registry interop),
# etcd 3.4 (etcd-server, etcd-client: the cluster store tests and scripts/cluster-up.sh start their own etcd) and
# docker-compose 1.29 (the reference for `wharf compose config` and the compose benchmark).
WHARF_TEST_APT_PACKAGES=(docker.io docker-registry skopeo e2fsprogs etcd-server etcd-client docker-compose)

# Installs the test-only packages without letting their maintainer scripts start system services (a dockerd with
# its docker0 bridge and iptables rules, a registry on :5000): tests start their own, on their own sockets and ports.
wharf_install_test_deps() {
  local policy=/usr/sbin/policy-rc.d
  mapfile -t missing < <(wharf_missing_packages "${WHARF_TEST_APT_PACKAGES[@]}")
  [[ ${#missing[@]} -gt 0 ]] || return 0
  if [[ -e "$policy" ]]; then
    wharf_apt_install "${missing[@]}"
    return
  fi
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  local status=0
  wharf_apt_install "${missing[@]}" || status=$?
  rm -f "$policy"
  return "$status"
}

# Quieter .NET CLI in scripts; MSBuild worker nodes exit with the build instead of lingering.
wharf_dotnet_env() {
  # NuGet and the CLI keep their caches under HOME; a bare CI environment may not set it.
  export HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  export MSBUILDDISABLENODEREUSE=1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  wharf_require_root "$0"
  wharf_install_deps
fi
