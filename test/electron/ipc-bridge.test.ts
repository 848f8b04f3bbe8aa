/**
 * The IPC bridge end to end: the preload's `window.switchboard` on one side, the main-process
 * handlers and a real gateway on the other, with only Electron's IPC transport faked.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayEvent } from '../../proxy/control/control-api.js';
import type { ControlApi } from '../../proxy/control/control-api.js';
import { ControlError, type ControlFailure } from '../../proxy/control/control-error.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../electron/ipc-channels.js';
import type { SwitchboardBridge } from '../../renderer/bridge-types.js';
import { createBridgeControlClient } from '../../renderer/src/bridge-control-client.js';
import { issuesOf, messageOf } from '../../renderer/src/control-client-error.js';
import { registerIpcHandlers, type IpcBridge } from '../../electron/ipc-handlers.js';
import { startGateway, type Harness } from '../support/gateway-harness.js';
import { startBackends, stopBackends, type TestBackend } from '../support/test-backend.js';
import { FakeWebContents, ipcRenderer, recorded, resetFakeElectron } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

interface Bridge {
  invoke(method: string, ...args: unknown[]): Promise<unknown>;
  onEvent(listener: (event: GatewayEvent) => void): () => void;
}

const TRUSTED = { trusted: true };

let backends: TestBackend[];
let harness: Harness;
let bridge: IpcBridge;
let page: Bridge;
let contents: FakeWebContents;
let shown: boolean;
let running: boolean;
/** When set, the main process calls this instead of the real gateway's control API. */
let controlOverride: ControlApi | null;
let configEvents: GatewayEvent[];

beforeEach(async () => {
  resetFakeElectron();
  backends = await startBackends('v1', 'v2');
  harness = await startGateway([
    {
      id: 'web',
      name: 'Intranet',
      servers: [
        { id: 'v1', name: 'App 1.0', url: backends[0]!.url, capacity: 60 },
        { id: 'v2', name: 'App 1.1', url: backends[1]!.url, capacity: 40 },
      ],
    },
  ]);
  configEvents = [];
  harness.control.subscribe((event) => {
    if (event.type === 'config') configEvents.push(event);
  });
  contents = new FakeWebContents();
  // What the page's webContents.send delivers arrives in the page's ipcRenderer.
  contents.send = (channel: string, payload: unknown) => {
    contents.sent.push({ channel, payload });
    ipcRenderer.emit(channel, {}, payload);
  };
  shown = true;
  running = true;
  controlOverride = null;
  bridge = registerIpcHandlers({
    control: () => (running ? (controlOverride ?? harness.control) : null),
    isTrustedSender: (event) => event === (TRUSTED as unknown),
    target: { webContents: () => contents as never, isShown: () => shown },
  });
  recorded.rendererInvokeEvent = TRUSTED;
  vi.resetModules();
  await import('../../electron/preload.js');
  page = recorded.exposedInMainWorld.get('switchboard') as Bridge;
});

afterEach(async () => {
  bridge.dispose();
  await harness.stop();
  await stopBackends(backends);
});

async function rejection(promise: Promise<unknown>): Promise<ControlFailure> {
  try {
    await promise;
  } catch (error) {
    return error as ControlFailure;
  }
  throw new Error('expected the call to fail');
}

