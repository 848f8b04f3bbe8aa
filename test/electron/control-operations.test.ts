/**
 * Every operation of the control operations table is reachable the same way everywhere it is
 * derived: a client method in each client, an admin API route that the HTTP clients' requests
 * (httpCallOf, which the web console and attach-mode clients both send) land on with the same arguments, and an IPC handler that accepts the bridge's call and makes it
 * as the dashboard. Only the `electron` module is faked, as the IPC handlers import it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { matchAdminRoute } from '../../proxy/admin/admin-routes.js';
import type { ChangeSource, ControlApi } from '../../proxy/control/control-api.js';
import { controlOperations, operationNames, type OperationArgs, type OperationName } from '../../proxy/control/control-operations.js';
import { httpCallOf } from '../../proxy/control/operation-http.js';
import { AdminApiClient } from '../../electron/admin-api-client.js';
import { handleInvoke } from '../../electron/ipc-handlers.js';
import { createBridgeControlClient } from '../../renderer/src/bridge-control-client.js';
import type { SwitchboardBridge } from '../../renderer/bridge-types.js';
import { resetFakeElectron } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

/** Valid arguments for each operation; typed, so an operation added to the table needs one here. */
const samples: { [M in OperationName]: OperationArgs<M> } = {
  getState: [],
  getConfig: [],
  listSessions: ['web', 'v1', { limit: 50 }],
  getHistory: ['web', 'v1'],
  probeServer: ['web', { url: 'http://10.0.0.6:8080' }],
  endSession: ['web', 'v1', 'a1b2c3d4'],
  addCluster: [{ name: 'Second', servers: [{ name: 'App', url: 'http://10.0.0.7:80' }] }],
  updateCluster: ['web', { sessionTimeoutSec: 600 }],
  removeCluster: ['web'],
  addServer: ['web', { name: 'App 2', url: 'http://10.0.0.8:80', capacity: 0 }],
  updateServer: ['web', 'v1', { capacity: 25 }],
  removeServer: ['web', 'v1'],
  drainServer: ['web', 'v1'],
  restoreServer: ['web', 'v1'],
  setRoutes: [[{ host: '*', path: '/', cluster: 'web' }]],
  importConfig: [{ listeners: [{ port: 8080 }] }],
  updateSettings: [{ trustedProxies: ['10.0.0.0/8'] }],
  setPaused: [true],
};

interface Call {
  source: ChangeSource | undefined;
  name: string;
  args: unknown[];
}

/** A ControlApi that records every call and the caller it was bound to. */
function recordingControl(calls: Call[], source?: ChangeSource): ControlApi {
  return new Proxy({} as ControlApi, {
    get(_target, property) {
      if (property === 'as') return (bound: ChangeSource) => recordingControl(calls, bound);
      if (property === 'then') return undefined;
      return (...args: unknown[]) => {
        calls.push({ source, name: String(property), args });
        return Promise.resolve(property === 'getState' ? { paused: false, clusters: [] } : { done: true });
      };
    },
  });
}

beforeEach(() => resetFakeElectron());

describe('the control operations table', () => {
  it('names every argument of each operation, and only those', () => {
    for (const name of operationNames) {
      const { params, args } = controlOperations[name];
      expect(params.length, name).toBe(args.def.items.length);
      expect(args.safeParse(samples[name]).success, name).toBe(true);
    }
  });

  it('gives every operation an admin API route that decodes the HTTP clients’ request into the same call', async () => {
    for (const name of operationNames) {
      const call = httpCallOf(name, samples[name]);
      const url = new URL(call.path, 'http://127.0.0.1');
      const segments = url.pathname.slice('/api/'.length).split('/').map(decodeURIComponent);
      const match = matchAdminRoute(call.verb, segments);
      expect(match.kind, `${call.verb} ${call.path}`).toBe('found');
      if (match.kind !== 'found') continue;
      const calls: Call[] = [];
      await match.handle({ params: match.params, query: url.searchParams, body: async () => call.body }, recordingControl(calls).as('api'));
      expect(calls.filter((made) => made.name === name), name).toEqual([{ source: 'api', name, args: samples[name] }]);
    }
  });

  it('gives every operation an IPC handler that makes the call as the dashboard', async () => {
    for (const name of operationNames) {
      const calls: Call[] = [];
      const result = await handleInvoke(
        { control: () => recordingControl(calls), isTrustedSender: () => true, target: { webContents: () => null, isShown: () => true } },
        {} as never,
        name,
        samples[name],
      );
      expect(result, name).toEqual({ ok: true, value: name === 'getState' ? { paused: false, clusters: [] } : { done: true } });
      expect(calls, name).toEqual([{ source: 'dashboard', name, args: samples[name] }]);
    }
  });

  it('gives every operation a method in the bridge client and the attach-mode client', async () => {
    const invoked: unknown[][] = [];
    const bridge: SwitchboardBridge = {
      invoke: ((method: string, ...args: unknown[]) => {
        invoked.push([method, ...args]);
        return Promise.resolve(undefined);
      }) as SwitchboardBridge['invoke'],
      onEvent: () => () => undefined,
    };
    const bridgeClient = createBridgeControlClient(bridge);
    const attachClient = new AdminApiClient({ baseUrl: 'http://127.0.0.1:1', token: 't' });
    for (const name of operationNames) {
      for (const client of [bridgeClient, attachClient]) expect(typeof client[name], name).toBe('function');
      await (bridgeClient[name] as (...args: unknown[]) => Promise<unknown>)(...samples[name]);
    }
    expect(invoked).toEqual(operationNames.map((name) => [name, ...samples[name]]));
  });
});
