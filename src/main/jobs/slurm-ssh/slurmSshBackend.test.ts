import { describe, expect, it } from 'vitest';
import { SlurmSshBackend, type SessionLike } from './slurmSshBackend';
import type { ExecResult } from './sshSession';

/** A session answering commands from a table of captured Slurm 22.05.8 outputs. */
function fakeSession(answers: Record<string, Partial<ExecResult>>, seen: string[]): SessionLike {
  return {
    isOpen: true,
    close: () => {},
    sftp: () => Promise.reject(new Error('no sftp in this test')),
    exec: async (command: string) => {
      seen.push(command);
      const key = Object.keys(answers).find((k) => command.startsWith(k));
      if (key === undefined) throw new Error(`unexpected command ${command}`);
      return { stdout: '', stderr: '', code: 0, ...answers[key] };
    },
  };
}

function backendWith(answers: Record<string, Partial<ExecResult>>, seen: string[] = []): SlurmSshBackend {
  const session = fakeSession(answers, seen);
  return new SlurmSshBackend(
    { host: 'login', username: 'astro', knownHostsPath: '/nonexistent' },
    { get: async () => session, close: async () => {} },
  );
}

const INVALID = { code: 1, stderr: 'slurm_load_jobs error: Invalid job id specified\n' };

describe('SlurmSshBackend.status fallbacks', () => {
  it('asks sacct once slurmctld has forgotten the job (after MinJobAge)', async () => {
    const seen: string[] = [];
    const b = backendWith(
      { 'scontrol show job 12': INVALID, 'sacct -X': { stdout: '12|COMPLETED|0:0|None|2026-11-24T21:32:06|2026-11-24T21:32:07|2026-11-24T21:32:09\n' } },
      seen,
    );
    expect(await b.status('12')).toMatchObject({ state: 'SUCCESS', native: 'COMPLETED', exitCode: 0 });
    expect(seen).toEqual(['scontrol show job 12', 'sacct -X -n -P -o JobID,State,ExitCode,Reason,Submit,Start,End -j 12']);
  });

  it('falls back to the jobcomp file (sacct -c) without accounting storage, then to notFound', async () => {
    const disabled = { code: 1, stdout: 'Slurm accounting storage is disabled\n' };
    const b = backendWith({ 'scontrol show job 2': INVALID, 'sacct -X': disabled, 'sacct -c': { stdout: '2|FAILED|3:0||2026-11-24T21:32:07|2026-11-24T21:32:07|2026-11-24T21:32:07\n' } });
    expect(await b.status('2')).toMatchObject({ state: 'FAILURE', exitCode: 3 });
    const none = backendWith({ 'scontrol show job 3': INVALID, 'sacct -X': disabled, 'sacct -c': { stdout: '' } });
    await expect(none.status('3')).rejects.toMatchObject({ code: 'notFound' });
  });

  it('reports a broken scontrol as jobs.commandFailed, not as a vanished job', async () => {
    const b = backendWith({ 'scontrol show job 4': { code: 1, stderr: 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n' } });
    await expect(b.status('4')).rejects.toMatchObject({ code: 'jobs.commandFailed', message: expect.stringContaining('Unable to contact slurm controller') });
  });

  it('never puts an unchecked id into a shell command', async () => {
    const b = backendWith({});
    await expect(b.status('1; rm -rf ~')).rejects.toMatchObject({ code: 'validation' });
    await expect(b.cancel('$(reboot)')).rejects.toMatchObject({ code: 'validation' });
  });
});
