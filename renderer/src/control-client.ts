/**
 * What the dashboard needs from the gateway, whichever way it is reached: the control
 * operations (as methods derived from the operations table) plus an event stream that also
 * reports whether the link to the gateway is up. Every method rejects with a ControlError.
 */
import type { ControlMethods, GatewayEvent } from '../../proxy/control/control-api.js';

export type { ControlMethods };

/** `unauthorized` is final: the token was refused and the user must sign in again. */
export type LinkStatus = 'connecting' | 'online' | 'offline' | 'unauthorized';

export interface EventStreamHandlers {
  onEvent(event: GatewayEvent): void;
  onStatus(status: LinkStatus): void;
}

export interface ControlClient extends ControlMethods {
  /** Opens the event stream; the returned function closes it. */
  subscribe(handlers: EventStreamHandlers): () => void;
}
