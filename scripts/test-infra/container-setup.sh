#!/usr/bin/env bash
# Podman for the container job backend tests (test:jobs), as root on a Debian 12 machine without registry access
# (recipe and why: shared/docs/test-infrastructure.md §3): runc instead of crun (crun fails on cgroup v1/v2 hybrid
# mounts), fixed default ulimits (no CAP_SYS_RESOURCE for podman's nofile/nproc defaults), and a local busybox image
# built from busybox-static (no registry). Idempotent and fast: packages, config and image are only made when missing.
# IMAGE overrides the image name; WITH_SEX_IMAGE=1 also builds localhost/sextractor:test (Debian + source-extractor,
# via mmdebstrap from the Debian mirror, ~20 s).
set -euo pipefail
IMAGE=${IMAGE:-localhost/busybox:test}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo

PKGS=(podman runc busybox-static)
[ "${WITH_SEX_IMAGE:-0}" = 1 ] && PKGS+=(mmdebstrap)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d; }
  LOCK=${APT_LOCK:-/tmp/apt.lock}
  $SUDO flock "$LOCK" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO flock "$LOCK" apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

# containers.conf: written when absent or still without our settings (a machine's own tuned file is kept, with a note).
CONF=/etc/containers/containers.conf
if [ ! -s "$CONF" ] || ! grep -q '^runtime = "runc"' "$CONF"; then
  if [ -s "$CONF" ] && ! grep -q 'written by cirasa container-setup.sh' "$CONF"; then
    $SUDO cp "$CONF" "$CONF.bak-cirasa"; echo "container-setup: saved the old $CONF as $CONF.bak-cirasa"
  fi
  $SUDO mkdir -p /etc/containers
  $SUDO tee "$CONF" >/dev/null <<'CONFEOF'
# written by cirasa container-setup.sh (shared/docs/test-infrastructure.md §3)
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONFEOF
fi

# 2 MB image from busybox-static: every applet linked, so tests can use wget/ip/id/head... inside.
if ! $SUDO podman image exists "$IMAGE"; then
  R=$(mktemp -d); trap 'rm -rf "$R"' EXIT
  mkdir -p "$R"/{bin,tmp,etc,proc,sys,dev,data}
  cp /bin/busybox "$R/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"; done
  echo 'root:x:0:0:root:/:/bin/sh' > "$R/etc/passwd"; echo 'root:x:0:' > "$R/etc/group"
  tar -C "$R" -cf - . | $SUDO podman import -q --change 'WORKDIR /data' - "$IMAGE" >/dev/null
fi
$SUDO podman run --rm --pull=never --network none "$IMAGE" /bin/sh -c 'echo container-ok'

if [ "${WITH_SEX_IMAGE:-0}" = 1 ] && ! $SUDO podman image exists localhost/sextractor:test; then
  T=$(mktemp -d)
  mmdebstrap --quiet --variant=essential --include=source-extractor \
    --dpkgopt='path-exclude=/usr/share/{doc,man,locale}/*' bookworm "$T/rootfs.tar"
  $SUDO podman import -q --change 'WORKDIR /data' "$T/rootfs.tar" localhost/sextractor:test >/dev/null
  rm -rf "$T"
fi
