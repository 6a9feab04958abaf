import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { METHOD_NAMES } from '../../src/shared/contract/api';
import * as fake from './fakeElectron';

// The Electron entry, run under Node against a recording fake of the `electron` module: it checks the
// wiring (hardening, IPC, protocol, file hand-over, shutdown), not Electron itself.
vi.mock('electron', () => import('./fakeElectron'));
vi.mock('../../src/main/app/createServices', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/main/app/createServices')>();
  // No sample image: generating it is seconds of CPU this test does not need.
  return { createServices: (o: Parameters<typeof real.createServices>[0]) => real.createServices({ ...o, noSample: true }) };
});

const { record, app, fakeEvent } = fake;
const REPO = resolve(__dirname, '..', '..');
const RENDERER_FILE = join(REPO, 'dist', 'renderer', 'index.html');
const RENDERER_URL = `file://${RENDERER_FILE}`;
const savedArgv = process.argv;

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

function win() {
  return record.windows[0]!;
}

async function invoke(channel: string, input: unknown, frameUrl = RENDERER_URL, senderId = win().webContents.id) {
  const h = record.ipcHandlers.get(channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return h({ sender: { id: senderId }, senderFrame: { url: frameUrl, parent: null } }, input);
}

describe('Electron entry (src/main/index.ts) against a fake electron', () => {
  beforeAll(async () => {
    process.env.CIRASA_DATA_DIR = mkdtempSync(join(tmpdir(), 'cirasa-entry-'));
    process.argv = ['/x/electron', REPO, 'data/first.fits'];
    await import('../../src/main/index');
    record.ready!();
    await until(() => record.windows.length === 1 && record.menuTemplate !== null, 'the main window');
  });
  afterAll(() => {
    process.argv = savedArgv;
  });

  it('sandboxes and registers the tile scheme before ready, and takes the single-instance lock with its file', () => {
    expect(record.calls.slice(0, 2)).toEqual(['enableSandbox', 'registerSchemes']);
    expect(record.privilegedSchemes).toEqual([
      { scheme: 'cirasa-tile', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
    ]);
    expect(record.lockData).toEqual({ path: resolve(process.cwd(), 'data/first.fits') });
  });

  it('creates a hardened window loading the built renderer with the CommonJS preload', () => {
    const prefs = win().options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toBe(join(REPO, 'dist', 'preload', 'index.cjs'));
    expect(win().loadedFile).toBe(RENDERER_FILE);
  });

  it('sets the CSP on responses and denies permissions', () => {
    let headers: Record<string, string[]> = {};
    record.headersHook!({ responseHeaders: { 'content-security-policy': ['default-src *'] } }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']![0]).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toBeUndefined();
    let granted: boolean | undefined;
    record.permissionRequest!(win().webContents, 'media', (ok) => (granted = ok), { requestingUrl: RENDERER_URL });
    expect(granted).toBe(false);
  });

  it('blocks navigation and new windows; https links go to the OS browser only', () => {
    const contents = win().webContents;
    const away = fakeEvent('https://example.org/docs');
    contents.emit('will-navigate', away);
    const local = fakeEvent('file:///etc/passwd');
    contents.emit('will-navigate', local);
    const hash = fakeEvent(`${RENDERER_URL}#/viewer`);
    contents.emit('will-navigate', hash);
    expect([away.defaultPrevented, local.defaultPrevented, hash.defaultPrevented]).toEqual([true, true, false]);
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://www.atnf.csiro.au/' })).toEqual({ action: 'deny' });
    expect(record.externalOpened).toEqual(['https://example.org/docs', 'https://www.atnf.csiro.au/']);
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
  });

  it('binds every contract method over IPC to the real services, for our window only', async () => {
    expect([...record.ipcHandlers.keys()].sort()).toEqual([...METHOD_NAMES].sort());
    const info = (await invoke('app.info', {})) as { ok: boolean; value: { mode: string } };
    expect(info).toMatchObject({ ok: true, value: { mode: 'desktop', sampleImagePath: null } });
    expect(await invoke('app.info', {}, 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'auth.required' } });
    expect(await invoke('app.info', {}, RENDERER_URL, 999)).toMatchObject({ ok: false, error: { code: 'auth.required' } });
    expect(await invoke('fits.open', { path: '/nonexistent/x.fits' })).toMatchObject({ ok: false, error: { code: 'fits.io' } });
  });

  it('serves the tile protocol from the image service', async () => {
    const res = await record.protocolHandlers.get('cirasa-tile')!(new Request('cirasa-tile://local/tiles/nope/0/0/0'));
    expect(res.status).toBe(404);
    expect((await record.protocolHandlers.get('cirasa-tile')!(new Request('cirasa-tile://local/bad'))).status).toBe(400);
  });

  it('hands the command-line file to the renderer once it has loaded, and a second instance\'s file after', async () => {
    const contents = win().webContents;
    expect(contents.sent).toEqual([]);
    contents.loading = false;
    contents.emit('did-finish-load');
    expect(contents.sent).toEqual([['app.openRequested', { path: resolve(process.cwd(), 'data/first.fits') }]]);
    app.emit('second-instance', fakeEvent(), ['/x/electron', REPO, 'ignored.fits'], '/w', { path: '/abs/second.fits' });
    app.emit('second-instance', fakeEvent(), ['/x/electron', REPO, 'rel.fits'], '/w', { path: 'not-absolute' });
    expect(contents.sent.slice(1)).toEqual([
      ['app.openRequested', { path: '/abs/second.fits' }],
      ['app.openRequested', { path: '/w/rel.fits' }],
    ]);
    expect(record.calls.filter((c) => c === 'focus')).toHaveLength(2);
  });

  it('File > Open… and Open Recent send the chosen file to the renderer', async () => {
    const contents = win().webContents;
    const file = (record.menuTemplate as Array<{ label?: string; submenu?: Array<{ label?: string; click?: () => void }> }>).find((m) => m.label === '&File')!;
    const before = contents.sent.length;
    file.submenu![0]!.click!();
    await until(() => contents.sent.length > before, 'the dialog choice');
    expect(contents.sent.at(-1)).toEqual(['app.openRequested', { path: '/picked/c.fits' }]);
  });

  it('disposes the services before quitting for real', async () => {
    const e = fakeEvent();
    app.emit('will-quit', e);
    expect(e.defaultPrevented).toBe(true);
    await until(() => record.calls.includes('quit'), 'the final quit');
    expect(record.ipcHandlers.size).toBe(0);
    expect(record.protocolHandlers.size).toBe(0);
  });
});
