/**
 * The main-process side of the preload bridge: one invoke channel for the control methods and
 * one event channel back to the page. Every call is checked (sender, method, arguments) before it
 * reaches the gateway, and changes made here carry source `'dashboard'`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { z } from 'zod';
import { formatPath, issuesOf, type ConfigIssue } from '../proxy/config/config-validation.js';
import type { ChangeSource, ControlApi, GatewayEvent } from '../proxy/control/control-api.js';
import { failureOf, type ControlFailure } from '../proxy/control/control-error.js';
import { bridgeArgumentSchemas, bridgeParameterNames } from './bridge-argument-schemas.js';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  type BridgeMethod,
  type InvokeResult,
} from './ipc-channels.js';

const SOURCE: ChangeSource = 'dashboard';

type Args<M extends BridgeMethod> = z.output<(typeof bridgeArgumentSchemas)[M]>;

const callers: { [M in BridgeMethod]: (control: ControlApi, args: Args<M>) => Promise<unknown> } = {
  getState: (control) => control.getState(),
  getConfig: (control) => control.getConfig(),
  listSessions: (control, [clusterId, serverId, options]) => control.listSessions(clusterId, serverId, options),
  getHistory: (control, [clusterId, serverId]) => control.getHistory(clusterId, serverId),
  probeServer: (control, [clusterId, input]) => control.probeServer(clusterId, input),
  endSession: (control, [clusterId, serverId, sessionId]) => control.endSession(clusterId, serverId, sessionId, SOURCE),
  addCluster: (control, [input]) => control.addCluster(input, SOURCE),
  updateCluster: (control, [clusterId, patch]) => control.updateCluster(clusterId, patch, SOURCE),
  removeCluster: (control, [clusterId]) => control.removeCluster(clusterId, SOURCE),
  addServer: (control, [clusterId, input]) => control.addServer(clusterId, input, SOURCE),
  updateServer: (control, [clusterId, serverId, patch]) => control.updateServer(clusterId, serverId, patch, SOURCE),
  removeServer: (control, [clusterId, serverId]) => control.removeServer(clusterId, serverId, SOURCE),
  drainServer: (control, [clusterId, serverId]) => control.drainServer(clusterId, serverId, SOURCE),
  restoreServer: (control, [clusterId, serverId]) => control.restoreServer(clusterId, serverId, SOURCE),
  setRoutes: (control, [routes]) => control.setRoutes(routes, SOURCE),
  importConfig: (control, [config]) => control.importConfig(config, SOURCE),
  updateSettings: (control, [patch]) => control.updateSettings(patch, SOURCE),
  setPaused: (control, [paused]) => control.setPaused(paused, SOURCE),
};

export interface IpcBridgeOptions {
  /** The running gateway's control API, or null while it is not running. */
  control(): ControlApi | null;
  /** Only the dashboard page of our own window may call. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  /** Where gateway events go. */
  target: EventTarget;
}

export interface EventTarget {
  webContents(): WebContents | null;
  /** Stats ticks are dropped while the window is hidden: nobody is looking at them. */
  isShown(): boolean;
}

export interface IpcBridge {
  /** Passes one gateway event on to the page. */
  sendEvent(event: GatewayEvent): void;
  dispose(): void;
}

export function registerIpcHandlers(options: IpcBridgeOptions): IpcBridge {
  ipcMain.handle(INVOKE_CHANNEL, (event, method: unknown, args: unknown) => handleInvoke(options, event, method, args));
  return {
    sendEvent: (event) => {
      if (event.type === 'stats' && !options.target.isShown()) return;
      const contents = options.target.webContents();
      if (contents === null || contents.isDestroyed()) return;
      contents.send(EVENT_CHANNEL, event);
    },
    dispose: () => ipcMain.removeHandler(INVOKE_CHANNEL),
  };
}

export async function handleInvoke(
  options: IpcBridgeOptions,
  event: IpcMainInvokeEvent,
  method: unknown,
  args: unknown,
): Promise<InvokeResult> {
  if (!options.isTrustedSender(event)) return failure('forbidden', 'this page may not control the gateway');
  if (!isBridgeMethod(method)) return failure('invalid', `unknown method ${JSON.stringify(method)}`);
  const parsed = bridgeArgumentSchemas[method].safeParse(args);
  if (!parsed.success) {
    const issues = argumentIssues(method, parsed.error);
    return failure('invalid', `invalid arguments for ${method}: ${issues.map((i) => `${i.path} ${i.message}`.trim()).join('; ')}`, issues);
  }
  const control = options.control();
  if (control === null) return failure('unavailable', 'the gateway is not running');
  try {
    // The validated original is forwarded, not zod's output: a partial patch must stay partial.
    const call = callers[method] as (control: ControlApi, args: unknown) => Promise<unknown>;
    return { ok: true, value: await call(control, args) };
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}

/**
 * Issue paths as the admin HTTP API gives them, relative to the object sent (`capacity`, not
 * `[2].capacity`), so the dashboard places them next to the same form fields either way; an
 * issue with a whole argument names the argument.
 */
function argumentIssues(method: BridgeMethod, error: z.ZodError): ConfigIssue[] {
  return issuesOf(error).map((issue, index) => {
    const [position, ...inside] = error.issues[index]?.path ?? [];
    if (typeof position !== 'number') return issue;
    const path = inside.length > 0 ? formatPath(inside) : (bridgeParameterNames[method][position] ?? `argument ${position + 1}`);
    return { path, message: issue.message };
  });
}

function isBridgeMethod(method: unknown): method is BridgeMethod {
  return typeof method === 'string' && Object.hasOwn(bridgeArgumentSchemas, method);
}

function failure(code: ControlFailure['code'], message: string, issues: ControlFailure['issues'] = []): InvokeResult {
  return { ok: false, error: { code, message, issues } };
}
