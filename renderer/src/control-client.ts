/**
 * What the dashboard needs from the gateway, whichever way it is reached: the control API's
 * methods plus an event stream that also reports whether the link to the gateway is up.
 */
import type { ControlApi, GatewayEvent } from '../../proxy/control/control-api.js';

export type ControlMethods = Omit<ControlApi, 'subscribe'>;

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
