import { describe, expect, it } from 'vitest';
import {
  SACCT_FIELDS,
  SQUEUE_FORMAT,
  isInvalidJobId,
  parseDelimited,
  parseSbatch,
  parseScontrolShowJob,
  parseSlurmTime,
  parseSqueue,
  statusFromSacct,
  statusFromScontrol,
} from './parsers';

// Outputs captured over ssh from Slurm 22.05.8 (Debian 12), the test cluster of scripts/test-infra.
const SCONTROL_FAILED = `JobId=2 JobName=fail
   UserId=astro(1001) GroupId=astro(1001) MCS_label=N/A
   Priority=4294901758 Nice=0 Account=(null) QOS=(null)
   JobState=FAILED Reason=NonZeroExitCode Dependency=(null)
   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0
   RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A
   SubmitTime=2026-11-24T21:32:06 EligibleTime=2026-11-24T21:32:06
   AccrueTime=2026-11-24T21:32:06
   StartTime=2026-11-24T21:32:07 EndTime=2026-11-24T21:32:07 Deadline=N/A
   SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-24T21:32:07 Scheduler=Main
   Partition=debug AllocNode:Sid=localhost:23541
   ReqNodeList=(null) ExcNodeList=(null)
   NodeList=vm
   BatchHost=vm
   NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:*
   TRES=cpu=1,node=1,billing=1
   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*
   MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0
   Features=(null) DelayBoot=00:00:00
   OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)
   Command=(null)
   WorkDir=/home/astro/jt
   StdErr=/home/astro/jt/fail-2.err
   StdIn=/dev/null
   StdOut=/home/astro/jt/fail-2.out
   Power=
   

`;

const SCONTROL_RUNNING_SPACES = `JobId=4 JobName=long name
   UserId=astro(1001) GroupId=astro(1001) MCS_label=N/A
   JobState=RUNNING Reason=None Dependency=(null)
   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0
   RunTime=00:00:01 TimeLimit=00:05:00 TimeMin=N/A
   StartTime=2026-11-24T21:32:14 EndTime=2026-11-24T21:37:14 Deadline=N/A
   Power=
`;

describe('sbatch', () => {
  it('reads the human, --parsable and clustered forms, skipping warnings', () => {
    expect(parseSbatch('Submitted batch job 1\n')).toBe('1');
    expect(parseSbatch('17\n')).toBe('17');
    expect(parseSbatch('17;testcluster\n')).toBe('17');
    expect(parseSbatch('sbatch: warning: can not set memory\r\n42\r\n')).toBe('42');
    expect(() => parseSbatch('sbatch: error: Batch job submission failed: Invalid partition name specified\n')).toThrow(
      expect.objectContaining({ code: 'jobs.badResponse' }),
    );
  });
});

describe('scontrol show job', () => {
  it('reads a failed job: state, exit code, reason, times, paths', () => {
    const [rec] = parseScontrolShowJob(SCONTROL_FAILED);
    expect(rec).toMatchObject({ JobId: '2', JobName: 'fail', 'AllocNode:Sid': 'localhost:23541', TRES: 'cpu=1,node=1,billing=1', StdErr: '/home/astro/jt/fail-2.err', Power: '' });
    expect(statusFromScontrol(rec!)).toEqual({
      state: 'FAILURE', native: 'FAILED', exitCode: 3, reason: 'NonZeroExitCode',
      submitTime: parseSlurmTime('2026-11-24T21:32:06'), startTime: parseSlurmTime('2026-11-24T21:32:07'), endTime: parseSlurmTime('2026-11-24T21:32:07'),
    });
  });

  it('keeps spaces inside values and reads signals from ExitCode', () => {
    const [rec] = parseScontrolShowJob(SCONTROL_RUNNING_SPACES);
    expect(rec!.JobName).toBe('long name');
    expect(statusFromScontrol(rec!)).toMatchObject({ state: 'RUNNING', native: 'RUNNING', exitCode: 0 });
    const cancelled = parseScontrolShowJob('JobId=4 JobName=x\n JobState=CANCELLED Reason=None ExitCode=0:15\n');
    expect(statusFromScontrol(cancelled[0]!)).toMatchObject({ state: 'CANCELED', exitCode: 0, signal: 15 });
  });

  it('reads several jobs and the one-line (-o) format', () => {
    const two = parseScontrolShowJob(`${SCONTROL_FAILED}${SCONTROL_RUNNING_SPACES}`);
    expect(two.map((r) => r.JobId)).toEqual(['2', '4']);
    expect(parseScontrolShowJob('JobId=9 JobName=a b JobState=PENDING Reason=Resources ExitCode=0:0\n')[0]).toMatchObject({ JobName: 'a b', JobState: 'PENDING' });
  });
});

