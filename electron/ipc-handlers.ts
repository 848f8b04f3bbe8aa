/**
 * The main-process side of the preload bridge: one invoke channel for the control operations and
 * one event channel back to the page. Every call is checked (sender, operation, arguments against
 * the operations table) before it reaches the gateway, and is made as the dashboard: the page
 * cannot speak for another caller.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { z } from 'zod';
import { formatPath, issuesOf, type ConfigIssue } from '../proxy/config/config-validation.js';
import type { ControlApi, GatewayEvent } from '../proxy/control/control-api.js';
import { failureOf, type ControlFailure } from '../proxy/control/control-error.js';
import { controlOperations, isOperationName, type OperationName } from '../proxy/control/control-operations.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeResult } from './ipc-channels.js';

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
  if (!isOperationName(method)) return failure('invalid', `unknown method ${JSON.stringify(method)}`);
  const parsed = controlOperations[method].args.safeParse(args);
  if (!parsed.success) {
    const issues = argumentIssues(method, parsed.error);
    return failure('invalid', `invalid arguments for ${method}: ${issues.map((i) => `${i.path} ${i.message}`.trim()).join('; ')}`, issues);
  }
  const control = options.control();
  if (control === null) return failure('unavailable', 'the gateway is not running');
  try {
    // The validated original is forwarded, not zod's output: a partial patch must stay partial.
    const dashboard = control.as('dashboard');
    const call = dashboard[method] as (...args: unknown[]) => Promise<unknown>;
    return { ok: true, value: await call.apply(dashboard, args as unknown[]) };
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}

/**
 * Issue paths as the admin HTTP API gives them, relative to the object sent (`capacity`, not
 * `[2].capacity`), so the dashboard places them next to the same form fields either way; an
 * issue with a whole argument names the argument.
 */
function argumentIssues(method: OperationName, error: z.ZodError): ConfigIssue[] {
  return issuesOf(error).map((issue, index) => {
    const [position, ...inside] = error.issues[index]?.path ?? [];
    if (typeof position !== 'number') return issue;
    const path = inside.length > 0 ? formatPath(inside) : (controlOperations[method].params[position] ?? `argument ${position + 1}`);
    return { path, message: issue.message };
  });
}

function failure(code: ControlFailure['code'], message: string, issues: ControlFailure['issues'] = []): InvokeResult {
  return { ok: false, error: { code, message, issues } };
}