describe('preload bridge', () => {
  it('exposes only invoke and onEvent as window.switchboard', () => {
    expect([...recorded.exposedInMainWorld.keys()]).toEqual(['switchboard']);
    expect(Object.keys(page).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('reads the state and changes a server, with source "dashboard"', async () => {
    const state = (await page.invoke('getState')) as { clusters: { servers: { id: string; state: string }[] }[] };
    expect(state.clusters[0]!.servers.map((server) => server.id)).toEqual(['v1', 'v2']);

    await page.invoke('updateServer', 'web', 'v1', { capacity: 25 });
    const config = await harness.control.getConfig();
    expect(config.clusters[0]!.servers[0]!.capacity).toBe(25);
    expect(configEvents.at(-1)).toMatchObject({ type: 'config', source: 'dashboard' });

    await page.invoke('drainServer', 'web', 'v2');
    expect((await harness.control.getConfig()).clusters[0]!.servers[1]).toMatchObject({ capacity: 0, drainedFromCapacity: 40 });
    expect(configEvents.at(-1)).toMatchObject({ source: 'dashboard' });
  });

  it('probes a URL for the console’s Test button and checks its arguments', async () => {
    const report = (await page.invoke('probeServer', 'web', { url: backends[1]!.url })) as { ok: boolean; durationMs: number };
    expect(report.ok).toBe(true);
    expect(report.durationMs).toBeGreaterThan(0);
    const bad = await rejection(page.invoke('probeServer', 'web', { url: 'ftp://x/' }));
    expect(bad).toMatchObject({ code: 'invalid', issues: [{ path: 'url' }] });
  });

  it("gives a server's history through the bridge and refuses an unknown server", async () => {
    const history = (await page.invoke('getHistory', 'web', 'v1')) as { clusterId: string; serverId: string; points: unknown[] };
    expect(history).toMatchObject({ clusterId: 'web', serverId: 'v1' });
    expect(Array.isArray(history.points)).toBe(true);
    expect(await rejection(page.invoke('getHistory', 'web', 'nope'))).toMatchObject({ code: 'not-found' });
  });

  it('ends a session by its shown id, and says when there is no such session', async () => {
    const missing = await rejection(page.invoke('endSession', 'web', 'v1', 'abcdefgh'));
    expect(missing).toMatchObject({ code: 'not-found' });
    const empty = await rejection(page.invoke('endSession', 'web', 'v1', ''));
    expect(empty).toMatchObject({ code: 'invalid', issues: [{ path: 'sessionId' }] });
  });

  it('binds the caller in the main process: the page passes no source, and its changes are the dashboard’s', async () => {
    await page.invoke('setPaused', true);
    expect((await harness.control.getState()).paused).toBe(true);
    expect(configEvents.at(-1)).toMatchObject({ source: 'dashboard' });
    const named = await rejection(page.invoke('setPaused', false, 'dashboard'));
    expect(named.code).toBe('invalid');
    expect((await harness.control.getState()).paused).toBe(true);
  });

  it('changes gateway-wide settings, and names the bad field of a bad one', async () => {
    await page.invoke('updateSettings', { trustedProxies: ['10.0.0.0/8'] });
    expect((await harness.control.getConfig()).trustedProxies).toEqual(['10.0.0.0/8']);
    const error = await rejection(page.invoke('updateSettings', { trustedProxies: ['not-an-address'] }));
    expect(error.issues).toEqual([{ path: 'trustedProxies[0]', message: 'must be an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8' }]);
  });

  it('forwards a partial patch untouched: renaming keeps the capacity', async () => {
    await page.invoke('updateServer', 'web', 'v2', { name: 'App 1.1 (new)' });
    const server = (await harness.control.getConfig()).clusters[0]!.servers[1]!;
    expect(server).toMatchObject({ name: 'App 1.1 (new)', capacity: 40, enabled: true });
  });

  it('rejects unknown methods, including subscribe', async () => {
    for (const method of ['subscribe', 'stop', '__proto__', 'constructor']) {
      const error = await rejection(page.invoke(method));
      expect(error.code).toBe('invalid');
      expect(error.message).toContain('unknown method');
    }
  });

  it('rejects invalid arguments with field issues, and changes nothing', async () => {
    const before = await harness.control.getConfig();

    const capacity = await rejection(page.invoke('updateServer', 'web', 'v1', { capacity: 150 }));
    expect(capacity.code).toBe('invalid');
    expect(capacity.issues).toEqual([{ path: 'capacity', message: 'must be 0–100' }]);
    expect(capacity.message).toBe('invalid arguments for updateServer: capacity must be 0–100');

    const unknownField = await rejection(page.invoke('updateServer', 'web', 'v1', { capacity: 10, weight: 3 }));
    expect(unknownField.issues[0]!.message).toBe('has unknown field "weight"');

    const badUrl = await rejection(page.invoke('addServer', 'web', { name: 'x', url: 'ftp://example' }));
    expect(badUrl.issues[0]).toMatchObject({ path: 'url' });

    const badId = await rejection(page.invoke('drainServer', 'web', '../v1'));
    expect(badId.issues[0]!.path).toBe('serverId');

    // The page may not speak for another source: there is no argument for one.
    const otherSource = await rejection(page.invoke('drainServer', 'web', 'v1', 'tray'));
    expect(otherSource.code).toBe('invalid');
    const tooMany = await rejection(page.invoke('removeServer', 'web', 'v1', 'extra'));
    expect(tooMany.code).toBe('invalid');

    const notBoolean = await rejection(page.invoke('setPaused', 'yes'));
    expect(notBoolean.issues[0]).toEqual({ path: 'paused', message: 'must be true or false' });

    expect(await harness.control.getConfig()).toEqual(before);
    expect(configEvents).toEqual([]);
  });

  it('passes control errors on as {code, message, issues}', async () => {
    const error = await rejection(page.invoke('drainServer', 'web', 'nope'));
    expect(error.code).toBe('not-found');
    expect(typeof error.message).toBe('string');
    expect(error.issues).toEqual([]);
    expect(Object.keys(error).sort()).toEqual(['code', 'issues', 'message']);
  });

  it('answers "unavailable" while the gateway is not running', async () => {
    running = false;
    const error = await rejection(page.invoke('getState'));
    expect(error.code).toBe('unavailable');
  });

  it('refuses callers other than the dashboard page', async () => {
    recorded.rendererInvokeEvent = { trusted: false };
    const error = await rejection(page.invoke('setPaused', true));
    expect(error.code).toBe('forbidden');
    expect((await harness.control.getState()).paused).toBe(false);
  });

  it('delivers events to the page, and stops stats while the window is hidden', async () => {
    const received: GatewayEvent[] = [];
    const stop = page.onEvent((event) => received.push(event));
    const stats: GatewayEvent = { type: 'stats', at: 1, snapshot: await harness.control.getState() };
    const config: GatewayEvent = { type: 'config', at: 2, source: 'api', summary: 'changed' };

    bridge.sendEvent(stats);
    shown = false;
    bridge.sendEvent(stats);
    bridge.sendEvent(config);
    shown = true;
    stop();
    bridge.sendEvent(config);

    expect(received.map((event) => event.type)).toEqual(['stats', 'config']);
    expect(contents.sent.map((message) => [message.channel, (message.payload as GatewayEvent).type])).toEqual([
      [EVENT_CHANNEL, 'stats'],
      [EVENT_CHANNEL, 'config'],
      [EVENT_CHANNEL, 'config'],
    ]);
  });

  it('registers one invoke handler and removes it on dispose', () => {
    expect([...recorded.ipcHandlers.keys()]).toEqual([INVOKE_CHANNEL]);
    bridge.dispose();
    expect(recorded.ipcHandlers.size).toBe(0);
    bridge = registerIpcHandlers({ control: () => null, isTrustedSender: () => true, target: { webContents: () => null, isShown: () => true } });
  });
});

describe('errors as the dashboard shows them', () => {
  it('shows the text of a main-process error without field issues, never "[object Object]"', async () => {
    const failing = { getState: () => Promise.reject(new Error('the configuration file is locked by another program')) };
    controlOverride = { ...failing, as: () => failing } as unknown as ControlApi;
    const client = createBridgeControlClient(page as unknown as SwitchboardBridge);
    const error = await client.getState().then(
      () => expect.unreachable('getState should have failed'),
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ControlError);
    expect(error).toMatchObject({ code: 'internal', issues: [] });
    expect(messageOf(error)).toBe('the configuration file is locked by another program');
  });

  it('gives a not-found error its message and an invalid one its field issues, as ControlErrors', async () => {
    const client = createBridgeControlClient(page as unknown as SwitchboardBridge);
    const missing = await client.drainServer('web', 'nope').catch((failure: unknown) => failure);
    expect(missing).toMatchObject({ code: 'not-found', issues: [] });
    expect(messageOf(missing)).toBe('There is no server "nope" in cluster "web"');
    const bad = await client.updateServer('web', 'v1', { capacity: 150 }).catch((failure: unknown) => failure);
    expect(bad).toBeInstanceOf(ControlError);
    expect(issuesOf(bad)).toEqual([{ path: 'capacity', message: 'must be 0–100' }]);
  });

  it('reads a plain failure object that reached the page unrevived', () => {
    const plain: ControlFailure = { code: 'unavailable', message: 'the gateway is not running', issues: [] };
    expect(messageOf(plain)).toBe('the gateway is not running');
    expect(String(plain)).toBe('[object Object]');
  });
});
