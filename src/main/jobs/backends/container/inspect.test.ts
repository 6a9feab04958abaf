import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInspect, parseInspectAll, statusFromContainer, unixSeconds, type ContainerInfo } from './inspect';

const podmanOom = readFileSync(new URL('./fixtures/podman-4.3-exited-137.json', import.meta.url), 'utf8');

/** `docker container inspect` shape (Docker Engine API ContainerInspect): name with a leading '/', null Labels allowed. */
function dockerJson(state: Record<string, unknown>, labels: Record<string, string> | null = null): string {
  return JSON.stringify([
    {
      Id: 'a'.repeat(64),
      Created: '2024-05-01T10:00:00.123456789Z',
      Name: '/cirasa-job-x',
      State: {
        Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 42,
        ExitCode: 0, Error: '', StartedAt: '2024-05-01T10:00:01Z', FinishedAt: '0001-01-01T00:00:00Z', ...state,
      },
      Config: { Labels: labels, Image: 'x' },
      HostConfig: { Memory: 0 },
    },
  ]);
}

function info(over: Partial<ContainerInfo>): ContainerInfo {
  return {
    id: 'b'.repeat(64), name: 'n', status: 'exited', exitCode: 0, oomKilled: false, error: '', labels: {},
    createdAt: 100, startedAt: 101, finishedAt: 110, ...over,
  };
}

describe('parseInspect', () => {
  it('reads a real podman 4.3 record (memory kill on a hybrid-cgroup host)', () => {
    const c = parseInspect(podmanOom, 'x');
    expect(c.id).toMatch(/^[0-9a-f]{64}$/);
    expect(c.name).toBe('cirasa-fixture');
    expect(c).toMatchObject({ status: 'exited', exitCode: 137, oomKilled: false, error: '' });
    expect(c.labels).toEqual({ 'cirasa.job': 'fixture', 'cirasa.workdir': '/tmp/cfx/w', 'cirasa.memoryMb': '16' });
    expect(c.finishedAt! - c.startedAt!).toBeLessThan(5);
    const s = statusFromContainer(c);
    expect(s).toMatchObject({ state: 'FAILURE', exitCode: 137, signal: 9, native: 'exited' });
    expect(s.reason).toContain('SIGKILL');
    expect(s.reason).toContain('memory limit of 16 MiB');
  });

  it('reads docker records: leading slash, null labels, zero FinishedAt while running', () => {
    const c = parseInspect(dockerJson({}), 'x');
    expect(c).toMatchObject({ name: 'cirasa-job-x', status: 'running', labels: {}, finishedAt: undefined });
    expect(c.startedAt).toBe(Date.UTC(2024, 4, 1, 10, 0, 1) / 1000);
    expect(statusFromContainer(c)).toEqual({ state: 'RUNNING', native: 'running', submitTime: c.createdAt, startTime: c.startedAt });
  });

  it('rejects what is not an inspect array with jobs.badResponse naming the field', () => {
    expect(() => parseInspect('Error: boom', 'abc')).toThrow(expect.objectContaining({ code: 'jobs.badResponse' }));
    expect(() => parseInspect('[{"Id":"x","State":{"Status":7}}]', 'abc')).toThrow(/State\.Status/);
    expect(() => parseInspect('{}', 'abc')).toThrow(expect.objectContaining({ code: 'jobs.badResponse' }));
  });

  it('answers notFound for an empty array and parses several containers', () => {
    expect(() => parseInspect('[]', 'abc')).toThrow(expect.objectContaining({ code: 'notFound' }));
    const two = JSON.stringify([...JSON.parse(dockerJson({})), ...JSON.parse(podmanOom)]);
    expect(parseInspectAll(two, 'a b').map((c) => c.status)).toEqual(['running', 'exited']);
  });
});

describe('statusFromContainer', () => {
  it('maps engine states onto job states', () => {
    expect(statusFromContainer(info({ status: 'created' })).state).toBe('PENDING');
    expect(statusFromContainer(info({ status: 'paused' })).state).toBe('RUNNING');
    expect(statusFromContainer(info({ status: 'exited', exitCode: 0 }))).toMatchObject({ state: 'SUCCESS', exitCode: 0, endTime: 110 });
    expect(statusFromContainer(info({ status: 'exited', exitCode: 3 }))).toMatchObject({ state: 'FAILURE', exitCode: 3, reason: 'Exited with code 3' });
    expect(statusFromContainer(info({ status: 'dead', exitCode: undefined })).state).toBe('FAILURE');
  });

  it('OOMKilled and runtime errors are failures with the reason', () => {
    const oom = statusFromContainer(info({ exitCode: 137, oomKilled: true, labels: { 'cirasa.memoryMb': '64' } }));
    expect(oom).toMatchObject({ state: 'FAILURE', reason: 'Out of memory: killed at its limit of 64 MiB' });
    const err = statusFromContainer(info({ exitCode: 127, error: 'executable file not found in $PATH' }));
    expect(err).toMatchObject({ state: 'FAILURE', exitCode: 127, reason: 'executable file not found in $PATH' });
  });

  it('the backend own end reason wins over the exit code, but only once the container has stopped', () => {
    expect(statusFromContainer(info({ exitCode: 137 }), 'canceled').state).toBe('CANCELED');
    const t = statusFromContainer(info({ exitCode: 143, labels: { 'cirasa.timeLimitS': '60' } }), 'timed-out');
    expect(t).toMatchObject({ state: 'TIMED-OUT', signal: 15, reason: 'Stopped after its time limit of 60 s' });
    expect(statusFromContainer(info({ status: 'running' }), 'canceled').state).toBe('RUNNING');
  });
});

describe('unixSeconds', () => {
  it('treats Go zero time and garbage as unknown', () => {
    expect(unixSeconds('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(unixSeconds('nonsense')).toBeUndefined();
    expect(unixSeconds('1970-01-01T00:01:40.9Z')).toBe(100);
  });
});
