#!/usr/bin/env bash
# Stop the daemons started by slurm-up.sh, newest first, by PID (SIGTERM, SIGKILL after 10 s). Idempotent.
# ONLY=slurmrestd stops just that one (fault tests).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/common.sh"
RUNDIR=${RUNDIR:-/run/slurm-test}
for n in ${ONLY:-slurmrestd slurmd slurmctld munged}; do stop_pidfile "$RUNDIR/$n.pid"; done
exit 0
