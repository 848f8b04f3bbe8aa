/**
 * The whole main process wired together, with the real gateway on loopback and only `electron`
 * faked: single instance, window, tray, IPC, recovery from damaged settings, graceful quit.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../../proxy/config/config-validation.js';
import { INVOKE_CHANNEL, type InvokeResult } from '../../electron/ipc-channels.js';
import { freePort } from '../../demo/free-port.js';
import { emitAppEvent, recorded, resetFakeElectron } from './fake-electron.js';
import { launchMain } from './launch-main.js';
import { closeServer, portIsOpen } from '../support/loopback-server.js';

vi.mock('electron', () => import('./fake-electron.js'));

let listenerPort: number;
let adminPort: number;

beforeEach(async () => {
  resetFakeElectron();
  rmSync(recorded.userData, { recursive: true, force: true });
  mkdirSync(recorded.userData, { recursive: true });
  listenerPort = await freePort();
  adminPort = await freePort();
  vi.resetModules();
});

afterEach(async () => {
  // Whatever a test left running is stopped the way the app quits.
  if (recorded.trays.length > 0 && !recorded.appCalls.some((call) => call.startsWith('exit'))) {
    emitAppEvent('before-quit', { preventDefault: () => {} });
    await vi.waitFor(() => expect(recorded.appCalls.some((call) => call.startsWith('exit'))).toBe(true), { timeout: 15_000 });
  }
});

afterAll(() => rmSync(recorded.userData, { recursive: true, force: true }));

function writeSettings(text: string): void {
  writeFileSync(join(recorded.userData, 'switchboard.json'), text);
}

function goodSettings(): string {
  return JSON.stringify(
    validateConfig({
      listeners: [{ port: listenerPort, host: '127.0.0.1' }],
      admin: { host: '127.0.0.1', port: adminPort, token: 'main-process-token-0123456789' },
      routes: [{ cluster: 'web' }],
      clusters: [{ id: 'web', name: 'Intranet', servers: [{ id: 'v1', name: 'App 1.0', url: 'http://127.0.0.1:9', capacity: 100 }] }],
    }),
  );
}

async function startMain(argv: string[] = []): Promise<void> {
  await launchMain(argv);
  await vi.waitFor(() => expect(recorded.trays[0]?.tooltip ?? '').toMatch(/^Switchboard — (?!starting)/), { timeout: 15_000 });
}

function trustedEvent() {
  const window = recorded.windows[0]!;
  return {
    sender: window.webContents,
    senderFrame: { url: `${pathToFileURL(join(process.cwd(), 'dist', 'renderer')).href}/index.html` },
  };
}

describe('main process', () => {
  it('starts the gateway, the tray and the window, and serves the dashboard over IPC', async () => {
    writeSettings(goodSettings());
    await startMain();
    expect(recorded.appCalls).toContain('setAppUserModelId com.switchboard.desktop');
    expect(recorded.trays).toHaveLength(1);
    expect(recorded.trays[0]!.tooltip).toBe('Switchboard — 1 active; 0 sessions');
    expect(recorded.windows).toHaveLength(1);
    expect(await portIsOpen(listenerPort)).toBe(true);

    const invoke = recorded.ipcHandlers.get(INVOKE_CHANNEL)!;
    const state = (await invoke(trustedEvent(), 'getState', [])) as InvokeResult;
    expect(state.ok).toBe(true);
    const stranger = (await invoke({ sender: {}, senderFrame: { url: 'https://evil.example/' } }, 'setPaused', [true])) as InvokeResult;
    expect(stranger).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Our own window showing anything but the dashboard page is no better.
    for (const url of ['data:text/html,<script>1</script>', 'devtools://devtools/bundled/devtools_app.html']) {
      const framed = (await invoke({ sender: recorded.windows[0]!.webContents, senderFrame: { url } }, 'setPaused', [true])) as InvokeResult;
      expect(framed, url).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('opens the web console in the browser and copies its link, with the token, from the tray', async () => {
    writeSettings(goodSettings());
    await startMain();
    const template = recorded.trays[0]!.menu!.template as { id?: string; label?: string; click?: () => void }[];
    expect(template.find((item) => item.id === 'mode')?.label).toBe('Gateway: in this app');
    template.find((item) => item.id === 'open-console')!.click!();
    template.find((item) => item.id === 'copy-console-link')!.click!();
    const link = `http://127.0.0.1:${adminPort}/#token=main-process-token-0123456789`;
    expect(recorded.openedExternally).toEqual([link]);
    expect(recorded.clipboardText).toBe(link);
  });

  it('stays in the tray when started at login, and a second launch opens the window', async () => {
    writeSettings(goodSettings());
    await startMain(['--start-hidden']);
    expect(recorded.windows).toHaveLength(0);
    emitAppEvent('second-instance', {}, ['Switchboard.exe']);
    expect(recorded.windows).toHaveLength(1);
  });

  it('applies the installer option to start at login, from the first launch or a second one', async () => {
    writeSettings(goodSettings());
    await startMain(['--enable-start-at-login']);
    expect(recorded.loginItem.openAtLogin).toBe(true);
    expect(recorded.windows).toHaveLength(0);
    setLoginOff();
    emitAppEvent('second-instance', {}, ['Switchboard.exe', '--enable-start-at-login']);
    expect(recorded.loginItem.openAtLogin).toBe(true);
  });

  it('quits when another instance already runs', async () => {
    recorded.singleInstanceLock = false;
    await import('../../electron/main.js');
    expect(recorded.appCalls).toEqual(['quit']);
    expect(recorded.trays).toHaveLength(0);
  });

  it('starts with the last good settings over damaged ones and tells the user where the old file went', async () => {
    writeSettings('{"listeners": [');
    const original = goodSettings();
    writeFileSync(join(recorded.userData, 'switchboard.last-good.json'), original);
    await startMain();
    expect(recorded.messageBoxes).toHaveLength(1);
    expect(recorded.messageBoxes[0]!.message).toBe('Switchboard started with the last settings that worked.');
    const backups = readdirSync(recorded.userData).filter((name) => name.startsWith('switchboard.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(String(recorded.messageBoxes[0]!.detail)).toContain(backups[0]);
    expect(await portIsOpen(listenerPort)).toBe(true);
  });

  it('shows a gateway that cannot start in the tray, and keeps running', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(adminPort, '127.0.0.1', resolve));
    try {
      writeSettings(goodSettings());
      await startMain();
      expect(recorded.trays[0]!.tooltip).toBe(`Switchboard — gateway stopped: the admin port ${adminPort} on 127.0.0.1 is already in use`);
      expect(recorded.trays[0]!.destroyed).toBe(false);
      expect(recorded.messageBoxes.map((box) => box.message)).toEqual(['The gateway could not start.']);
      expect(recorded.appCalls.filter((call) => call.startsWith('exit'))).toEqual([]);
    } finally {
      await closeServer(blocker);
    }
  });

  it('quits gracefully: the close is held until the gateway has stopped', async () => {
    writeSettings(goodSettings());
    await startMain();
    let prevented = false;
    emitAppEvent('before-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(recorded.appCalls).toContain('exit 0'), { timeout: 15_000 });
    expect(await portIsOpen(listenerPort)).toBe(false);
    expect(recorded.trays[0]!.destroyed).toBe(true);
    expect(readdirSync(recorded.userData)).toContain('switchboard.sessions');
  });
});

function setLoginOff(): void {
  recorded.loginItem = { openAtLogin: false, args: [], name: undefined };
}
