/**
 * The desktop settings store on real files in a temporary folder (electron-store's `cwd`), with
 * only the `electron` module faked.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileConfigStore, loadOrCreateConfig } from '../../proxy/config/config-store.js';
import { validateConfig } from '../../proxy/config/config-validation.js';
import { Gateway } from '../../proxy/gateway.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { ElectronConfigStore, type ConfigRecovery } from '../../electron/electron-config-store.js';
import { freePort } from '../../demo/free-port.js';
import { resetFakeElectron } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

let directory: string;
let recoveries: ConfigRecovery[];

beforeEach(() => {
  resetFakeElectron();
  directory = mkdtempSync(join(tmpdir(), 'switchboard-settings-'));
  recoveries = [];
});

afterEach(() => rmSync(directory, { recursive: true, force: true }));

function openStore(): ElectronConfigStore {
  return new ElectronConfigStore({ directory, onRecovered: (recovery) => recoveries.push(recovery) });
}

async function validConfig(capacity: number) {
  return validateConfig({
    listeners: [{ port: await freePort(), host: '127.0.0.1' }],
    admin: { host: '127.0.0.1', port: await freePort(), token: 'desktop-token-0123456789' },
    routes: [{ cluster: 'web' }],
    clusters: [{ id: 'web', name: 'Intranet', servers: [{ id: 'v1', name: 'App 1.0', url: 'http://127.0.0.1:3001', capacity }] }],
  });
}

function backups(): string[] {
  return readdirSync(directory).filter((name) => name.startsWith('switchboard.corrupt-'));
}

describe('ElectronConfigStore', () => {
  it('creates defaults on first run, in the file format headless mode reads', () => {
    const store = openStore();
    expect(store.location).toBe(join(directory, 'switchboard.json'));
    expect(store.read()).toBeUndefined();
    const config = loadOrCreateConfig(store);
    expect(config.admin.token.length).toBeGreaterThanOrEqual(16);
    expect(existsSync(store.location)).toBe(true);
    // The same document through headless mode's store.
    expect(loadOrCreateConfig(new FileConfigStore(store.location))).toEqual(config);
    expect(recoveries).toEqual([]);
  });

  it('reads back what it wrote, and what headless mode wrote', async () => {
    const store = openStore();
    const config = await validConfig(70);
    store.write(config);
    expect(validateConfig(openStore().read())).toEqual(config);

    const headlessWritten = await validConfig(30);
    new FileConfigStore(store.location).write(headlessWritten);
    expect(validateConfig(openStore().read())).toEqual(headlessWritten);
  });

  it('moves a file that is not JSON aside and starts with defaults when there is no good copy', () => {
    writeFileSync(join(directory, 'switchboard.json'), '{"listeners": [ {"port": 80');
    const store = openStore();
    const config = loadOrCreateConfig(store);

    expect(backups()).toHaveLength(1);
    expect(readFileSync(join(directory, backups()[0]!), 'utf8')).toBe('{"listeners": [ {"port": 80');
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]!).toMatchObject({ startedWith: 'defaults', backupPath: join(directory, backups()[0]!) });
    expect(recoveries[0]!.reason).toContain('not valid JSON');
    expect(config.clusters).toEqual([]);
    expect(validateConfig(JSON.parse(readFileSync(store.location, 'utf8')))).toEqual(config);
  });

  it('falls back to the last good settings when the file is damaged later', async () => {
    const good = await validConfig(70);
    openStore().write(good);
    writeFileSync(join(directory, 'switchboard.json'), '\u0000\u0000garbage');

    const store = openStore();
    expect(loadOrCreateConfig(store)).toEqual(good);
    expect(recoveries.map((recovery) => recovery.startedWith)).toEqual(['last-good']);
    expect(backups()).toHaveLength(1);
    expect(validateConfig(JSON.parse(readFileSync(store.location, 'utf8')))).toEqual(good);
  });

  it('treats a file that fails validation the same way, naming the field', async () => {
    const good = await validConfig(70);
    const store = openStore();
    store.write(good);
    expect(store.read()).toBeDefined();
    const broken = JSON.parse(readFileSync(store.location, 'utf8'));
    broken.clusters[0].servers[0].capacity = 150;
    writeFileSync(store.location, JSON.stringify(broken));

    expect(loadOrCreateConfig(openStore())).toEqual(good);
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]!.reason).toBe('clusters[0].servers[0].capacity must be 0–100');
    expect(JSON.parse(readFileSync(join(directory, backups()[0]!), 'utf8')).clusters[0].servers[0].capacity).toBe(150);
  });

  it('writes over a damaged file that was never read, keeping a backup', async () => {
    writeFileSync(join(directory, 'switchboard.json'), 'not json');
    const store = openStore();
    const config = await validConfig(40);
    store.write(config);
    expect(backups()).toHaveLength(1);
    expect(validateConfig(store.read())).toEqual(config);
  });

  it('lets a real gateway start over a damaged settings file', async () => {
    const good = await validConfig(70);
    openStore().write(good);
    writeFileSync(join(directory, 'switchboard.json'), '{ oops');
    const gateway = new Gateway({ configStore: openStore(), stateStore: new FileStateStore(directory, 'switchboard') });
    await gateway.start();
    try {
      const state = gateway.snapshot();
      expect(state.clusters.map((cluster) => cluster.id)).toEqual(['web']);
      expect(state.listeners[0]!.listening).toBe(true);
      expect(recoveries.map((recovery) => recovery.startedWith)).toEqual(['last-good']);
    } finally {
      await gateway.stop({ graceMs: 100 });
    }
  });
});
