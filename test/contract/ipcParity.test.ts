import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindContract } from '../../src/main/transport/bindContract';
import { bindIpc, forwardEvents, isTrustedSender, RendererRegistry } from '../../src/main/transport/ipc';
import { startHttpServer, type RunningHttpServer } from '../../src/main/transport/http';
import { EventBus } from '../../src/main/app/eventBus';
import { METHOD_NAMES } from '../../src/shared/contract/api';
import { eventFrom, fakeHandlers, FakeIpcMain, FakeWebContents, RENDERER_URL } from './fakes';

function setUp() {
  const ipcMain = new FakeIpcMain();
  const registry = new RendererRegistry();
  const win = new FakeWebContents(7);
  registry.add(win);
  const binding = bindIpc({ ipcMain, handlers: fakeHandlers(), registry, rendererUrl: RENDERER_URL });
  return { ipcMain, registry, win, binding };
}

describe('IPC binding', () => {
  it('registers exactly one handler per contract method, channel = method name', () => {
    const { ipcMain, binding } = setUp();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...METHOD_NAMES].sort());
    expect([...binding.channels].sort()).toEqual([...METHOD_NAMES].sort());
    binding.dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('answers Results as data: values, domain errors with details, validation errors', async () => {
    const { ipcMain } = setUp();
    expect(await ipcMain.invoke('app.info', eventFrom(7), {})).toEqual({
      ok: true,
      value: { version: 't', mode: 'desktop', sampleImagePath: null, homeDir: '/' },
    });
    expect(await ipcMain.invoke('fits.open', eventFrom(7), { path: '/x.fits' })).toEqual({
      ok: false,
      error: { code: 'fits.notFits', message: '/x.fits is not FITS', details: { file: '/x.fits' } },
    });
    expect(await ipcMain.invoke('recent.clear', eventFrom(7), {})).toEqual({ ok: true, value: null });
    const bad = (await ipcMain.invoke('fits.open', eventFrom(7), { path: 42 })) as { ok: boolean; error: { code: string; message: string } };
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('validation');
    expect(bad.error.message).toContain('path');
  });

  it('refuses foreign senders: unknown window, iframe, other document, no frame', async () => {
    const { ipcMain, registry } = setUp();
    const refusedCases = [
      eventFrom(8), // a webContents we never registered
      eventFrom(7, RENDERER_URL, { url: RENDERER_URL }), // a sub-frame of our window
      eventFrom(7, 'https://evil.example/index.html'),
      eventFrom(7, 'file:///tmp/other.html'),
      { sender: { id: 7 }, senderFrame: null },
    ];
    for (const event of refusedCases) {
      expect(isTrustedSender(event, registry, RENDERER_URL)).toBe(false);
      expect(await ipcMain.invoke('app.info', event, {})).toEqual({
        ok: false,
        error: { code: 'auth.required', message: 'IPC refused: the sender is not a CIRASA window' },
      });
    }
    // Our document with a hash route or query is still ours.
    expect(isTrustedSender(eventFrom(7, `${RENDERER_URL}#/viewer?x=1`), registry, RENDERER_URL)).toBe(true);
    registry.remove(7);
    expect(isTrustedSender(eventFrom(7), registry, RENDERER_URL)).toBe(false);
  });

  it('aborts the call context of a window when it goes away', async () => {
    const ipcMain = new FakeIpcMain();
    const registry = new RendererRegistry();
    registry.add(new FakeWebContents(3));
    let seen: AbortSignal | undefined;
    const handlers = { ...fakeHandlers(), 'recent.list': async (_i: unknown, ctx: { signal?: AbortSignal }) => ((seen = ctx.signal), []) };
    bindIpc({ ipcMain, handlers, registry, rendererUrl: RENDERER_URL });
    await ipcMain.invoke('recent.list', eventFrom(3), {});
    expect(seen?.aborted).toBe(false);
    registry.remove(3);
    expect(seen?.aborted).toBe(true);
  });

  it('forwards contract events to live windows only, payload unchanged', () => {
    const bus = new EventBus();
    const registry = new RendererRegistry();
    const a = new FakeWebContents(1);
    const b = new FakeWebContents(2);
    registry.add(a);
    registry.add(b);
    const stop = forwardEvents(bus, registry);
    bus.emit('tiles.ready', { imageId: 'i', elapsedMs: 3 });
    b.destroyed = true;
    bus.emit('app.openRequested', { path: '/data/a.fits' });
    stop();
    bus.emit('tiles.progress', { imageId: 'i', fraction: 0.5 });
    expect(a.sent).toEqual([
      ['tiles.ready', { imageId: 'i', elapsedMs: 3 }],
      ['app.openRequested', { path: '/data/a.fits' }],
    ]);
    expect(b.sent).toEqual([['tiles.ready', { imageId: 'i', elapsedMs: 3 }]]);
    expect(registry.has(2)).toBe(false);
  });
});

describe('IPC and HTTP answer the same Results', () => {
  const token = 'parity-token';
  let server: RunningHttpServer;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cirasa-parity-'));
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      token,
      dispatch: bindContract(fakeHandlers()),
      events: new EventBus(),
      tiles: { readTile: async () => ({ width: 0, height: 0, data: new Float32Array(0) }) },
      staticDir: null,
      uploadDir: join(dir, 'uploads'),
    });
  });
  afterAll(async () => server.close());

  async function overHttp(name: string, input: unknown): Promise<unknown> {
    const res = await fetch(`${server.origin}/api/call/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return res.json();
  }

  it('every method is reachable on both transports and rejects invalid input with the same validation Result', async () => {
    const { ipcMain } = setUp();
    for (const name of METHOD_NAMES) {
      const input = { unexpectedField: 1 };
      const viaIpc = await ipcMain.invoke(name, eventFrom(7), input);
      const viaHttp = await overHttp(name, input);
      expect(viaIpc, name).toMatchObject({ ok: false, error: { code: 'validation' } });
      expect(viaHttp, name).toEqual(viaIpc);
    }
  });

  it('valid calls and domain errors are identical too', async () => {
    const { ipcMain } = setUp();
    for (const [name, input] of [
      ['app.info', {}],
      ['fits.open', { path: '/x.fits' }],
      ['recent.list', {}],
    ] as const) {
      expect(await overHttp(name, input), name).toEqual(await ipcMain.invoke(name, eventFrom(7), input));
    }
  });
});
