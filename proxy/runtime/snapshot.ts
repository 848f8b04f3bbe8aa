/** The state snapshot of the control API, built from the runtimes on demand (at most once a second for the stream). */
import type { ClusterRuntime, ServerRuntime } from './cluster-runtime.js';
import type { GatewayConfig } from '../config/config-schema.js';
import type { ClusterSnapshot, GatewaySnapshot, ListenerStatus, ServerSnapshot } from '../control/control-api.js';
import type { SessionTable } from '../sessions/session-table.js';

export interface SnapshotSources {
  now: number;
  startedAt: number;
  paused: boolean;
  config: GatewayConfig;
  clusters: ReadonlyMap<string, ClusterRuntime>;
  sessions: SessionTable;
  listeners: ListenerStatus[];
}

export function buildSnapshot(sources: SnapshotSources): GatewaySnapshot {
  const clusters: ClusterSnapshot[] = [];
  for (const cluster of sources.clusters.values()) {
    const servers = [...cluster.servers.values()].map((server) => serverSnapshot(server, sources.sessions, sources.now));
    const config = cluster.config;
    clusters.push({
      id: config.id,
      name: config.name,
      enabled: config.enabled,
      sessionMethod: config.sessionMethod,
      sessionTimeoutSec: config.sessionTimeoutSec,
      sessionMaxLifetimeSec: config.sessionMaxLifetimeSec ?? null,
      balancing: config.balancing,
      healthCheck: config.healthCheck,
      servers,
      sessions: servers.reduce((sum, s) => sum + s.sessions, 0),
      requestsPerSec: Math.round(servers.reduce((sum, s) => sum + s.requestsPerSec, 0) * 10) / 10,
    });
  }
  return {
    at: sources.now,
    startedAt: sources.startedAt,
    paused: sources.paused,
    listeners: sources.listeners,
    routes: sources.config.routes,
    clusters,
  };
}

function serverSnapshot(server: ServerRuntime, sessions: SessionTable, now: number): ServerSnapshot {
  const config = server.config;
  const stats = server.stats;
  const clusterId = server.cluster.id;
  const state = server.state ?? server.deriveState();
  // A drain is known to have happened when it started from a capacity above 0 or was seen to finish.
  const drainFinished = state === 'drained' && (config.drainedFromCapacity !== undefined || server.drainedAt !== null);
  return {
    id: config.id,
    name: config.name,
    url: config.url,
    capacity: config.capacity,
    enabled: config.enabled,
    drainedFromCapacity: config.drainedFromCapacity ?? null,
    state,
    standby: state === 'drained' && !drainFinished,
    safeToStop: drainFinished,
    drainedAt: server.drainedAt,
    online: server.health.online,
    health: server.health.snapshot(),
    sessions: sessions.countOf(clusterId, config.id),
    sessionsExpireBy: sessions.expiresBy(clusterId, config.id),
    inflight: stats.inflight,
    websockets: stats.websockets,
    pinnedConnections: stats.pinned,
    requests: stats.requests,
    requestsPerSec: stats.requestsPerSec,
    errors: stats.errors,
    latencyMs: stats.latency(),
    errorWindow: stats.errorWindow(now),
  };
}
