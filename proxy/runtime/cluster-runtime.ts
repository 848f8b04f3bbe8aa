/**
 * The live side of a cluster and its servers: config plus health, traffic counters and the one
 * derived state. Runtimes outlive config changes (matched by id), so counters and health carry over.
 */
import type http from 'node:http';
import { createBackendAgent } from '../forwarding/backend-tls.js';
import type { ClusterConfig, ServerConfig } from '../config/config-schema.js';
import type { ServerState } from '../control/control-api.js';
import { HealthTracker } from '../health/server-health.js';
import { ServerStats } from './server-stats.js';
import { TentativeSessions } from '../sessions/tentative-sessions.js';
import { LeastSessionsBalancer, SmoothRoundRobinBalancer, type BalanceCandidate, type Balancer } from '../balancing/balancer.js';

export type StateListener = (server: ServerRuntime, from: ServerState | null, to: ServerState) => void;

/** Connections to one backend are kept alive and reused; these bound what one backend gets. */
const MAX_CONNECTIONS_PER_SERVER = 256;

/** Pooled connections, closed after the cluster's `backendIdleTimeoutSec` unused (or sooner when the backend's Keep-Alive header asks). */
function pooledAgentOptions(idleTimeoutSec: number): http.AgentOptions {
  return { keepAlive: true, keepAliveMsecs: 1000, maxSockets: MAX_CONNECTIONS_PER_SERVER, maxFreeSockets: 64, timeout: idleTimeoutSec * 1000 };
}

/** A connection of its own for each request, for the retry after a pooled one turned out closed. */
const FRESH_AGENT_OPTIONS: http.AgentOptions = { keepAlive: false };

export class ServerRuntime {
  config: ServerConfig;
  target: URL;
  agent: http.Agent;
  freshAgent: http.Agent;
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
    this.agent = createBackendAgent(config, pooledAgentOptions(this.idleTimeoutSec));
    this.freshAgent = createBackendAgent(config, FRESH_AGENT_OPTIONS);
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
      this.freshAgent.destroy();
      this.target = new URL(config.url);
      this.agent = createBackendAgent(config, pooledAgentOptions(idleTimeoutSec));
      this.freshAgent = createBackendAgent(config, FRESH_AGENT_OPTIONS);
    } else if (idleTimeoutSec !== this.idleTimeoutSec) {
      // Requests under way finish on the old pool, whose idle connections then time out on their own.
      this.agent = createBackendAgent(config, pooledAgentOptions(idleTimeoutSec));
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
    this.freshAgent.destroy();
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
