/**
 * Turns health results, from active checks and from live traffic alike, into the server's health,
 * its state and the gateway's `offline` and `online` events.
 */
import type { GatewayEvent } from '../control/control-api.js';
import type { ServerRuntime } from '../runtime/cluster-runtime.js';
import type { ProbeResult } from './health-probe.js';

export class ServerHealthUpdates {
  constructor(private readonly emit: (event: GatewayEvent) => void) {}

  /** The result of an active check. */
  checked(server: ServerRuntime, result: ProbeResult, now = Date.now()): void {
    server.health.lastCheckAt = now;
    if (result.ok) this.succeeded(server);
    else this.failed(server, result.reason);
  }

  failed(server: ServerRuntime, reason: string): void {
    if (server.health.failure(server.cluster.config.healthCheck, reason) !== 'offline') return;
    this.emit({ type: 'offline', at: Date.now(), clusterId: server.cluster.id, serverId: server.id, serverName: server.config.name, reason });
    server.refreshState();
  }

  succeeded(server: ServerRuntime): void {
    if (server.health.success(server.cluster.config.healthCheck) !== 'online') return;
    this.emit({ type: 'online', at: Date.now(), clusterId: server.cluster.id, serverId: server.id, serverName: server.config.name });
    server.refreshState();
  }
}
