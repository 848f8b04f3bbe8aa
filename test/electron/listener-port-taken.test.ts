/**
 * The desktop app with its listener port taken keeps running (unlike headless mode, which exits):
 * the gateway runner reports it as running, and the snapshot the tray shows names the port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { validateConfig } from '../../proxy/config/config-validation.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { startSwitchboard } from '../../proxy/switchboard.js';
import { ElectronConfigStore } from '../../electron/electron-config-store.js';
import { GatewayRunner } from '../../electron/gateway/gateway-runner.js';
import { statusSummary, trayHealth } from '../../electron/tray/tray-health.js';
import { freePort } from '../../demo/free-port.js';
import { resetFakeElectron } from './fake-electron.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

vi.mock('electron', () => import('./fake-electron.js'));

let directory: string;
let blocker: http.Server;

beforeEach(async () => {
  resetFakeElectron();
  directory = mkdtempSync(join(tmpdir(), 'switchboard-port-taken-'));
  blocker = http.createServer();
  await listenOnLoopback(blocker);
});

afterEach(async () => {
  await closeServer(blocker);
  rmSync(directory, { recursive: true, force: true });
});

it('keeps the desktop gateway running with the taken port reported for the tray', async () => {
  const takenPort = (blocker.address() as AddressInfo).port;
  const configStore = new ElectronConfigStore({ directory });
  configStore.write(
    validateConfig({
      listeners: [{ port: takenPort, host: '127.0.0.1' }],
      admin: { host: '127.0.0.1', port: await freePort(), token: 'desktop-token-0123456789' },
    }),
  );
  const runner = new GatewayRunner({
    start: () => startSwitchboard({ configStore, stateStore: new FileStateStore(directory, 'switchboard'), logger: silentLogger }),
    logger: silentLogger,
  });
  try {
    expect(await runner.start()).toBe(true);
    expect(runner.status.kind).toBe('running');
    const snapshot = await runner.control()!.getState();
    expect(snapshot.listeners[0]).toMatchObject({
      listening: false,
      error: `port ${takenPort} on 127.0.0.1 is already in use by another program (EADDRINUSE)`,
    });
    expect(trayHealth(snapshot, runner.status)).toBe('down');
    expect(statusSummary(snapshot, runner.status)).toBe(`cannot listen on port ${takenPort}`);
  } finally {
    await runner.stop(100);
  }
});
