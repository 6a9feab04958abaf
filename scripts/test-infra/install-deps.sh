#!/usr/bin/env bash
# Debian packages for the job-backend integration tests (test:jobs): a one-node Slurm with slurmrestd + JWT,
# and an OpenSSH server for the slurm-ssh backend. Idempotent: installs only what is missing. Run as root
# (or with sudo). Package post-install scripts must not start services, hence policy-rc.d.
set -euo pipefail
PKGS=(slurmctld slurmd slurmrestd slurm-client slurm-wlm-jwt-plugin munge curl openssl openssh-server openssh-client)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "job test deps: all Debian packages present"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
[ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d; }
# Serialize with other installers on a shared machine (the dpkg lock timeout covers the rest).
LOCK=${APT_LOCK:-/tmp/apt.lock}
$SUDO flock "$LOCK" apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO flock "$LOCK" apt-get install -y -qq --no-install-recommends \
  -o DPkg::Lock::Timeout=600 "${missing[@]}"
