/**
 * Turns each server's state changes into the gateway's `state` and `drained` events. Quiet while
 * the gateway starts: states are then still being derived (sessions not yet restored), so no
 * change is news; `announce` then tells each server's state once, as its first.
 */
import type { GatewayEvent, ServerState } from '../control/control-api.js';
import type { ClusterRuntime, ServerRuntime } from './cluster-runtime.js';

export class StateEvents {
  quiet = false;

  constructor(private readonly emit: (event: GatewayEvent) => void) {}

  /** For `ClusterRuntime`'s state listener. */
  readonly changed = (server: ServerRuntime, from: ServerState | null, to: ServerState): void => {
    if (this.quiet) return;
    const base = { at: Date.now(), clusterId: server.cluster.id, serverId: server.id, serverName: server.config.name };
    this.emit({ type: 'state', ...base, from, to });
    if (to === 'drained' && from !== null) this.emit({ type: 'drained', ...base });
  };

  /** Each server's state as it stands, reported as its first (never as a change). */
  announce(clusters: Iterable<ClusterRuntime>): void {
    for (const cluster of clusters) {
      for (const server of cluster.servers.values()) {
        if (server.state) this.changed(server, null, server.state);
      }
    }
  }
}
