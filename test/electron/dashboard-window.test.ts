import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DashboardWindow, dashboardHash } from '../../electron/window/dashboard-window.js';
import { WindowBoundsStore, isVisibleOnSomeDisplay } from '../../electron/window/window-bounds-store.js';
import { recorded, resetFakeElectron } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

let directory: string;

beforeEach(() => {
  resetFakeElectron();
  directory = mkdtempSync(join(tmpdir(), 'switchboard-window-'));
});

afterEach(() => rmSync(directory, { recursive: true, force: true }));

function dashboard(): DashboardWindow {
  return new DashboardWindow({
    indexHtmlPath: '/app/dist/renderer/index.html',
    preloadPath: '/app/dist-electron/electron/preload.cjs',
    boundsStore: new WindowBoundsStore({ directory }),
  });
}

describe('dashboard window', () => {
  it('is created with every web-security switch on and loads the built dashboard', () => {
    dashboard().show();
    expect(recorded.windows).toHaveLength(1);
    const [window] = recorded.windows;
    expect(window!.options.webPreferences).toMatchObject({
      preload: '/app/dist-electron/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(window!.loads).toEqual([{ file: '/app/dist/renderer/index.html', hash: '' }]);
  });

  it('hides instead of closing, and shows the same window again', () => {
    const subject = dashboard();
    subject.show();
    const [window] = recorded.windows;
    window!.emit('ready-to-show');
    expect(subject.isShown()).toBe(true);

    expect(window!.userCloses()).toBe(true);
    expect(window!.isDestroyed()).toBe(false);
    expect(window!.isVisible()).toBe(false);
    expect(subject.isShown()).toBe(false);

    subject.show();
    expect(recorded.windows).toHaveLength(1);
    expect(window!.isVisible()).toBe(true);
  });

  it('really closes once the app is quitting', () => {
    const subject = dashboard();
    subject.show();
    subject.allowClose();
    expect(recorded.windows[0]!.userCloses()).toBe(false);
    expect(subject.webContents()).toBeNull();
  });

  it('remembers size and position across runs', () => {
    const first = dashboard();
    first.show();
    recorded.windows[0]!.bounds = { x: 300, y: 200, width: 900, height: 640 };
    recorded.windows[0]!.userCloses();

    dashboard().show();
    expect(recorded.windows[1]!.options).toMatchObject({ x: 300, y: 200, width: 900, height: 640 });
  });

  it('ignores a remembered position on a screen that is gone', () => {
    new WindowBoundsStore({ directory }).save({ bounds: { x: 5000, y: 3000, width: 900, height: 640 }, maximized: false });
    dashboard().show();
    expect(recorded.windows[0]!.options).toMatchObject({ width: 1100, height: 760 });
    expect(recorded.windows[0]!.options.x).toBeUndefined();
    expect(isVisibleOnSomeDisplay({ x: 1800, y: 100, width: 900, height: 600 }, [{ x: 0, y: 0, width: 1920, height: 1040 }])).toBe(true);
  });

  it('opens at a server through the page address', () => {
    const subject = dashboard();
    subject.show({ clusterId: 'web', serverId: 'v1' });
    expect(recorded.windows[0]!.loads.at(-1)).toEqual({ file: '/app/dist/renderer/index.html', hash: 'server=web/v1' });
    subject.show({ clusterId: 'crm', serverId: 'app-2' });
    expect(recorded.windows).toHaveLength(1);
    expect(recorded.windows[0]!.loads.at(-1)!.hash).toBe('server=crm/app-2');
    expect(dashboardHash()).toBe('');
  });
});
