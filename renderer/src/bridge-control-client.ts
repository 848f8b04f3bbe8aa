/**
 * The control API through the Electron preload bridge (`window.switchboard`). The main process
 * is always reachable, so the link is online as soon as the listener is registered.
 */
import type { SwitchboardBridge } from '../bridge-types.js';
import { controlErrorOf } from '../../proxy/control/control-error.js';
import type { ControlClient, ControlMethods, EventStreamHandlers } from './control-client.js';

type MethodName = keyof ControlMethods;

/**
 * Where each method takes its optional `source`, which the dashboard fills in with its own name;
 * null for reads. A Record, so that a method added to the control API cannot be forgotten here.
 */
const SOURCE_POSITION: Record<MethodName, number | null> = {
  getState: null,
  getConfig: null,
  listSessions: null,
  getHistory: null,
  probeServer: null,
  endSession: 3,
  addCluster: 1,
  updateCluster: 2,
  removeCluster: 1,
  addServer: 2,
  updateServer: 3,
  removeServer: 2,
  drainServer: 2,
  restoreServer: 2,
  setRoutes: 1,
  importConfig: 1,
  updateSettings: 1,
  setPaused: 1,
};

export function createBridgeControlClient(bridge: SwitchboardBridge): ControlClient {
  const invoke = bridge.invoke as (method: MethodName, ...args: unknown[]) => Promise<unknown>;
  const methods = Object.fromEntries(
    (Object.entries(SOURCE_POSITION) as [MethodName, number | null][]).map(([method, position]) => [
      method,
      // The main process rejects with a plain {code, message, issues}: revived here into a ControlError.
      (...args: unknown[]) =>
        invoke(method, ...(position === null ? args : [...padTo(args, position), 'dashboard'])).catch((error: unknown) => {
          throw controlErrorOf(error);
        }),
    ]),
  ) as unknown as ControlMethods;

  return {
    ...methods,
    subscribe(handlers: EventStreamHandlers) {
      const stop = bridge.onEvent((event) => handlers.onEvent(event));
      handlers.onStatus('online');
      return stop;
    },
  };
}

function padTo(args: unknown[], length: number): unknown[] {
  const padded = args.slice(0, length);
  while (padded.length < length) padded.push(undefined);
  return padded;
}
