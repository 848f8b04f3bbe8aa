/** The IPC contract between the preload bridge and the main process. No Electron import: the preload bundles it. */
import type { ControlApi } from '../proxy/control/control-api.js';
import type { ConfigIssue } from '../proxy/config/config-validation.js';

export const INVOKE_CHANNEL = 'switchboard:invoke';
export const EVENT_CHANNEL = 'switchboard:event';

/** The control methods the dashboard may call over IPC: all of ControlApi except `subscribe`. */
export type BridgeMethod = Exclude<keyof ControlApi, 'subscribe'>;

/**
 * `invalid` and `not-found` come from the control API; `unavailable` while the gateway is not
 * running; `forbidden` for a caller that is not the dashboard page; `internal` for anything else.
 */
export type BridgeErrorCode = 'invalid' | 'not-found' | 'unavailable' | 'forbidden' | 'internal';

/** What a failed invoke rejects with in the page: a plain object, since IPC cannot carry Error subclasses. */
export interface BridgeError {
  code: BridgeErrorCode;
  message: string;
  issues: ConfigIssue[];
}

export type InvokeResult = { ok: true; value: unknown } | { ok: false; error: BridgeError };
