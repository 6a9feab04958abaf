import { describe, expect, it } from 'vitest';
import { createBridge, type RendererIpcLike } from '../../src/preload/createBridge';
import { METHOD_NAMES } from '../../src/shared/contract/api';
import { EVENT_NAMES } from '../../src/shared/contract/events';

type Listener = (event: unknown, ...args: unknown[]) => void;

class FakeIpcRenderer implements RendererIpcLike {
  readonly invoked: Array<[string, unknown]> = [];
  readonly listeners = new Map<string, Listener[]>();
  answer: unknown = { ok: true, value: 1 };
  async invoke(channel: string, input: unknown): Promise<unknown> {
    this.invoked.push([channel, input]);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
  on(channel: string, listener: Listener): void {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
  }
  removeListener(channel: string, listener: Listener): void {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
  }
  /** Main sends an event: Electron passes the IpcRendererEvent first. */
  emit(channel: string, payload: unknown): void {
    const ipcEvent = { sender: { secret: 'ipcRenderer' }, ports: [] };
    for (const l of this.listeners.get(channel) ?? []) l(ipcEvent, payload);
  }
}

function make() {
  const ipc = new FakeIpcRenderer();
  const bridge = createBridge({ ipc, getPathForFile: (f) => `/abs/${(f as { name: string }).name}` });
  return { ipc, bridge };
}

describe('preload bridge (window.cirasa)', () => {
  it('forwards every contract method to IPC with the method name as channel', async () => {
    const { ipc, bridge } = make();
    for (const name of METHOD_NAMES) expect(await bridge.invoke(name, { a: 1 })).toEqual({ ok: true, value: 1 });
    expect(ipc.invoked.map(([c]) => c)).toEqual([...METHOD_NAMES]);
  });

  it('refuses names outside the method table without touching IPC', async () => {
    const { ipc, bridge } = make();
    for (const name of ['', 'nope', 'fits.open ', '__proto__', 'constructor', 'tiles.ready', 'hasOwnProperty']) {
      expect(await bridge.invoke(name, {}), name).toMatchObject({ ok: false, error: { code: 'notFound' } });
    }
    expect(await bridge.invoke(42 as unknown as string, {})).toMatchObject({ ok: false, error: { code: 'notFound' } });
    expect(ipc.invoked).toEqual([]);
  });

  it('turns an IPC failure into an internal Result instead of a rejection', async () => {
    const { ipc, bridge } = make();
    ipc.answer = new Error('An object could not be cloned.');
    expect(await bridge.invoke('app.info', { f: () => 1 })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'IPC call app.info failed: An object could not be cloned.' },
    });
  });

  it('subscribes to contract events only and never passes the IpcRendererEvent', () => {
    const { ipc, bridge } = make();
    const got: unknown[][] = [];
    const off = bridge.on('tiles.ready', (...args: unknown[]) => got.push(args));
    ipc.emit('tiles.ready', { imageId: 'a', elapsedMs: 1 });
    off();
    ipc.emit('tiles.ready', { imageId: 'b', elapsedMs: 2 });
    expect(got).toEqual([[{ imageId: 'a', elapsedMs: 1 }]]);

    const refusedOff = bridge.on('fits.open', () => got.push(['leak']));
    expect(typeof refusedOff).toBe('function');
    expect(ipc.listeners.has('fits.open')).toBe(false);
    bridge.on('ELECTRON_BROWSER_WINDOW_ALERT', () => got.push(['leak']));
    expect(ipc.listeners.has('ELECTRON_BROWSER_WINDOW_ALERT')).toBe(false);
    for (const e of EVENT_NAMES) bridge.on(e, () => undefined);
    expect([...ipc.listeners.keys()].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('keeps an early app.openRequested until the renderer listens (command-line file)', () => {
    const { ipc, bridge } = make();
    ipc.emit('app.openRequested', { path: '/data/first.fits' });
    ipc.emit('tiles.ready', { imageId: 'x', elapsedMs: 1 }); // not replayed: only open requests are
    const got: unknown[] = [];
    bridge.on('app.openRequested', (p) => got.push(p));
    bridge.on('tiles.ready', (p) => got.push(p));
    ipc.emit('app.openRequested', { path: '/data/second.fits' });
    expect(got).toEqual([{ path: '/data/first.fits' }, { path: '/data/second.fits' }]);
  });

  it('exposes exactly the CirasaBridge members', () => {
    const { bridge } = make();
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'pathForFile', 'resourceBase']);
    expect(bridge.resourceBase).toBe('cirasa-tile://local');
    expect(bridge.pathForFile({ name: 'a.fits' })).toBe('/abs/a.fits');
  });
});
