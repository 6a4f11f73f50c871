#!/usr/bin/env bash
# Writes a deterministic busybox rootfs tar to stdout (or to the file given as $1).
#
# Deterministic means: same busybox binary in -> byte-identical tar out. That keeps the image id
# that `wharf import` / `docker import` computes stable, so re-importing is a no-op and the
# benchmark imports the very same layer into wharfd and dockerd.
#
# Usage: scripts/make-busybox-rootfs.sh [OUTPUT.tar]      (BUSYBOX=/path/to/static/busybox to override)
set -euo pipefail

busybox_bin="${BUSYBOX:-/bin/busybox}"
if [[ ! -x "$busybox_bin" ]]; then
  echo "make-busybox-rootfs: $busybox_bin not found; install busybox-static (apt-get install busybox-static)" >&2
  exit 1
fi
# A dynamically linked busybox would need the host's libc inside the image.
if ! "$busybox_bin" --list-full >/dev/null 2>&1; then
  echo "make-busybox-rootfs: $busybox_bin does not support --list-full (need Debian's busybox-static)" >&2
  exit 1
fi

staging="$(mktemp -d "${TMPDIR:-/tmp}/wharf-busybox-rootfs.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
root="$staging/rootfs"

# Explicit modes everywhere: the caller's umask must not leak into the tar.
for dir in bin sbin usr usr/bin usr/sbin etc var proc sys dev home run; do
  mkdir -p "$root/$dir"
  chmod 0755 "$root/$dir"
done
mkdir -p "$root/root" "$root/tmp"
chmod 0700 "$root/root"
chmod 1777 "$root/tmp"

cp "$busybox_bin" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"

# One absolute symlink per applet, at the path busybox itself reports (bin/sh, usr/bin/env, sbin/...).
# Batched through xargs: one process per applet costs ~30 s on a small VM.
applets="$staging/applets"
"$busybox_bin" --list-full | grep -vx 'bin/busybox' | grep -v '^$' > "$applets"
(cd "$root" && xargs -a "$applets" -d '\n' -n 200 dirname | LC_ALL=C sort -u | xargs -d '\n' mkdir -p)
# shellcheck disable=SC2016 # $p is expanded by the inner sh, not here
(cd "$root" && xargs -a "$applets" -d '\n' -n 200 sh -c 'for p; do ln -sfn /bin/busybox "$p"; done' _)

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
# Both names for gid 65534: Debian calls it nogroup, other distributions nobody.
cat > "$root/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
nobody:x:65534:
GROUP
chmod 0644 "$root/etc/passwd" "$root/etc/group"

# Sorted top-level names (no "./" prefix); --sort=name orders everything below them.
mapfile -t top_level < <(find "$root" -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort)

# GNU format rather than PAX: PAX headers carry atime/ctime, which would break determinism.
tar_args=(--format=gnu --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner
  --no-acls --no-xattrs --no-selinux -C "$root" -cf)
if [[ $# -ge 1 && "$1" != "-" ]]; then
  LC_ALL=C tar "${tar_args[@]}" "$1" "${top_level[@]}"
else
  LC_ALL=C tar "${tar_args[@]}" - "${top_level[@]}"
fi