describe('squeue and sacct', () => {
  it('reads squeue -h -t all -o "%i|%T|%r|%j"', () => {
    const out = '1|COMPLETED|None|ok\n2|FAILED|NonZeroExitCode|fail\n3|PENDING|Resources|long\n';
    expect(parseDelimited(out, ['id', 'state', 'reason', 'name'])).toEqual([
      { id: '1', state: 'COMPLETED', reason: 'None', name: 'ok' },
      { id: '2', state: 'FAILED', reason: 'NonZeroExitCode', name: 'fail' },
      { id: '3', state: 'PENDING', reason: 'Resources', name: 'long' },
    ]);
  });

  it('reads squeue rows with SQUEUE_FORMAT, names with | and array jobs', () => {
    const out = 'squeue: warning: something\n1|COMPLETED|None|ok\n3|PENDING|Resources|a|b\n7_[1-3]|PENDING|Priority|arr\n';
    expect(parseSqueue(out)).toEqual([
      { jobId: '1', native: 'COMPLETED', state: 'SUCCESS', name: 'ok' },
      { jobId: '3', native: 'PENDING', state: 'PENDING', reason: 'Resources', name: 'a|b' },
      { jobId: '7_[1-3]', native: 'PENDING', state: 'PENDING', reason: 'Priority', name: 'arr' },
    ]);
    expect(SQUEUE_FORMAT).toBe('%i|%T|%r|%j');
  });

  it('reads sacct --parsable2 rows, with or without a header, CANCELLED by uid, and the jobcomp file gap', () => {
    const rows = 'JobID|State|ExitCode|Reason|Submit|Start|End\n5|CANCELLED by 1001|0:0|None|2026-11-24T21:32:08|2026-11-24T21:32:08|2026-11-24T21:32:09\n';
    expect(statusFromSacct(rows, '5')).toMatchObject({ state: 'CANCELED', native: 'CANCELLED by 1001', exitCode: 0 });
    expect(statusFromSacct('2|FAILED|3:0||Unknown|2026-11-24T21:32:07|2026-11-24T21:32:07\n', '2')).toMatchObject({ state: 'FAILURE', exitCode: 3 });
    // sacct -c on a job named with a space: the jobcomp reader loses the state (seen on 22.05.8)
    expect(statusFromSacct('4||0:0||Unknown|2026-11-24T21:32:14|2026-11-24T21:32:15\n', '4')).toBeUndefined();
    expect(statusFromSacct('', '4')).toBeUndefined();
    expect(SACCT_FIELDS).toHaveLength(7);
  });

  it('recognizes the invalid-id message of scontrol, squeue and scancel', () => {
    expect(isInvalidJobId('slurm_load_jobs error: Invalid job id specified\n')).toBe(true);
    expect(isInvalidJobId('scancel: error: Kill job error on job id 99999: Invalid job id specified\n')).toBe(true);
    expect(isInvalidJobId('slurm_load_jobs error: Unable to contact slurm controller (connect failure)')).toBe(false);
  });
});
