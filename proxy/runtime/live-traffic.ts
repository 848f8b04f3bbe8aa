/**
 * Everything the data path reads per request, in one object: routes, clusters and their servers,
 * sessions, the forwarder, connection pins, client limits and access rules. The gateway applies a
 * configuration to it whole; the data path only reads it (and reports passive health).
 */
import type { ClusterConfig, GatewayConfig } from '../config/config-schema.js';
import { limitsSchema } from '../config/config-schema.js';
import type { TrafficContext } from './traffic-context.js';
import { ConnectionPins } from '../forwarding/connection-pinning.js';
import { Forwarder } from '../forwarding/forwarder.js';
import type { ServerHealthUpdates } from '../health/server-health-updates.js';
import type { AccessLog } from '../logs/access-log.js';
import { ClientLimits } from '../requests/client-limits.js';
import { compileAccessRule, compileAddressList, type AccessMatcher, type AddressList } from '../routing/access-rules.js';
import { RouteTable } from '../routing/route-table.js';
import { SessionBinder, type SessionLimits } from '../sessions/session-binder.js';
import { SessionCookieCodec } from '../sessions/session-cookie.js';
import { SessionTable } from '../sessions/session-table.js';
import { ClusterRuntime, type ServerRuntime, type StateListener } from './cluster-runtime.js';

export class LiveTraffic implements TrafficContext {
  routes = new RouteTable([]);
  trustedProxies: AddressList = compileAddressList([]);
  serverAccess: AccessMatcher | undefined = undefined;
  readonly forwarder = new Forwarder();
  readonly clientLimits = new ClientLimits(limitsSchema.parse({}), compileAddressList([]));
  readonly pins = new ConnectionPins(() => this.clientLimits.config.pinnedConnectionsPerClient);
  readonly clusters = new Map<string, ClusterRuntime>();
  readonly sessions: SessionTable;
  /** Set by `startSessions`, before any listener opens. */
  binder!: SessionBinder;

  constructor(
    readonly accessLog: AccessLog,
    private readonly health: Pick<ServerHealthUpdates, 'failed' | 'succeeded'>,
    private readonly onStateChange: StateListener,
  ) {
    this.sessions = new SessionTable(Date.now(), (clusterId, serverId, occupied) => {
      const server = this.clusters.get(clusterId)?.servers.get(serverId);
      if (!server) return;
      server.hasSessions = occupied;
      server.refreshState();
    });
  }

  /** Sessions can be bound from now on, with cookies signed by `secret`. */
  startSessions(secret: Buffer, limits: SessionLimits): void {
    this.binder = new SessionBinder(this.sessions, new SessionCookieCodec(secret), limits);
  }

  /**
   * Makes `config` the one traffic follows. Sessions of removed servers and clusters end here, as do
   * those no request could name any more; every other session carries over. Returns the ids of
   * the clusters removed.
   */
  apply(config: GatewayConfig, now: number): string[] {
    const wanted = new Set(config.clusters.map((c) => c.id));
    const removed: string[] = [];
    for (const [id, cluster] of this.clusters) {
      if (wanted.has(id)) continue;
      cluster.close();
      this.clusters.delete(id);
      this.sessions.removeCluster(id);
      removed.push(id);
    }
    for (const clusterConfig of config.clusters) this.applyCluster(clusterConfig, now);
    this.routes = new RouteTable(config.routes);
    this.trustedProxies = compileAddressList(config.trustedProxies);
    this.clientLimits.config = config.limits;
    this.clientLimits.trustedProxies = this.trustedProxies;
    this.serverAccess = config.access ? compileAccessRule(config.access) : undefined;
    return removed;
  }

  passiveFailure(server: ServerRuntime, reason: string): void {
    this.health.failed(server, reason);
  }

  passiveSuccess(server: ServerRuntime): void {
    this.health.succeeded(server);
  }

  close(): void {
    for (const cluster of this.clusters.values()) cluster.close();
  }

  private applyCluster(config: ClusterConfig, now: number): void {
    let cluster = this.clusters.get(config.id);
    if (cluster && sessionsNoLongerRecognised(cluster.config, config)) {
      // No request could ever name these sessions again: counting them would keep servers draining for nothing.
      this.sessions.removeCluster(config.id);
    }
    if (!cluster) {
      cluster = new ClusterRuntime(config, this.onStateChange, (c, s) => this.sessions.countOf(c, s));
      this.clusters.set(config.id, cluster);
    }
    this.sessions.setPolicy(config.id, {
      idleMs: config.sessionTimeoutSec * 1000,
      maxLifetimeMs: config.sessionMaxLifetimeSec === undefined ? null : config.sessionMaxLifetimeSec * 1000,
    });
    const removed = cluster.update(config, now);
    for (const server of removed) this.sessions.removeServer(config.id, server.id);
    for (const server of cluster.servers.values()) {
      server.hasSessions = this.sessions.countOf(config.id, server.id) > 0;
      server.refreshState();
    }
  }
}

/** A new way of telling sessions apart (cookie ↔ client address, or another cookie name) orphans the old ones. */
function sessionsNoLongerRecognised(before: ClusterConfig, after: ClusterConfig): boolean {
  return before.sessionMethod !== after.sessionMethod || (after.sessionMethod === 'cookie' && before.cookieName !== after.cookieName);
}
