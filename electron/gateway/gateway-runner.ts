/**
 * Runs the gateway inside the desktop app and keeps its failures contained: a gateway that cannot
 * start, or a listener of its events that throws, is logged and shown in the tray status, but
 * never takes the tray down.
 */
import type { ControlApi, GatewayEvent } from '../../proxy/control/control-api.js';
import type { GatewayLogger } from '../../proxy/logs/gateway-logger.js';
import type { RunningSwitchboard } from '../../proxy/switchboard.js';
import { messageOf } from '../error-message.js';
import { ConnectionSignals } from './connection-signals.js';
import type { GatewayConnection } from './gateway-connection.js';
import type { GatewayStatus } from './gateway-status.js';

export interface GatewayRunnerOptions {
  start(): Promise<RunningSwitchboard>;
  logger: GatewayLogger;
  onStatusChange?(status: GatewayStatus): void;
}

export class GatewayRunner implements GatewayConnection {
  readonly mode = 'app';
  readonly #options: GatewayRunnerOptions;
  readonly #signals: ConnectionSignals;
  #running: RunningSwitchboard | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(options: GatewayRunnerOptions) {
    this.#options = options;
    this.#signals = new ConnectionSignals(options.logger, options.onStatusChange);
  }

  get status(): GatewayStatus {
    return this.#signals.status;
  }

  get running(): RunningSwitchboard | null {
    return this.#running;
  }

  control(): ControlApi | null {
    return this.#running?.control ?? null;
  }

  consoleUrl(): string | null {
    return this.#running?.consoleUrl ?? null;
  }

  /** Events of the gateway, delivered to each listener on its own: one that throws does not silence the others. */
  onEvent(listener: (event: GatewayEvent) => void): () => void {
    return this.#signals.onEvent(listener);
  }

  async start(): Promise<boolean> {
    this.#signals.setStatus({ kind: 'starting' });
    try {
      const running = await this.#options.start();
      this.#running = running;
      this.#unsubscribe = running.control.subscribe((event) => this.#signals.deliver(event));
      this.#signals.setStatus({ kind: 'running' });
      this.#options.logger.info('gateway started', { console: running.admin.url });
      return true;
    } catch (error) {
      const message = messageOf(error);
      this.#options.logger.error('gateway could not start', { error: message });
      this.#signals.setStatus({ kind: 'failed', message });
      return false;
    }
  }

  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, saves sessions. */
  async stop(graceMs: number): Promise<void> {
    const running = this.#running;
    if (running === null) return;
    this.#signals.setStatus({ kind: 'stopping' });
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    try {
      await running.stop({ graceMs, reason: 'the desktop app is closing' });
      this.#options.logger.info('gateway stopped');
    } catch (error) {
      this.#options.logger.error('gateway did not stop cleanly', { error: messageOf(error) });
    } finally {
      this.#running = null;
    }
  }

}
