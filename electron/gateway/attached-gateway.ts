/**
 * The desktop app's link to the gateway running as a Windows service: no gateway of its own, the
 * control API over the service's admin API, and a status that says when the service cannot be
 * reached. It keeps trying, re-reading the service's settings each time, so a service restart,
 * a changed admin port or token, or a reboot is picked up on its own.
 */
import type { ControlApi, GatewayEvent } from '../../proxy/control/control-api.js';
import type { GatewayLogger } from '../../proxy/logs/gateway-logger.js';
import { AdminApiClient, DEFAULT_RECONNECT_DELAYS_MS, type AdminEndpoint, type ConnectionChange } from '../admin-api-client.js';
import { messageOf } from '../error-message.js';
import { ConnectionSignals } from './connection-signals.js';
import type { GatewayConnection } from './gateway-connection.js';
import type { GatewayStatus } from './gateway-status.js';
import { consoleUrlOf } from '../service/service-installation.js';

export interface AttachedGatewayOptions {
  /** Reads the admin address and token from the service's settings; throws with a message. */
  readEndpoint(): AdminEndpoint;
  logger: GatewayLogger;
  onStatusChange?(status: GatewayStatus): void;
  reconnectDelaysMs?: readonly number[];
}

export class AttachedGateway implements GatewayConnection {
  readonly mode = 'service';
  readonly #options: AttachedGatewayOptions;
  readonly #signals: ConnectionSignals;
  #client: AdminApiClient | null = null;
  #unsubscribe: (() => void) | null = null;
  #retryTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  #firstVerdict: ((reachable: boolean) => void) | null = null;

  constructor(options: AttachedGatewayOptions) {
    this.#options = options;
    this.#signals = new ConnectionSignals(options.logger, options.onStatusChange);
  }

  get status(): GatewayStatus {
    return this.#signals.status;
  }

  control(): ControlApi | null {
    return this.#client;
  }

  consoleUrl(): string | null {
    return this.#client === null ? null : consoleUrlOf(this.#client.endpoint);
  }

  onEvent(listener: (event: GatewayEvent) => void): () => void {
    return this.#signals.onEvent(listener);
  }

  start(): Promise<boolean> {
    this.#stopped = false;
    const verdict = new Promise<boolean>((resolve) => (this.#firstVerdict = resolve));
    this.#attach();
    return verdict;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#options.logger.info('detached from the gateway service');
  }

  /** Connects with the settings as they are now; unreadable settings are retried later. */
  #attach(): void {
    if (this.#stopped) return;
    let endpoint: AdminEndpoint;
    try {
      endpoint = this.#options.readEndpoint();
    } catch (error) {
      this.#unreachable(messageOf(error));
      this.#retryTimer = setTimeout(() => this.#attach(), this.#retryDelay());
      return;
    }
    const current = this.#client?.endpoint;
    if (current && current.baseUrl === endpoint.baseUrl && current.token === endpoint.token && this.#unsubscribe) {
      // Same settings: the client keeps reconnecting; look at the settings again while it fails.
      if (this.#signals.status.kind !== 'running') this.#retryTimer = setTimeout(() => this.#attach(), this.#retryDelay());
      return;
    }
    this.#unsubscribe?.();
    const client = new AdminApiClient(endpoint, {
      ...(this.#options.reconnectDelaysMs ? { reconnectDelaysMs: this.#options.reconnectDelaysMs } : {}),
      onConnectionChange: (change) => this.#connectionChanged(client, change),
    });
    this.#client = client;
    this.#unsubscribe = client.subscribe((event) => this.#signals.deliver(event));
  }

  #connectionChanged(client: AdminApiClient, change: ConnectionChange): void {
    if (this.#stopped || client !== this.#client) return;
    if (change.connected) {
      clearTimeout(this.#retryTimer);
      this.#options.logger.info('attached to the gateway service', { adminApi: client.endpoint.baseUrl });
      this.#signals.setStatus({ kind: 'running' });
      this.#settleFirst(true);
      return;
    }
    this.#unreachable(change.error ?? 'the gateway service cannot be reached');
    // The service may have come back on another port or with another token.
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#attach(), this.#retryDelay());
  }

  #unreachable(message: string): void {
    const status = this.#signals.status;
    if (status.kind !== 'unreachable' || status.message !== message) {
      this.#options.logger.warn('the gateway service cannot be reached', { error: message });
      this.#signals.setStatus({ kind: 'unreachable', message });
    }
    this.#settleFirst(false);
  }

  #settleFirst(reachable: boolean): void {
    this.#firstVerdict?.(reachable);
    this.#firstVerdict = null;
  }

  #retryDelay(): number {
    const delays = this.#options.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS;
    return delays[delays.length - 1] ?? 5000;
  }

}
