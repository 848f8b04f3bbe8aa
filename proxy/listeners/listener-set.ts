/**
 * The gateway's open listeners, kept in line with what is wanted (the configuration's listeners,
 * or none while paused or stopped): unchanged ones stay open, changed ones are reopened, one
 * change at a time.
 */
import type { ListenerConfig } from '../config/config-schema.js';
import type { ListenerStatus } from '../control/control-api.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { reloadListenerTls, type PreparedConfig } from './listener-tls.js';
import { closeListener, openListener, type ListenerHandlers, type RunningListener } from './open-listener.js';

export interface ListenerSetOptions {
  handlers: ListenerHandlers;
  logger: GatewayLogger;
  /** The config file, against which certificate paths are resolved. */
  configLocation: string;
  /** The configuration whose listeners should be open now; null for none. Read as each change begins. */
  wanted(): PreparedConfig | null;
}

export class ListenerSet {
  private listeners: RunningListener[] = [];
  private changing: Promise<void> = Promise.resolve();

  constructor(private readonly options: ListenerSetOptions) {}

  /** Opens, closes or reopens listeners so that they match `wanted()`; changes queue behind each other. */
  sync(): Promise<void> {
    this.changing = this.changing.then(() => this.syncNow());
    return this.changing;
  }

  /** Each configured listener's status; one not open says so (`paused` while the gateway is paused). */
  statuses(configured: readonly ListenerConfig[], paused: boolean): ListenerStatus[] {
    const running = new Map(this.listeners.map((l) => [l.config.port, l.status]));
    return configured.map(
      (config) =>
        running.get(config.port) ?? {
          port: config.port,
          host: config.host,
          protocol: config.tls ? 'https' : 'http',
          listening: false,
          error: paused ? 'paused' : null,
        },
    );
  }

  /** After any change under way: closes every listener, giving requests in flight up to `graceMs`. */
  async closeAll(graceMs: number): Promise<void> {
    await this.changing;
    await Promise.all(this.listeners.map((listener) => closeListener(listener, graceMs)));
    this.listeners = [];
  }

  private async syncNow(): Promise<void> {
    const prepared = this.options.wanted();
    const wanted = prepared ? prepared.config.listeners : [];
    const keep: RunningListener[] = [];
    const closing: Promise<void>[] = [];
    for (const listener of this.listeners) {
      const same = wanted.some((config) => JSON.stringify(config) === JSON.stringify(listener.config));
      if (same && listener.status.listening) keep.push(listener);
      else closing.push(closeListener(listener, 0));
    }
    await Promise.all(closing);
    const opening = wanted
      .map((config, index) => ({ config, index }))
      .filter(({ config }) => !keep.some((listener) => JSON.stringify(listener.config) === JSON.stringify(config)))
      .map(({ config, index }) => this.open(config, prepared!, index));
    this.listeners = [...keep, ...(await Promise.all(opening))];
  }

  private open(config: ListenerConfig, prepared: PreparedConfig, index: number): Promise<RunningListener> {
    const loaded = prepared.listenerTls[index] ?? null;
    const tls = loaded && { loaded, reload: () => reloadListenerTls(prepared, index, this.options.configLocation) };
    return openListener(config, tls, this.options.handlers, this.options.logger);
  }
}
