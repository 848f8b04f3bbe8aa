/** The desktop app's gateway runner around the real `startSwitchboard`, on loopback. */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayEvent } from '../../proxy/control/control-api.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { silentLogger, type GatewayLogger } from '../../proxy/logs/gateway-logger.js';
import { startSwitchboard } from '../../proxy/switchboard.js';
import { ElectronConfigStore } from '../../electron/electron-config-store.js';
import type { GatewayStatus } from '../../electron/gateway/gateway-status.js';
import { GatewayRunner } from '../../electron/gateway/gateway-runner.js';
import { freePort } from '../../demo/free-port.js';
import { resetFakeElectron } from './fake-electron.js';
import { closeServer } from '../support/loopback-server.js';

vi.mock('electron', () => import('./fake-electron.js'));

let directory: string;
let configStore: ElectronConfigStore;
let statuses: GatewayStatus[];
let errors: string[];
const logger: GatewayLogger = { ...silentLogger, error: (message, fields) => errors.push(`${message} ${JSON.stringify(fields)}`) };

beforeEach(async () => {
  resetFakeElectron();
  directory = mkdtempSync(join(tmpdir(), 'switchboard-runner-'));
  configStore = new ElectronConfigStore({ directory });
  configStore.write(
    (await import('../../proxy/config/config-validation.js')).validateConfig({
      listeners: [{ port: await freePort(), host: '127.0.0.1' }],
      admin: { host: '127.0.0.1', port: await freePort(), token: 'runner-token-0123456789ab' },
    }),
  );
  statuses = [];
  errors = [];
});

afterEach(() => rmSync(directory, { recursive: true, force: true }));

function runner(start = () => startSwitchboard({ configStore, stateStore: new FileStateStore(directory, 'switchboard'), logger })) {
  return new GatewayRunner({ start, logger, onStatusChange: (status) => statuses.push(status) });
}

describe('gateway runner', () => {
  it('starts the real gateway, hands out its control API and stops it', async () => {
    const subject = runner();
    expect(await subject.start()).toBe(true);
    expect(statuses.map((status) => status.kind)).toEqual(['starting', 'running']);
    const state = await subject.control()!.getState();
    expect(state.listeners[0]!.listening).toBe(true);
    const adminUrl = subject.running!.admin.url;
    await subject.stop(1000);
    expect(subject.control()).toBeNull();
    expect(statuses.at(-1)!.kind).toBe('stopping');
    await expect(fetch(`${adminUrl}/api/state`)).rejects.toThrow();
  });

  it('reports a gateway that cannot start instead of throwing', async () => {
    const config = configStore.read() as { admin: { port: number } };
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(config.admin.port, '127.0.0.1', resolve));
    try {
      const subject = runner();
      expect(await subject.start()).toBe(false);
      expect(subject.status.kind).toBe('failed');
      expect(subject.status).toEqual({ kind: 'failed', message: `the admin port ${config.admin.port} on 127.0.0.1 is already in use` });
      expect(subject.control()).toBeNull();
      expect(errors[0]).toContain('gateway could not start');
      await subject.stop(100);
    } finally {
      await closeServer(blocker);
    }
  });

  it('keeps delivering events when one listener throws', async () => {
    const subject = runner();
    await subject.start();
    const received: GatewayEvent[] = [];
    subject.onEvent(() => {
      throw new Error('listener bug');
    });
    subject.onEvent((event) => received.push(event));
    await subject.control()!.as('tray').setPaused(true);
    await vi.waitFor(() => expect(received.some((event) => event.type === 'config')).toBe(true));
    expect(errors.some((line) => line.includes('an event listener failed'))).toBe(true);
    await subject.stop(500);
  });
});
