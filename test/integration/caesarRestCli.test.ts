/**
 * `cirasa serve` as a process: starts, answers /health and the API with token auth, logs JSON lines, stops on
 * SIGTERM; options from a config file with flags overriding it; `--web` (in-process) serves the API and the app on
 * one port.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinApp } from '../../src/main/apps';
import { serveWithWeb } from '../../src/main/caesar-rest/webServe';
import { CIRASA_FROM_SOURCES } from './helpers/jobs';

/** Spawn `cirasa serve ARGS`; answers the API root URL, a stop function and the stderr so far. */
async function spawnServe(args: string[]) {
  const [cmd, ...pre] = CIRASA_FROM_SOURCES;
  const child = spawn(cmd!, [...pre, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const out = { stderr: '' };
  child.stderr.on('data', (b: Buffer) => (out.stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      const m = /API at (http:\/\/\S+?)\/caesar\/api\/v1\.0/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`exited early: ${out.stderr}`)));
  });
  return { url, out, stop: async () => (child.kill('SIGTERM'), exited) };
}

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

  it('--config (TOML-ish, relative paths) sets the options; flags override the file', async () => {
    await writeFile(join(dir, 'tokens.txt'), '# token user\ncfg-token-123456 carol@inaf.it\n');
    await writeFile(join(dir, 'serve.toml'), [
      '# cirasa serve options', 'host = "127.0.0.1"', 'port = 0', 'auth = "token"', 'tokens = "tokens.txt"  # relative to this file',
      'datadir = "cfg-data"', 'jobdir = "cfg-jobs"', 'max-upload-mb = 1', 'log-level = "error"',
    ].join('\n'));
    const a = await spawnServe(['--config', join(dir, 'serve.toml')]);
    expect((await fetch(`${a.url}/caesar/api/v1.0/apps`)).status).toBe(401);
    expect((await fetch(`${a.url}/caesar/api/v1.0/apps`, { headers: { Authorization: 'Bearer cfg-token-123456' } })).status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(2880)]), 'small.fits');
    const up = (await (await fetch(`${a.url}/caesar/api/v1.0/upload`, { method: 'POST', body: form, headers: { Authorization: 'Bearer cfg-token-123456' } })).json()) as { uuid: string };
    // datadir relative to the config file, namespace from the tokens file named relative to it
    expect(existsSync(join(dir, 'cfg-data', 'carol_inaf_it', `${up.uuid}.fits`))).toBe(true);
    expect(await a.stop()).toBe(0);
    // log-level error: no per-request info lines
    expect(a.out.stderr).not.toContain('"msg":"request"');
    const b = await spawnServe(['--config', join(dir, 'serve.toml'), '--auth', 'none', '--log-level', 'info']);
    expect((await fetch(`${b.url}/caesar/api/v1.0/apps`)).status).toBe(200);
    expect(await b.stop()).toBe(0);
    expect(b.out.stderr).toContain('"msg":"request"');
    await writeFile(join(dir, 'bad.toml'), 'auth = "kerberos"\n');
    const bad = spawn(CIRASA_FROM_SOURCES[0]!, [...CIRASA_FROM_SOURCES.slice(1), 'serve', '--config', join(dir, 'bad.toml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
    expect(await new Promise((r) => bad.on('exit', r))).toBe(64);
    expect(err).toContain('bad.toml: auth');
  }, 90_000);
});

describe('cirasa serve --web', () => {
  it('one port answers /health, the caesar-rest API (its tokens) and the app (its own token)', async () => {
    const staticDir = join(dir, 'renderer');
    await mkdir(staticDir, { recursive: true });
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>CIRASA test app</title>');
    const running = await serveWithWeb({
      host: '127.0.0.1', port: 0, auth: { mode: 'token', tokens: new Map([['api-token-123456', 'dave']]) }, dataDir: join(dir, 'w', 'data'), jobDir: join(dir, 'w', 'jobs'),
      apps: [builtinApp], log: () => {}, webToken: 'app-token-abcdef', staticDir, webDataDir: join(dir, 'w', 'app'),
    });
    try {
      const health = await fetch(`${running.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', apps: ['builtin'] });
      expect((await fetch(`${running.url}/caesar/api/v1.0/apps`)).status).toBe(401);
      expect(await (await fetch(`${running.url}/caesar/api/v1.0/apps`, { headers: { Authorization: 'Bearer api-token-123456' } })).json()).toEqual({ apps: ['builtin'] });
      // the app stays behind its own token: not the API's, and no caesar-rest test page at /
      expect((await fetch(`${running.url}/`)).status).toBe(401);
      expect((await fetch(`${running.url}/`, { headers: { Authorization: 'Bearer api-token-123456' } })).status).toBe(401);
      const app = await fetch(`${running.url}/`, { headers: { Authorization: 'Bearer app-token-abcdef' } });
      expect(app.status).toBe(200);
      expect(await app.text()).toContain('CIRASA test app');
      expect(running.loginUrl).toBe(`${running.url}/?token=app-token-abcdef`);
    } finally {
      await running.close();
    }
  }, 60_000);
});
