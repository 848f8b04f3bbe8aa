/** The IPC contract between the preload bridge and the main process. No Electron import: the preload bundles it. */
import type { ControlFailure } from '../proxy/control/control-error.js';

export const INVOKE_CHANNEL = 'switchboard:invoke';
export const EVENT_CHANNEL = 'switchboard:event';

/** A failed invoke carries the plain failure, since IPC cannot carry Error subclasses. */
export type InvokeResult = { ok: true; value: unknown } | { ok: false; error: ControlFailure };
