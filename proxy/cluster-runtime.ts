/**
 * The live side of a cluster and its servers: config plus health, traffic counters and the one
 * derived state. Runtimes outlive config changes (matched by id), so counters and health carry over.
 */
import type http from 'node:http';
import { createBackendAgent } from './backend-tls.js';
import type { ClusterConfig, ServerConfig } from './config-schema.js';
import type { ServerState } from './control-api.js';
import { HealthTracker } from './server-health.js';
import { ServerStats } from './server-stats.js';
import { LeastSessionsBalancer, SmoothRoundRobinBalancer, type BalanceCandidate, type Balancer } from './balancer.js';

export type StateListener = (server: ServerRuntime, from: ServerState | null, to: ServerState) => void;

/** Connections to one backend are kept alive and reused; these bound what one backend gets. */
const AGENT_OPTIONS: http.AgentOptions = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, maxFreeSockets: 64, timeout: 60_000 };

export class ServerRuntime {
  config: ServerConfig;
  target: URL;
  agent: http.Agent;
  readonly health = new HealthTracker();
  readonly stats: ServerStats;
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
    this.agent = createBackendAgent(config, AGENT_OPTIONS);
    this.stats = new ServerStats(now);
  }

  get id(): string {
    return this.config.id;
  }

  update(config: ServerConfig): void {
    if (config.url !== this.config.url || config.tlsFingerprint !== this.config.tlsFingerprint) {
      this.agent.destroy();
      this.target = new URL(config.url);
      this.agent = createBackendAgent(config, AGENT_OPTIONS);
    }
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
    const busy = this.hasSessions || this.stats.inflight > 0 || this.stats.websockets > 0;
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
    for (const server of this.servers.values()) {
      if (server === avoid || server.state !== 'active') continue;
      candidates.push({ id: server.id, capacity: server.config.capacity, sessions: this.sessionCount(this.id, server.id), server });
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
