/**
 * The narrow API the Electron preload exposes to the page as `window.switchboard`. It forwards the
 * control API over IPC: `invoke` takes any ControlApi method name except `subscribe` with that
 * method's arguments, and events arrive through `onEvent`.
 */
import type { ControlApi, GatewayEvent } from '../proxy/control/control-api.js';

export type BridgeMethod = Exclude<keyof ControlApi, 'subscribe'>;

export type BridgeResult<M extends BridgeMethod> = Awaited<ReturnType<ControlApi[M]>>;

export interface SwitchboardBridge {
  invoke<M extends BridgeMethod>(method: M, ...args: Parameters<ControlApi[M]>): Promise<BridgeResult<M>>;
  /** Returns the function that stops the listener. */
  onEvent(listener: (event: GatewayEvent) => void): () => void;
}

declare global {
  interface Window {
    switchboard?: SwitchboardBridge;
  }
}
