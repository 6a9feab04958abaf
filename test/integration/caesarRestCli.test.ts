/** `cirasa serve` as a process: starts, answers /health and the API with token auth, logs JSON lines, stops on SIGTERM. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIRASA_FROM_SOURCES } from './helpers/jobs';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'caesar-rest-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cirasa serve (process)', () => {
  it('serves with --auth token, logs JSON to stderr, exits 0 on SIGTERM', async () => {
    const tokens = join(dir, 'tokens.json');
    await writeFile(tokens, JSON.stringify({ 'secret-token-1234': 'jane.doe@inaf.it' }));
    const [cmd, ...pre] = CIRASA_FROM_SOURCES;
    const child = spawn(cmd!, [...pre, 'serve', '--port', '0', '--auth', 'token', '--tokens', tokens, '--datadir', join(dir, 'd'), '--jobdir', join(dir, 'j')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        const m = /API at (http:\/\/\S+?)\/caesar\/api\/v1\.0/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
    });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/caesar/api/v1.0/apps`)).status).toBe(401);
    const apps = await fetch(`${url}/caesar/api/v1.0/apps`, { headers: { Authorization: 'Bearer secret-token-1234' } });
    expect(await apps.json()).toEqual({ apps: ['builtin', 'sextractor'] });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.path === '/caesar/api/v1.0/apps' && l.status === 200)).toMatchObject({ user: 'jane_doe_inaf_it', method: 'GET' });
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
  }, 60_000);
});
