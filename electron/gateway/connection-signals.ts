/**
 * What both kinds of gateway connection tell the rest of the app: their status, to one status
 * listener, and the gateway's events, to any number of event listeners. A listener that throws is
 * logged and silences neither the others nor the connection.
 */
import type { GatewayEvent } from '../../proxy/control/control-api.js';
import type { GatewayLogger } from '../../proxy/logs/gateway-logger.js';
import { messageOf } from '../error-message.js';
import type { GatewayStatus } from './gateway-status.js';

export class ConnectionSignals {
  readonly #logger: GatewayLogger;
  readonly #onStatusChange: ((status: GatewayStatus) => void) | undefined;
  readonly #listeners = new Set<(event: GatewayEvent) => void>();
  #status: GatewayStatus = { kind: 'starting' };

  constructor(logger: GatewayLogger, onStatusChange?: (status: GatewayStatus) => void) {
    this.#logger = logger;
    this.#onStatusChange = onStatusChange;
  }

  get status(): GatewayStatus {
    return this.#status;
  }

  setStatus(status: GatewayStatus): void {
    this.#status = status;
    try {
      this.#onStatusChange?.(status);
    } catch (error) {
      this.#logger.error('status listener failed', { error: messageOf(error) });
    }
  }

  onEvent(listener: (event: GatewayEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  deliver(event: GatewayEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error('an event listener failed', { event: event.type, error: messageOf(error) });
      }
    }
  }
}
