#!/usr/bin/env bash
# Stop the sshd started by sshd-up.sh (by the PID in $SSH_DIR/sshd.pid). Idempotent.
# Usage: SSH_DIR=<dir> sshd-down.sh   (or sshd-down.sh <dir>); REMOVE=1 also deletes the directory.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/common.sh"
D=${1:-${SSH_DIR:?set SSH_DIR or pass the directory}}
stop_pidfile "$D/sshd.pid"
[ "${REMOVE:-0}" = 1 ] && rm -rf "$D"
exit 0
