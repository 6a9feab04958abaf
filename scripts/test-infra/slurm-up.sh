#!/usr/bin/env bash
# One-node Slurm 22.05 (Debian 12) on loopback: munge + slurmctld + slurmd + slurmrestd (JWT auth).
# Recipe: docs test-infrastructure.md §1. Run as root after install-deps.sh. No systemd: each daemon runs in the
# foreground (-D) under setsid in the background and its PID goes to $RUNDIR/<name>.pid (slurm-down.sh stops them).
# Idempotent: a daemon whose PID is alive is left alone, so after a test kills slurmrestd this restarts only it.
# Env: RUNDIR (/run/slurm-test), REST_PORT (6820), TEST_USER (astro).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/common.sh"
RUNDIR=${RUNDIR:-/run/slurm-test}
REST_PORT=${REST_PORT:-6820}
TEST_USER=${TEST_USER:-astro}
NODE=$(hostname -s)
mkdir -p "$RUNDIR" /run/munge /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm /etc/slurm
chown munge:munge /run/munge
chown slurm:slurm /var/lib/slurm/slurmctld /var/log/slurm

id slurmrest >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin slurmrest   # slurmrestd refuses to run as root
id "$TEST_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$TEST_USER"

if ! pid_alive "$RUNDIR/munged.pid"; then
  if [ ! -s /etc/munge/munge.key ]; then mungekey --create --force; chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key; fi
  setsid setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground >"$RUNDIR/munged.out" 2>&1 </dev/null &
  echo $! > "$RUNDIR/munged.pid"
fi
wait_for 50 sh -c 'munge -n | unmunge'

# JWT HS256 key shared with slurmctld; readable by SlurmUser only (root tests sign tokens with it)
[ -s /etc/slurm/jwt_hs256.key ] || dd if=/dev/urandom of=/etc/slurm/jwt_hs256.key bs=32 count=1 status=none
chown slurm:slurm /etc/slurm/jwt_hs256.key; chmod 0600 /etc/slurm/jwt_hs256.key

# jobcomp/filetxt lets `sacct -c` report finished jobs without slurmdbd; its plugin opens the file O_WRONLY|O_APPEND
# even to read, so non-root sacct needs write access.
touch /var/log/slurm/jobcomp.log; chown slurm:slurm /var/log/slurm/jobcomp.log; chmod 0666 /var/log/slurm/jobcomp.log

CONF=$(cat <<CONF
ClusterName=testcluster
SlurmctldHost=${NODE}(127.0.0.1)
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=/etc/slurm/jwt_hs256.key
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=${RUNDIR}/slurmctld.daemonpid
SlurmdPidFile=${RUNDIR}/slurmd.daemonpid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SchedulerType=sched/backfill
# batch jobs are otherwise started on a 3 s tick (batch_sched_delay): tests would spend most of their time waiting
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=3600
NodeName=${NODE} NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
)
# rewrite only on change: running daemons keep reading the file
[ "$(cat /etc/slurm/slurm.conf 2>/dev/null)" = "$CONF" ] || printf '%s\n' "$CONF" > /etc/slurm/slurm.conf

if ! pid_alive "$RUNDIR/slurmctld.pid"; then
  setsid /usr/sbin/slurmctld -D -i >"$RUNDIR/slurmctld.out" 2>&1 </dev/null &
  echo $! > "$RUNDIR/slurmctld.pid"
fi
wait_for 150 sh -c 'scontrol ping | grep -q UP'

if ! pid_alive "$RUNDIR/slurmd.pid"; then
  setsid /usr/sbin/slurmd -D >"$RUNDIR/slurmd.out" 2>&1 </dev/null &
  echo $! > "$RUNDIR/slurmd.pid"
fi
wait_for 150 sh -c 'sinfo -h -o %T | grep -qE "^(idle|mixed|allocated)$"'

if ! pid_alive "$RUNDIR/slurmrestd.pid"; then
  # Without slurmdbd the openapi/dbv0.0.3x plugins abort slurmrestd: load only the slurm ones.
  # SLURM_JWT=daemon is mandatory with rest_auth/jwt (else every request is 401 "Rejecting thread config token").
  SLURM_JWT=daemon setsid /usr/sbin/slurmrestd -a rest_auth/jwt -u slurmrest \
    -s openapi/v0.0.38,openapi/v0.0.37,openapi/v0.0.36 "127.0.0.1:${REST_PORT}" \
    >"$RUNDIR/slurmrestd.out" 2>&1 </dev/null &
  echo $! > "$RUNDIR/slurmrestd.pid"
fi
# an unauthenticated request answers 401 once the daemon listens
wait_for 150 sh -c "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:${REST_PORT}/slurm/v0.0.38/ping | grep -q 401"
echo "slurm up: REST http://127.0.0.1:${REST_PORT} user ${TEST_USER} RUNDIR ${RUNDIR}"
