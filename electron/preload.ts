/**
 * The only thing the dashboard page gets from Electron: `window.switchboard`, a narrow bridge to
 * the control API. No Node, no ipcRenderer in the page. Bundled to CommonJS because sandboxed
 * preloads cannot load ES modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { GatewayEvent } from '../proxy/control/control-api.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeResult } from './ipc-channels.js';

const bridge = {
  async invoke(method: string, ...args: unknown[]): Promise<unknown> {
    const result = (await ipcRenderer.invoke(INVOKE_CHANNEL, method, args)) as InvokeResult;
    if (result.ok) return result.value;
    throw result.error;
  },
  onEvent(listener: (event: GatewayEvent) => void): () => void {
    const forward = (_event: unknown, gatewayEvent: GatewayEvent): void => listener(gatewayEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('switchboard', bridge);
