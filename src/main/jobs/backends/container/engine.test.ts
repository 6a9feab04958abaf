import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectEngine, execEngine, isDaemonDown, isNoSuchContainer } from './engine';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeBinary(sub: string, name: string, body: string): string {
  const d = join(dir, sub);
  mkdirSync(d, { recursive: true });
  const p = join(d, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

describe('detectEngine', () => {
  it('prefers podman, falls back to docker, honours the configured one', () => {
    fakeBinary('both', 'docker', 'exit 0');
    fakeBinary('both', 'podman', 'exit 0');
    fakeBinary('dockeronly', 'docker', 'exit 0');
    expect(detectEngine(undefined, join(dir, 'both')).kind).toBe('podman');
    expect(detectEngine('docker', join(dir, 'both'))).toEqual({ kind: 'docker', binary: join(dir, 'both', 'docker') });
    expect(detectEngine(undefined, `${join(dir, 'empty')}:${join(dir, 'dockeronly')}`).kind).toBe('docker');
  });

  it('answers jobs.backendUnreachable when no engine is installed', () => {
    expect(() => detectEngine(undefined, join(dir, 'nothing'))).toThrow(expect.objectContaining({ code: 'jobs.backendUnreachable' }));
    expect(() => detectEngine('podman', join(dir, 'dockeronly'))).toThrow(/"podman" is not installed/);
  });
});

describe('execEngine', () => {
  it('returns exit code, stdout and stderr of a failing command', async () => {
    const bin = fakeBinary('run', 'podman', 'echo out; echo "Error: bad" >&2; exit 125');
    expect(await execEngine(bin)(['x'], { timeoutMs: 5000 })).toEqual({ code: 125, stdout: 'out\n', stderr: 'Error: bad\n' });
  });

  it('a missing binary or a hung engine is jobs.backendUnreachable', async () => {
    await expect(execEngine(join(dir, 'gone', 'podman'))(['ps'], { timeoutMs: 5000 })).rejects.toMatchObject({ code: 'jobs.backendUnreachable' });
    const slow = fakeBinary('slow', 'podman', 'exec sleep 10');
    await expect(execEngine(slow)(['ps'], { timeoutMs: 200 })).rejects.toMatchObject({ code: 'jobs.backendUnreachable', message: expect.stringContaining('200 ms') });
  });
});

describe('engine messages', () => {
  it('recognises podman and docker "no such container" and a docker CLI without daemon', () => {
    expect(isNoSuchContainer('Error: no such container abc')).toBe(true);
    expect(isNoSuchContainer('Error: No such container: abc')).toBe(true);
    expect(isNoSuchContainer('Error response from daemon: No such object: abc')).toBe(true);
    expect(isNoSuchContainer('Error: permission denied')).toBe(false);
    expect(isDaemonDown('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?')).toBe(true);
    expect(isDaemonDown('Error: no such container abc')).toBe(false);
  });
});
