/**
 * Attach mode end to end: a real headless gateway on loopback stands in for the Windows service
 * (its settings and the installer's marker in a temporary ProgramData folder), and the whole main
 * process runs against it with only `electron` faked. The app must start no gateway of its own,
 * and its tray, notifications and dashboard must work through the admin API, including while the
 * service goes away and comes back.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import type { GatewayEvent } from '../../proxy/control/control-api.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { startSwitchboard, type RunningSwitchboard } from '../../proxy/switchboard.js';
import { freePort } from '../../demo/free-port.js';
import { INVOKE_CHANNEL, type InvokeResult } from '../../electron/ipc-channels.js';
import { SERVICE_DIR_ENV, SERVICE_MARKER_FILE } from '../../electron/service/service-layout.js';
import { portIsOpen } from '../support/loopback-server.js';
import { startBackends, stopBackends, type TestBackend } from '../support/test-backend.js';
import { emitAppEvent, recorded, resetFakeElectron, type FakeTray } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

const TOKEN = 'service-admin-token-0123456789';

let serviceDir: string;
let backends: TestBackend[];
let service: RunningSwitchboard | null;
let serviceEvents: GatewayEvent[];
let listenerPort: number;
let adminPort: number;

beforeEach(async () => {
  resetFakeElectron();
  rmSync(recorded.userData, { recursive: true, force: true });
  mkdirSync(recorded.userData, { recursive: true });
  serviceDir = mkdtempSync(join(tmpdir(), 'switchboard-programdata-'));
  backends = await startBackends('v1', 'v2');
  listenerPort = await freePort();
  adminPort = await freePort();
  writeFileSync(
    join(serviceDir, 'switchboard.json'),
    JSON.stringify({
      listeners: [{ port: listenerPort, host: '127.0.0.1' }],
      admin: { host: '127.0.0.1', port: adminPort, token: TOKEN },
      routes: [{ cluster: 'web' }],
      clusters: [
        {
          id: 'web',
          name: 'Intranet',
          servers: [
            { id: 'v1', name: 'App 1.0', url: backends[0]!.url, capacity: 60 },
            { id: 'v2', name: 'App 1.1', url: backends[1]!.url, capacity: 40 },
          ],
        },
      ],
    }),
  );
  writeFileSync(join(serviceDir, SERVICE_MARKER_FILE), 'SwitchboardGateway\r\n');
  await startService();
  process.env[SERVICE_DIR_ENV] = serviceDir;
  vi.resetModules();
});

afterEach(async () => {
  if (recorded.trays.length > 0 && !recorded.appCalls.some((call) => call.startsWith('exit'))) {
    emitAppEvent('before-quit', { preventDefault: () => {} });
    await vi.waitFor(() => expect(recorded.appCalls.some((call) => call.startsWith('exit'))).toBe(true), { timeout: 15_000 });
  }
  delete process.env[SERVICE_DIR_ENV];
  await service?.stop({ graceMs: 0 });
  await stopBackends(backends);
  rmSync(serviceDir, { recursive: true, force: true });
  rmSync(recorded.userData, { recursive: true, force: true });
});

async function startService(): Promise<void> {
  const configStore = new FileConfigStore(join(serviceDir, 'switchboard.json'));
  service = await startSwitchboard({ configStore, stateStore: new FileStateStore(serviceDir, 'switchboard'), logger: silentLogger });
  serviceEvents = [];
  service.control.subscribe((event) => {
    if (event.type !== 'stats') serviceEvents.push(event);
  });
}

async function stopService(): Promise<void> {
  await service?.stop({ graceMs: 0 });
  service = null;
}

async function startMain(): Promise<FakeTray> {
  await import('../../electron/main.js');
  await vi.waitFor(() => expect(recorded.trays[0]?.tooltip ?? '').toMatch(/^Switchboard — (?!starting)/), { timeout: 15_000 });
  return recorded.trays[0]!;
}

function menuItem(tray: FakeTray, id: string): MenuItemConstructorOptions {
  const search = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions | null => {
    for (const item of items) {
      if (item.id === id) return item;
      if (Array.isArray(item.submenu)) {
        const found = search(item.submenu);
        if (found) return found;
      }
    }
    return null;
  };
  const found = search((tray.menu?.template ?? []) as MenuItemConstructorOptions[]);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
}

function click(tray: FakeTray, id: string): void {
  (menuItem(tray, id).click as () => void)();
}

function dashboardEvent() {
  return {
    sender: recorded.windows[0]!.webContents,
    senderFrame: { url: pathToFileURL(join(process.cwd(), 'dist', 'renderer', 'index.html')).href },
  };
}

describe('attach mode (the gateway runs as the Windows service)', () => {
  it('starts no gateway of its own and shows the service in the tray', async () => {
    const tray = await startMain();
    expect(tray.tooltip).toBe('Switchboard — 2 active; 0 sessions');
    expect(menuItem(tray, 'mode').label).toBe('Gateway: Windows service');
    expect(menuItem(tray, 'quit').label).toBe('Quit (the service keeps running)');
    expect(menuItem(tray, 'service-stop').enabled).toBe(true);
    expect(menuItem(tray, 'service-start').enabled).toBe(false);
    // The app's own settings were never created: no gateway ran here.
    expect(existsSync(join(recorded.userData, 'switchboard.json'))).toBe(false);
  });

  it('serves the dashboard through the attached client, marking its changes as the dashboard’s', async () => {
    await startMain();
    const invoke = recorded.ipcHandlers.get(INVOKE_CHANNEL)!;
    const state = (await invoke(dashboardEvent(), 'getState', [])) as InvokeResult;
    expect(state.ok && (state.value as { clusters: { name: string }[] }).clusters[0]!.name).toBe('Intranet');

    const drained = (await invoke(dashboardEvent(), 'updateServer', ['web', 'v2', { capacity: 10 }])) as InvokeResult;
    expect(drained.ok).toBe(true);
    expect((await service!.control.getConfig()).clusters[0]!.servers[1]!.capacity).toBe(10);
    expect(serviceEvents.filter((event) => event.type === 'config').at(-1)).toMatchObject({ source: 'dashboard' });

    const invalid = (await invoke(dashboardEvent(), 'updateServer', ['web', 'v2', { capacity: 500 }])) as InvokeResult;
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(invalid.ok === false && invalid.error.issues[0]?.path).toContain('capacity');
  });

  it('drains from the tray, marked as the tray’s, and notifies when the server has drained', async () => {
    const tray = await startMain();
    click(tray, 'server:web/v2:drain');
    await vi.waitFor(async () => expect((await service!.control.getConfig()).clusters[0]!.servers[1]!.capacity).toBe(0), { timeout: 10_000 });
    expect(serviceEvents.filter((event) => event.type === 'config').at(-1)).toMatchObject({ source: 'tray' });
    await vi.waitFor(() => expect(recorded.notifications.map((n) => `${n.title}: ${n.body}`)).toContain('Server drained: App 1.1 has no sessions left — safe to stop'), {
      timeout: 10_000,
    });
    await vi.waitFor(() => expect(menuItem(tray, 'server:web/v2').label).toBe('App 1.1: drained, safe to stop, 0 sessions'), { timeout: 10_000 });
    // v1 is now the last active server: draining it asks first, and Cancel changes nothing.
    recorded.messageBoxResponse = 1;
    click(tray, 'server:web/v1:drain');
    await vi.waitFor(() => expect(recorded.messageBoxes).toHaveLength(1));
    expect(recorded.messageBoxes[0]!.message).toBe('Drain App 1.0? Intranet will take no new users.');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await service!.control.getConfig()).clusters[0]!.servers[0]!.capacity).toBe(60);
  });

  it('says when the service is unreachable, and recovers when it is back', async () => {
    const tray = await startMain();
    const goodIcon = tray.image;
    await stopService();
    await vi.waitFor(() => expect(tray.tooltip).toMatch(/^Switchboard — service unreachable: /), { timeout: 10_000 });
    expect(tray.image).not.toBe(goodIcon);
    expect(menuItem(tray, 'service-start').enabled).toBe(true);
    expect(menuItem(tray, 'service-stop').enabled).toBe(false);
    const invoke = recorded.ipcHandlers.get(INVOKE_CHANNEL)!;
    const failed = (await invoke(dashboardEvent(), 'getState', [])) as InvokeResult;
    expect(failed.ok === false && failed.error.message).toMatch(/cannot be reached/);

    await startService();
    await vi.waitFor(() => expect(tray.tooltip).toBe('Switchboard — 2 active; 0 sessions'), { timeout: 15_000 });
    expect(tray.image).toBe(goodIcon);
    // Events flow again: a change made elsewhere reaches the tray.
    await service!.control.as('api').drainServer('web', 'v2');
    await vi.waitFor(() => expect(menuItem(tray, 'server:web/v2').label).toMatch(/^App 1\.1: drained/), { timeout: 10_000 });
  });

  it('follows the service to a new admin port and token after a restart with changed settings', async () => {
    const tray = await startMain();
    await stopService();
    await vi.waitFor(() => expect(tray.tooltip).toMatch(/^Switchboard — service unreachable: /), { timeout: 10_000 });
    // Past the first look at the unchanged settings (5 s after the loss), so later looks must follow.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const configPath = join(serviceDir, 'switchboard.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { admin: { port: number; token: string } };
    config.admin = { ...config.admin, port: await freePort(), token: 'rotated-service-token-0123456789' };
    writeFileSync(configPath, JSON.stringify(config));
    await startService();
    await vi.waitFor(() => expect(tray.tooltip).toBe('Switchboard — 2 active; 0 sessions'), { timeout: 20_000 });
    click(tray, 'copy-console-link');
    expect(recorded.clipboardText).toBe(`http://127.0.0.1:${config.admin.port}/#token=rotated-service-token-0123456789`);
  }, 40_000);

  it('Stop service asks first and then runs the elevated command', async () => {
    const tray = await startMain();
    recorded.messageBoxResponse = 1;
    click(tray, 'service-stop');
    await vi.waitFor(() => expect(recorded.messageBoxes).toHaveLength(1));
    expect(recorded.messageBoxes[0]).toMatchObject({ type: 'warning', buttons: ['Stop service', 'Cancel'], cancelId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorded.errorBoxes).toEqual([]);
    recorded.messageBoxResponse = 0;
    click(tray, 'service-stop');
    // Off Windows there is no powershell.exe: the attempt fails and says so, the tray stays.
    if (process.platform !== 'win32') {
      await vi.waitFor(() => expect(recorded.errorBoxes.map((box) => box.title)).toEqual(['Stop service failed']), { timeout: 10_000 });
    }
  });

  it('Quit closes the tray and leaves the service running', async () => {
    const tray = await startMain();
    emitAppEvent('before-quit', { preventDefault: () => {} });
    await vi.waitFor(() => expect(recorded.appCalls).toContain('exit 0'), { timeout: 10_000 });
    expect(tray.destroyed).toBe(true);
    expect(await portIsOpen(listenerPort)).toBe(true);
    expect(await portIsOpen(adminPort)).toBe(true);
  });
});
