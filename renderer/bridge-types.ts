/**
 * The narrow API the Electron preload exposes to the page as `window.switchboard`. It forwards the
 * control operations over IPC: `invoke` takes any operation of the operations table with that
 * operation's arguments, and events arrive through `onEvent`. A failed call rejects with the plain
 * `{code, message, issues}` of a ControlError.
 */
import type { GatewayEvent, OperationArgs, OperationName, OperationResult } from '../proxy/control/control-api.js';

export interface SwitchboardBridge {
  invoke<M extends OperationName>(method: M, ...args: OperationArgs<M>): Promise<OperationResult<M>>;
  /** Returns the function that stops the listener. */
  onEvent(listener: (event: GatewayEvent) => void): () => void;
}

declare global {
  interface Window {
    switchboard?: SwitchboardBridge;
  }
}
