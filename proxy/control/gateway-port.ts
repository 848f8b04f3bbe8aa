/**
 * What the control service needs of a running gateway, and nothing more. The gateway satisfies it
 * without knowing of it: the composition root hands one to the other, so neither imports the other.
 */
import type { GatewayConfig } from '../config/config-schema.js';
import type { ConfigStore } from '../config/config-store.js';
import type { PreparedConfig } from '../listeners/listener-tls.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { ServerStats } from '../runtime/server-stats.js';
import type { SessionBinder } from '../sessions/session-binder.js';
import type { SessionTable } from '../sessions/session-table.js';
import type { ChangeSource, GatewayEvent, GatewaySnapshot } from './control-api.js';

export interface GatewayPort {
  /** The configuration running now; throws before the gateway has started. */
  currentConfig(): GatewayConfig;
  /** Reads what a valid configuration needs from disk (certificates); throws ConfigError if it cannot be used. */
  prepare(config: GatewayConfig): PreparedConfig;
  /** Makes a validated, stored configuration the running one and tells subscribers who changed it. */
  applyConfig(prepared: PreparedConfig, source?: ChangeSource, summary?: string): void;
  /** Where a changed configuration is written before it is applied. */
  readonly configStore: Pick<ConfigStore, 'write'>;
  snapshot(): GatewaySnapshot;
  setPaused(paused: boolean, source: ChangeSource): Promise<void>;
  subscribe(listener: (event: GatewayEvent) => void): () => void;
  /** Live sessions, to list them. */
  readonly sessions: Pick<SessionTable, 'list' | 'countOf' | 'expiryOf'>;
  /** Ends a session the way the data path would, so that every count follows. */
  readonly binder: Pick<SessionBinder, 'end'>;
  /** Each server's traffic history. */
  readonly clusters: ReadonlyMap<string, { readonly servers: ReadonlyMap<string, { readonly stats: Pick<ServerStats, 'history'> }> }>;
  readonly logger: Pick<GatewayLogger, 'info'>;
}
