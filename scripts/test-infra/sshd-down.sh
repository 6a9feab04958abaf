#!/usr/bin/env bash
# Stop the sshd started by sshd-up.sh (by the PID in $SSH_DIR/sshd.pid) and withdraw its client key from the
# test user's authorized_keys. Idempotent.
# Usage: SSH_DIR=<dir> sshd-down.sh   (or sshd-down.sh <dir>); REMOVE=1 also deletes the directory.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/common.sh"
D=${1:-${SSH_DIR:?set SSH_DIR or pass the directory}}
stop_pidfile "$D/sshd.pid"
if [ -s "$D/client_ed25519.pub" ] && [ -s "$D/sshd_config" ]; then
  U=$(awk '$1 == "AllowUsers" { print $2 }' "$D/sshd_config")
  H=$( [ -n "$U" ] && getent passwd "$U" | cut -d: -f6 )
  AK="$H/.ssh/authorized_keys"
  if [ -n "$H" ] && [ -f "$AK" ]; then
    grep -vxF "$(cat "$D/client_ed25519.pub")" "$AK" > "$AK.tmp" || true
    cat "$AK.tmp" > "$AK"; rm -f "$AK.tmp"   # rewrite in place: keeps owner and mode
  fi
fi
[ "${REMOVE:-0}" = 1 ] && rm -rf "$D"
exit 0
