import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerBackend } from './containerBackend';
import type { EngineResult } from './engine';
import { END_MARKER } from './outputs';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-container-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A scripted engine: answers by subcommand and records every call. */
function fake(answers: Record<string, EngineResult | ((args: string[]) => EngineResult)>) {
  const calls: string[][] = [];
  const runner = async (args: string[]): Promise<EngineResult> => {
    calls.push(args);
    const key = args[0] === 'container' ? `container ${args[1]}` : args[0]!;
    const a = answers[key];
    if (!a) return { code: 0, stdout: '', stderr: '' };
    return typeof a === 'function' ? a(args) : a;
  };
  return { calls, backend: new ContainerBackend({ runner, image: 'img:1' }) };
}

const ID = 'c'.repeat(64);
const inspectJson = (state: Record<string, unknown>, workdir: string) =>
  JSON.stringify([{ Id: ID, Name: 'cirasa-job-x', Created: '2024-01-01T00:00:00Z', State: { Status: 'running', ExitCode: 0, StartedAt: '2024-01-01T00:00:01Z', FinishedAt: '0001-01-01T00:00:00Z', ...state }, Config: { Labels: { 'cirasa.job': 'x', 'cirasa.workdir': workdir } } }]);

describe('ContainerBackend (scripted engine)', () => {
  it('submit answers the container id; the run carries image, name and workdir', async () => {
    const { calls, backend } = fake({ run: { code: 0, stdout: `${ID}\n`, stderr: '' } });
    const workdir = join(dir, 'ok');
    expect(await backend.submit({ name: 'x', command: ['true'], workdir })).toBe(ID);
    const run = calls[0]!;
    expect(run).toContain('img:1');
    expect(run[3]).toMatch(/^cirasa-job-[a-z0-9]+-[0-9a-f]{8}$/);
  });

  it('a failed run is jobs.submitFailed with the stderr, and the created container is removed', async () => {
    const err = 'Error: runc: exec: "nosuch": executable file not found in $PATH';
    const { calls, backend } = fake({ run: { code: 127, stdout: '', stderr: err } });
    const p = backend.submit({ name: 'x', command: ['nosuch'], workdir: join(dir, 'bad') });
    await expect(p).rejects.toMatchObject({ code: 'jobs.submitFailed', message: expect.stringContaining('executable file not found') });
    const name = calls[0]![3]!;
    expect(calls[1]).toEqual(['rm', '-f', name]);
  });

  it('refuses a job without an image, and a missing input before anything runs', async () => {
    const { calls } = fake({});
    const noImage = new ContainerBackend({ runner: async () => ({ code: 0, stdout: '', stderr: '' }) });
    await expect(noImage.submit({ name: 'x', command: ['true'], workdir: dir })).rejects.toMatchObject({ code: 'validation' });
    const { backend } = fake({});
    await expect(
      backend.submit({ name: 'x', command: ['true'], workdir: dir, inputs: [{ localPath: join(dir, 'nope.fits'), remoteName: 'a.fits' }] }),
    ).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('nope.fits') });
    expect(calls).toEqual([]);
  });

  it('a docker CLI without daemon is jobs.backendUnreachable; an unknown container is notFound', async () => {
    const down = fake({ 'container inspect': { code: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' } });
    await expect(down.backend.status(ID)).rejects.toMatchObject({ code: 'jobs.backendUnreachable' });
    const gone = fake({ 'container inspect': { code: 125, stdout: '', stderr: `Error: no such container ${ID}` }, logs: { code: 125, stdout: '', stderr: 'Error: no such container' } });
    await expect(gone.backend.status(ID)).rejects.toMatchObject({ code: 'notFound' });
    await expect(gone.backend.cancel(ID)).resolves.toBeUndefined();
    expect(await gone.backend.fetchLogs({ nativeId: ID, spec: { name: 'x', workdir: dir } })).toEqual({ stdout: '', stderr: '' });
    await expect(gone.backend.status('x; rm -rf /')).rejects.toMatchObject({ code: 'validation' });
  });

  it('a running job past its time limit is stopped and reported TIMED-OUT', async () => {
    const workdir = join(dir, 'slow');
    mkdirSync(workdir, { recursive: true });
    let stopped = false;
    const labels = { 'cirasa.job': 'x', 'cirasa.workdir': workdir, 'cirasa.timeLimitS': '60' };
    const inspect = () => {
      const j = JSON.parse(inspectJson(stopped ? { Status: 'exited', ExitCode: 137, FinishedAt: new Date().toISOString() } : {}, workdir));
      j[0].Config.Labels = labels;
      return { code: 0, stdout: JSON.stringify(j), stderr: '' };
    };
    const { calls, backend } = fake({ 'container inspect': inspect, stop: () => ((stopped = true), { code: 0, stdout: '', stderr: '' }) });
    const s = await backend.status(ID);
    expect(s).toMatchObject({ state: 'TIMED-OUT', exitCode: 137 });
    expect(calls.find((c) => c[0] === 'stop')).toEqual(['stop', '-t', '5', ID]);
    expect(JSON.parse(readFileSync(join(workdir, END_MARKER), 'utf8'))).toMatchObject({ containerId: ID, reason: 'timed-out' });
  });

  it('cancel of a finished job writes no marker and stops nothing', async () => {
    const workdir = join(dir, 'done');
    mkdirSync(workdir, { recursive: true });
    const { calls, backend } = fake({ 'container inspect': { code: 0, stdout: inspectJson({ Status: 'exited', FinishedAt: '2024-01-01T00:00:09Z' }, workdir), stderr: '' } });
    await backend.cancel(ID);
    expect(calls.map((c) => c[0])).toEqual(['container']);
    expect((await backend.status(ID)).state).toBe('SUCCESS');
  });

  it('fetchOutputs copies the job directory without the input mount points and the marker', async () => {
    const workdir = join(dir, 'out');
    mkdirSync(join(workdir, 'sub'), { recursive: true });
    writeFileSync(join(workdir, 'cat.txt'), 'rows');
    writeFileSync(join(workdir, 'sub', 'b.txt'), 'b');
    writeFileSync(join(workdir, 'img.fits'), '');
    writeFileSync(join(workdir, END_MARKER), '{}');
    const { backend } = fake({});
    const spec = { name: 'x', workdir, inputs: [{ localPath: '/x/img.fits', remoteName: 'img.fits' }] };
    const local = join(dir, 'fetched');
    const files = await backend.fetchOutputs({ nativeId: ID, spec }, local);
    expect(files).toEqual([join(local, 'cat.txt'), join(local, 'sub', 'b.txt')]);
    expect(readFileSync(files[0]!, 'utf8')).toBe('rows');
    expect(await backend.fetchOutputs({ nativeId: ID, spec }, workdir)).toEqual([join(workdir, 'cat.txt'), join(workdir, 'sub', 'b.txt')]);
    await expect(backend.fetchOutputs({ nativeId: ID, spec: { name: 'x', workdir: join(dir, 'never') } }, local)).rejects.toMatchObject({
      code: 'jobs.outputsMissing',
    });
  });
});
