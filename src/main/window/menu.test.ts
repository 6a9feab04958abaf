import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate, type MenuActions } from './menu';

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.map((i) => i.label ?? i.role ?? i.type ?? '?');
}

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return (item?.submenu ?? []) as MenuItemConstructorOptions[];
}

function recorder() {
  const calls: string[] = [];
  const actions: MenuActions = {
    open: () => calls.push('open'),
    openRecent: (p) => calls.push(`recent:${p}`),
    clearRecent: () => calls.push('clear'),
  };
  return { calls, actions };
}

const click = (item: MenuItemConstructorOptions | undefined): void =>
  (item?.click as unknown as () => void)();

describe('application menu', () => {
  it('has File > Open…, Open Recent (newest first, wired to their paths), Clear Recent, Quit', () => {
    const { calls, actions } = recorder();
    const recent = [
      { path: '/d/R&D.fits', fileName: 'R&D.fits', openedAt: '2026-01-02T00:00:00Z' },
      { path: '/d/b.fits', fileName: 'b.fits', openedAt: '2026-01-01T00:00:00Z' },
    ];
    const menu = buildMenuTemplate({ platform: 'linux', dev: false, recent, actions });
    expect(labels(menu)).toEqual(['&File', '&Edit', '&View', 'windowMenu']);
    const file = submenu(menu[0]);
    expect(labels(file)).toEqual(['&Open…', 'Open &Recent', 'separator', '&Quit']);
    expect(file[0]!.accelerator).toBe('CmdOrCtrl+O');
    click(file[0]);
    const recentMenu = submenu(file[1]);
    expect(labels(recentMenu)).toEqual(['R&&D.fits', 'b.fits', 'separator', 'Clear Recent']);
    click(recentMenu[1]);
    click(recentMenu[3]);
    expect(calls).toEqual(['open', 'recent:/d/b.fits', 'clear']);
    expect(labels(submenu(menu[2]))).toEqual(['togglefullscreen']); // no devtools in a release
  });

  it('has File > Save Session… and Open Session… when the app gives them (keys left to the renderer)', () => {
    const calls: string[] = [];
    const actions: MenuActions = { ...recorder().actions, saveSession: () => calls.push('save'), openSession: () => calls.push('openSession') };
    const file = submenu(buildMenuTemplate({ platform: 'linux', dev: false, recent: [], actions })[0]);
    expect(labels(file)).toEqual(['&Open…', 'Open &Recent', 'separator', '&Save Session…', 'Open Sessio&n…', 'separator', '&Quit']);
    expect(file[3]).toMatchObject({ accelerator: 'CmdOrCtrl+S', registerAccelerator: false });
    click(file[3]);
    click(file[4]);
    expect(calls).toEqual(['save', 'openSession']);
  });

  it('shows an empty Open Recent, the macOS app menu, and devtools in development', () => {
    const { actions } = recorder();
    const menu = buildMenuTemplate({ platform: 'darwin', dev: true, recent: [], actions });
    expect(labels(menu)).toEqual(['CIRASA', '&File', '&Edit', '&View', 'windowMenu']);
    const file = submenu(menu[1]);
    expect(labels(file)).toEqual(['&Open…', 'Open &Recent']); // Quit lives in the app menu on macOS
    const recentMenu = submenu(file[1]);
    expect(recentMenu[0]).toMatchObject({ label: 'No recent files', enabled: false });
    expect(recentMenu.at(-1)).toMatchObject({ label: 'Clear Recent', enabled: false });
    expect(labels(submenu(menu[3]))).toContain('toggleDevTools');
  });
});
