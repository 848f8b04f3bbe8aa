/**
 * The control API through the Electron preload bridge (`window.switchboard`). The main process
 * is always reachable, so the link is online as soon as the listener is registered.
 */
import type { SwitchboardBridge } from '../bridge-types.js';
import type { ControlClient, ControlMethods, EventStreamHandlers } from './control-client.js';

type MethodName = keyof ControlMethods;

/** Changes take an optional `source` after these many arguments; the dashboard names itself there. */
const ARGUMENTS_BEFORE_SOURCE: Partial<Record<MethodName, number>> = {
  addCluster: 1,
  updateCluster: 2,
  removeCluster: 1,
  addServer: 2,
  updateServer: 3,
  removeServer: 2,
  drainServer: 2,
  restoreServer: 2,
  setRoutes: 1,
  setPaused: 1,
};

export function createBridgeControlClient(bridge: SwitchboardBridge): ControlClient {
  const invoke = (method: MethodName, args: unknown[]): Promise<unknown> => {
    const fixed = ARGUMENTS_BEFORE_SOURCE[method];
    const withSource = fixed !== undefined ? [...padTo(args, fixed), 'dashboard'] : args;
    return (bridge.invoke as (name: MethodName, ...rest: unknown[]) => Promise<unknown>)(method, ...withSource);
  };
  const forward =
    <M extends MethodName>(method: M) =>
    (...args: unknown[]) =>
      invoke(method, args);

  const methods = {
    getState: forward('getState'),
    getConfig: forward('getConfig'),
    listSessions: forward('listSessions'),
    addCluster: forward('addCluster'),
    updateCluster: forward('updateCluster'),
    removeCluster: forward('removeCluster'),
    addServer: forward('addServer'),
    updateServer: forward('updateServer'),
    removeServer: forward('removeServer'),
    drainServer: forward('drainServer'),
    restoreServer: forward('restoreServer'),
    setRoutes: forward('setRoutes'),
    setPaused: forward('setPaused'),
  } as unknown as ControlMethods;

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
