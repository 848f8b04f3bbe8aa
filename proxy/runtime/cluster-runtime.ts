/**
 * The live side of a cluster and its servers: config plus health, traffic counters and the one
 * derived state. Runtimes outlive config changes (matched by id), so counters and health carry over.
 */
import type http from 'node:http';
import { createBackendAgent, createBackendConnector } from '../forwarding/backend-tls.js';
import { BackendConnections } from '../forwarding/backend-connections.js';
import type { ClusterConfig, ServerConfig } from '../config/config-schema.js';
import type { ServerState } from '../control/control-api.js';
import { HealthTracker } from '../health/server-health.js';
import { ServerStats } from './server-stats.js';
import { TentativeSessions } from '../sessions/tentative-sessions.js';
import { LeastSessionsBalancer, SmoothRoundRobinBalancer, type BalanceCandidate, type Balancer } from '../balancing/balancer.js';

export type StateListener = (server: ServerRuntime, from: ServerState | null, to: ServerState) => void;

/** Connections to one backend are kept alive and reused; these bound what one backend gets. */
const MAX_CONNECTIONS_PER_SERVER = 256;

/** Health probes and WebSockets: a connection each, closed after use or with the WebSocket. */
const AGENT_OPTIONS: http.AgentOptions = { keepAlive: false };

/** Requests' connections, closed after the cluster's `backendIdleTimeoutSec` unused (or sooner when the backend's Keep-Alive header asks). */
function requestConnections(config: ServerConfig, idleTimeoutSec: number): BackendConnections {
  return new BackendConnections(new URL(config.url).origin, {
    limit: MAX_CONNECTIONS_PER_SERVER,
    idleTimeoutMs: idleTimeoutSec * 1000,
    connect: createBackendConnector(config),
  });
}

export class ServerRuntime {
  config: ServerConfig;
  target: URL;
  /** For health probes and WebSockets. */
  agent: http.Agent;
  /** For requests. */
  connections: BackendConnections;
  private idleTimeoutSec: number;
  readonly health = new HealthTracker();
  readonly stats: ServerStats;
  /** New cookie sessions handed out here whose clients have not come back yet. */
  readonly tentative: TentativeSessions;
  state: ServerState | null = null;
  /** Epoch ms when a drain finished in this run (draining → drained); null otherwise. */
  drainedAt: number | null = null;
  /** Whether any live session is bound here, kept in step by the session table. */
  hasSessions = false;

  constructor(
    readonly cluster: ClusterRuntime,
    config: ServerConfig,
    now: number,
  ) {
    this.config = config;
    this.target = new URL(config.url);
    this.idleTimeoutSec = cluster.config.backendIdleTimeoutSec;
    this.agent = createBackendAgent(config, AGENT_OPTIONS);
    this.connections = requestConnections(config, this.idleTimeoutSec);
    this.stats = new ServerStats();
    this.tentative = new TentativeSessions(cluster.config.tentativeSessionSec);
  }

  get id(): string {
    return this.config.id;
  }

  update(config: ServerConfig): void {
    const idleTimeoutSec = this.cluster.config.backendIdleTimeoutSec;
    if (config.url !== this.config.url || config.tlsFingerprint !== this.config.tlsFingerprint) {
      this.agent.destroy();
      this.connections.close();
      this.target = new URL(config.url);
      this.agent = createBackendAgent(config, AGENT_OPTIONS);
      this.connections = requestConnections(config, idleTimeoutSec);
    } else if (idleTimeoutSec !== this.idleTimeoutSec) {
      // Requests under way finish on the old connections, which close as they end.
      this.connections.close();
      this.connections = requestConnections(config, idleTimeoutSec);
    }
    this.idleTimeoutSec = idleTimeoutSec;
    this.tentative.resize(this.cluster.config.tentativeSessionSec);
    this.config = config;
  }

  /** Existing sessions stay with an active or draining server; others are moved on their next request. */
  get keepsSessions(): boolean {
    return this.config.enabled && this.health.online;
  }

  deriveState(): ServerState {
    if (!this.config.enabled) return 'disabled';
    if (!this.health.online) return 'offline';
    if (this.config.capacity > 0) return 'active';
    const busy =
      this.hasSessions || this.stats.inflight > 0 || this.stats.websockets > 0 || this.stats.pinned > 0 || this.tentative.count(Date.now()) > 0;
    return busy ? 'draining' : 'drained';
  }

  /** Re-derives the state and reports a change; cheap enough to call on every relevant transition. */
  refreshState(): void {
    const next = this.deriveState();
    if (next === this.state) return;
    const previous = this.state;
    this.state = next;
    this.drainedAt = next === 'drained' && previous !== null ? Date.now() : null;
    this.cluster.onStateChange(this, previous, next);
  }

  close(): void {
    this.agent.destroy();
    this.connections.close();
  }
}

export class ClusterRuntime {
  config: ClusterConfig;
  readonly servers = new Map<string, ServerRuntime>();
  private balancer: Balancer;

  constructor(
    config: ClusterConfig,
    readonly onStateChange: StateListener,
    private readonly sessionCount: (clusterId: string, serverId: string) => number,
  ) {
    this.config = config;
    this.balancer = createBalancer(config.balancing);
  }

  get id(): string {
    return this.config.id;
  }

  get cookieName(): string {
    return this.config.cookieName ?? `sb-${this.config.id}`;
  }

  /** Brings servers in line with the config; returns the runtimes of servers that were removed. */
  update(config: ClusterConfig, now: number): ServerRuntime[] {
    if (config.balancing !== this.config.balancing) this.balancer = createBalancer(config.balancing);
    this.config = config;
    const removed: ServerRuntime[] = [];
    const wanted = new Set(config.servers.map((s) => s.id));
    for (const [id, server] of this.servers) {
      if (!wanted.has(id)) {
        this.servers.delete(id);
        server.close();
        removed.push(server);
      }
    }
    // Rebuild the map in config order, so that ties in balancing follow the admin's order.
    const ordered = config.servers.map((serverConfig) => {
      const existing = this.servers.get(serverConfig.id);
      if (existing) {
        existing.update(serverConfig);
        return existing;
      }
      return new ServerRuntime(this, serverConfig, now);
    });
    this.servers.clear();
    for (const server of ordered) this.servers.set(server.id, server);
    if (this.balancer instanceof SmoothRoundRobinBalancer) this.balancer.retain(wanted);
    return removed;
  }

  /** The server for a new session, chosen among active servers, optionally avoiding one. */
  pickServer(avoid?: ServerRuntime): ServerRuntime | undefined {
    const candidates: (BalanceCandidate & { server: ServerRuntime })[] = [];
    const now = Date.now();
    for (const server of this.servers.values()) {
      if (server === avoid || server.state !== 'active') continue;
      // Tentative sessions count too: new users arriving together are spread before any returns.
      const sessions = this.sessionCount(this.id, server.id) + server.tentative.count(now);
      candidates.push({ id: server.id, capacity: server.config.capacity, sessions, server });
    }
    const picked = this.balancer.pick(candidates) as (BalanceCandidate & { server: ServerRuntime }) | undefined;
    return picked?.server;
  }

  close(): void {
    for (const server of this.servers.values()) server.close();
  }
}

function createBalancer(policy: ClusterConfig['balancing']): Balancer {
  return policy === 'round-robin' ? new SmoothRoundRobinBalancer() : new LeastSessionsBalancer();
}
