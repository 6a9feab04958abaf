#!/usr/bin/env bash
# Debian packages the test suite needs (run as root on Debian 12 / Ubuntu):
# chromium (end-to-end tests through playwright-core), python3-astropy + numpy (independent reference
# values), python3-regions + stilts (independent checks of our DS9 and VOTable exports), source-extractor
# (finder comparison), saods9 + xpa-tools + xvfb (viewer benchmark peer); g++ + make + python3 (npm ci builds
# better-sqlite3 from source against the system Node headers), procps (`ps` in the job tests).
set -euo pipefail
PKGS=(g++ make python3 procps chromium python3-astropy python3-numpy python3-regions stilts source-extractor saods9 xpa-tools xvfb xauth fonts-dejavu-core)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "test deps: all Debian packages present"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
# Package post-install scripts must not start services on a build machine.
[ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d; }
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
