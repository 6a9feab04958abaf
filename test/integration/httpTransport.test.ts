import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { bindContract } from '../../src/main/transport/bindContract';
import { fakeHandlers } from '../contract/fakes';
import { EventBus } from '../../src/main/app/eventBus';
import { startHttpServer, type RunningHttpServer } from '../../src/main/transport/http';
import { AppError } from '../../src/shared/contract/errors';
import { METHOD_NAMES } from '../../src/shared/contract/api';

// Transport-level tests: the handlers are minimal fakes (test/contract/fakes.ts) because what is under test
// is the HTTP binding itself (auth, routing, validation, errors as data, SSE, uploads, static files).
interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

describe('HTTP transport', () => {
  const token = 'test-token-123';
  const events = new EventBus();
  let server: RunningHttpServer;
  let dir: string;
  const auth = { authorization: `Bearer ${token}` };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cirasa-http-'));
    await mkdir(join(dir, 'static'));
    await writeFile(join(dir, 'static', 'index.html'), '<!doctype html><title>t</title>');
    await writeFile(join(dir, 'secret.txt'), 'secret');
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      token,
      dispatch: bindContract(fakeHandlers('web')),
      events,
      tiles: {
        readTile: async (t) => {
          if (t.imageId === 'building') return { width: 1, height: 1, data: new Float32Array([2]), preview: true };
          if (t.imageId !== 'img') throw new AppError('image.notOpen', 'no such image');
          return { width: 2, height: 1, data: new Float32Array([1.5, Number.NaN]) };
        },
      },
      staticDir: join(dir, 'static'),
      uploadDir: join(dir, 'uploads'),
      maxUploadBytes: 1000,
    });
  });
  afterAll(async () => server.close());

  it('refuses calls without the token and accepts the bearer token', async () => {
    const anon = await send(`${server.origin}/api/call/app.info`, { method: 'POST', body: '{}' });
    expect(anon.status).toBe(401);
    expect(JSON.parse(anon.body.toString()).error.code).toBe('auth.required');
    const ok = await send(`${server.origin}/api/call/app.info`, { method: 'POST', body: '{}', headers: auth });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString())).toEqual({ ok: true, value: { version: 't', mode: 'web', sampleImagePath: null, homeDir: '/' } });
  });

  it('trades the login URL token for an HttpOnly cookie that then authenticates', async () => {
    const login = await send(server.loginUrl);
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await send(`${server.origin}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const wrong = await send(`${server.origin}/?token=nope`);
    expect(wrong.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) and cross-origin writes', async () => {
    const rebound = await send(`${server.origin}/api/call/app.info`, { method: 'POST', body: '{}', headers: { ...auth, host: 'evil.example:80' } });
    expect(rebound.status).toBe(403);
    const cross = await send(`${server.origin}/api/call/app.info`, { method: 'POST', body: '{}', headers: { ...auth, origin: 'http://evil.example' } });
    expect(cross.status).toBe(403);
  });

  it('answers errors as data: validation, domain error codes, unknown methods, bad JSON', async () => {
    const invalid = JSON.parse((await send(`${server.origin}/api/call/fits.open`, { method: 'POST', body: '{"path":42}', headers: auth })).body.toString());
    expect(invalid).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(invalid.error.message).toContain('path');
    const domain = JSON.parse((await send(`${server.origin}/api/call/fits.open`, { method: 'POST', body: '{"path":"/x.fits"}', headers: auth })).body.toString());
    expect(domain).toEqual({ ok: false, error: { code: 'fits.notFits', message: '/x.fits is not FITS', details: { file: '/x.fits' } } });
    const unknown = await send(`${server.origin}/api/call/nope.nope`, { method: 'POST', body: '{}', headers: auth });
    expect(unknown.status).toBe(404);
    const badJson = await send(`${server.origin}/api/call/app.info`, { method: 'POST', body: '{', headers: auth });
    expect(badJson.status).toBe(400);
  });

  it('reaches every contract method (validation or a result, never a transport error)', async () => {
    for (const name of METHOD_NAMES) {
      const r = await send(`${server.origin}/api/call/${name}`, { method: 'POST', body: '{"unexpected":1}', headers: auth });
      expect(r.status, name).toBe(200);
      expect(JSON.parse(r.body.toString()), name).toMatchObject({ ok: false, error: { code: 'validation' } });
    }
  });

  it('serves float32 tiles with their size headers, 400 for malformed paths, 404 for unknown images', async () => {
    const tile = await send(`${server.origin}/tiles/img/0/0/0`, { headers: auth });
    expect(tile.status).toBe(200);
    expect(tile.headers['x-tile-width']).toBe('2');
    const values = new Float32Array(tile.body.buffer, tile.body.byteOffset, 2);
    expect(values[0]).toBe(1.5);
    expect(Number.isNaN(values[1])).toBe(true);
    expect(tile.headers['x-tile-preview']).toBeUndefined();
    expect(tile.headers['cache-control']).toContain('max-age');
    // A sampled preview (pyramid still building) is flagged and must never be cached by the browser.
    const preview = await send(`${server.origin}/tiles/building/3/0/0`, { headers: auth });
    expect(preview.headers['x-tile-preview']).toBe('1');
    expect(preview.headers['cache-control']).toBe('no-store');
    expect((await send(`${server.origin}/tiles/img/x/0/0`, { headers: auth })).status).toBe(400);
    expect((await send(`${server.origin}/tiles/other/0/0/0`, { headers: auth })).status).toBe(404);
  });

  it('streams events to SSE clients', async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const req = request(`${server.origin}/api/events`, { headers: auth }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('tiles.ready')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
      req.end();
      setTimeout(() => events.emit('tiles.ready', { imageId: 'img', elapsedMs: 5 }), 100);
    });
    expect(got).toContain('event: tiles.ready\ndata: {"imageId":"img","elapsedMs":5}');
  });

  it('stores uploads under a safe name and enforces the size limit', async () => {
    const up = JSON.parse((await send(`${server.origin}/upload/..%2F..%2Fevil.fits`, { method: 'PUT', body: 'SIMPLE', headers: auth })).body.toString());
    expect(up.ok).toBe(true);
    expect(up.value.path.startsWith(join(dir, 'uploads'))).toBe(true);
    expect(up.value.path).not.toContain('..');
    expect(await readFile(up.value.path, 'utf8')).toBe('SIMPLE');
    const big = await send(`${server.origin}/upload/big.fits`, { method: 'PUT', body: Buffer.alloc(2000), headers: auth });
    expect(big.status).toBe(413);
  });

  it('never serves files outside the static folder', async () => {
    for (const p of ['/..%2Fsecret.txt', '/../secret.txt', '/%2e%2e/secret.txt']) {
      const r = await send(`${server.origin}${p}`, { headers: auth });
      expect(r.status, p).toBe(404);
    }
  });
});
