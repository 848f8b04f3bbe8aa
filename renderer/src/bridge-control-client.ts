/**
 * The control API through the Electron preload bridge (`window.switchboard`). The main process
 * makes every call as the dashboard, and is always reachable, so the link is online as soon as
 * the listener is registered.
 */
import { controlErrorOf } from '../../proxy/control/control-error.js';
import { controlMethodsOver } from '../../proxy/control/control-operations.js';
import type { SwitchboardBridge } from '../bridge-types.js';
import type { ControlClient, EventStreamHandlers } from './control-client.js';

export function createBridgeControlClient(bridge: SwitchboardBridge): ControlClient {
  const invoke = bridge.invoke as (method: string, ...args: unknown[]) => Promise<unknown>;
  const methods = controlMethodsOver((name, args) =>
    // The main process rejects with a plain {code, message, issues}: revived here into a ControlError.
    invoke(name, ...args).catch((error: unknown) => {
      throw controlErrorOf(error);
    }),
  );
  return {
    ...methods,
    subscribe(handlers: EventStreamHandlers) {
      const stop = bridge.onEvent((event) => handlers.onEvent(event));
      handlers.onStatus('online');
      return stop;
    },
  };
}
