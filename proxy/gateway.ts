/**
 * The gateway: starts, stops, applies a configuration whole and snapshots its state. Its parts do
 * the rest: the live traffic state the data path reads (`runtime/live-traffic.ts`), the listeners
 * (`listeners/listener-set.ts`), health checks, session persistence and the stats tick. The control
 * API is built over it (as a `GatewayPort`) by the composition root, `switchboard.ts`. The state
 * model it keeps is described in docs/architecture.md.
 */
import { loadOrCreateConfig, type ConfigStore } from './config/config-store.js';
import type { GatewayConfig } from './config/config-schema.js';
import type { StateStore } from './config/state-store.js';
import type { ChangeSource, GatewayEvent, GatewaySnapshot, ListenerStatus } from './control/control-api.js';
import { EventHub } from './control/gateway-events.js';
import type { GatewayPort } from './control/gateway-port.js';
import { DataPath } from './data-path.js';
import { HealthChecker } from './health/health-checker.js';
import { ServerHealthUpdates } from './health/server-health-updates.js';
import { ListenerSet } from './listeners/listener-set.js';
import { prepareConfig, type PreparedConfig } from './listeners/listener-tls.js';
import type { AccessLog } from './logs/access-log.js';
import { logGatewayEvents, type EventLog } from './logs/event-log.js';
import type { GatewayLogger } from './logs/gateway-logger.js';
import { GatewayLogs } from './logs/gateway-logs.js';
import type { ClusterRuntime } from './runtime/cluster-runtime.js';
import { LiveTraffic } from './runtime/live-traffic.js';
import { buildSnapshot } from './runtime/snapshot.js';
import { StateEvents } from './runtime/state-events.js';
import { StatsTicker } from './runtime/stats-ticker.js';
import type { SessionBinder } from './sessions/session-binder.js';
import { sessionLimitWarning } from './sessions/session-limit-warning.js';
import { SessionPersistence } from './sessions/session-persistence.js';
import { SessionSweeper } from './sessions/session-sweeper.js';
import type { SessionTable } from './sessions/session-table.js';

export interface GatewayOptions {
  configStore: ConfigStore;
  stateStore: StateStore;
  /** Where gateway events are reported besides the event log file, e.g. the console. */
  logger?: GatewayLogger;
}

const DEFAULT_GRACE_MS = 10_000;

export class Gateway implements GatewayPort {
  readonly configStore: ConfigStore;
  private readonly stateStore: StateStore;
  private readonly logs: GatewayLogs;
  /** The gateway's own record of its events: the event log. */
  private readonly loggedEvents = new EventHub();
  /** Whoever subscribed: the console, the tray, the admin API's event stream. */
  private readonly events = new EventHub();
  private readonly emit = (event: GatewayEvent): void => {
    this.loggedEvents.emit(event);
    this.events.emit(event);
  };
  private readonly stateEvents = new StateEvents(this.emit);
  private readonly healthUpdates = new ServerHealthUpdates(this.emit);
  private readonly health = new HealthChecker((server, result) => this.healthUpdates.checked(server, result));
  private readonly traffic: LiveTraffic;
  private readonly listeners: ListenerSet;
  private readonly persistence: SessionPersistence;
  private readonly ticker: StatsTicker;
  private prepared: PreparedConfig | null = null;
  private paused = false;
  private running = false;
  private readonly startedAt = Date.now();

  constructor(options: GatewayOptions) {
    this.configStore = options.configStore;
    this.stateStore = options.stateStore;
    this.logs = new GatewayLogs(this.configStore.location, options.logger);
    // Every event worth remembering (state changes, drained, offline, online, config changes and
    // who made them) is written from the events as they are sent, so the log and the stream never
    // disagree. The log is not a subscriber: with nobody else listening, no stats snapshot is built.
    logGatewayEvents(this.loggedEvents, this.logger);
    this.traffic = new LiveTraffic(this.logs.accessLog, this.healthUpdates, this.stateEvents.changed);
    const dataPath = new DataPath(this.traffic);
    this.listeners = new ListenerSet({
      handlers: {
        request: (req, res, secure) => dataPath.handleRequest(req, res, secure),
        upgrade: (req, socket, head, secure) => dataPath.handleUpgrade(req, socket, head, secure),
        admitConnection: (socket) => this.traffic.clientLimits.admitConnection(socket),
      },
      logger: this.logger,
      configLocation: this.configStore.location,
      wanted: () => (this.running && !this.paused ? this.prepared : null),
    });
    this.persistence = new SessionPersistence(this.traffic.sessions, this.stateStore, this.logger);
    this.ticker = new StatsTicker({
      clusters: this.traffic.clusters,
      sessions: this.traffic.sessions,
      sweeper: new SessionSweeper(this.traffic.sessions),
      hasListeners: () => this.events.hasListeners,
      snapshot: () => this.snapshot(),
      // Stats ticks are no news to the log.
      emit: (event) => this.events.emit(event),
    });
  }

  get logger(): GatewayLogger {
    return this.logs.logger;
  }

  get eventLog(): EventLog {
    return this.logs.eventLog;
  }

  get accessLog(): AccessLog {
    return this.logs.accessLog;
  }

  get clusters(): ReadonlyMap<string, ClusterRuntime> {
    return this.traffic.clusters;
  }

  get sessions(): SessionTable {
    return this.traffic.sessions;
  }

  get binder(): SessionBinder {
    return this.traffic.binder;
  }

  /** Loads the configuration (throws ConfigError), restores sessions and starts accepting traffic. */
  async start(): Promise<void> {
    const prepared = this.prepare(loadOrCreateConfig(this.configStore));
    this.traffic.startSessions(this.stateStore.loadSecret(), {
      perClient: () => this.currentConfig().limits.sessionsPerClient,
      onClientLimit: sessionLimitWarning(this.logger, () => this.currentConfig().limits.sessionsPerClient),
    });
    await this.logs.configure(prepared.config);
    this.stateEvents.quiet = true;
    this.applyConfig(prepared);
    this.logs.tightenPermissions([this.configStore.location, ...(this.stateStore.privateFiles?.() ?? [])]);
    await this.persistence.restore((c, s) => this.traffic.clusters.get(c)?.servers.has(s) ?? false);
    this.stateEvents.quiet = false;
    this.running = true;
    await this.listeners.sync();
    this.announceStart();
    this.ticker.start();
    this.persistence.startSaving();
  }

  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then saves sessions; `reason` goes in the event log. */
  async stop(options: { graceMs?: number; reason?: string } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.ticker.stop();
    this.persistence.stopSaving();
    this.health.stopAll();
    await this.listeners.closeAll(options.graceMs ?? DEFAULT_GRACE_MS);
    await this.persistence.save(true);
    this.traffic.close();
    this.logger.info('Gateway stopped', { reason: options.reason, sessions: this.traffic.sessions.size });
    await this.logs.close();
  }

  /** The start line, then each server's state as derived with its sessions restored: where the log's story begins again. */
  private announceStart(): void {
    const listening = this.listenerStatuses().filter((listener) => listener.listening);
    this.logger.info('Gateway started', {
      listeners: listening.map((listener) => `${listener.protocol}://${listener.host}:${listener.port}`).join(' ') || 'none',
      sessions: this.traffic.sessions.size,
    });
    this.stateEvents.announce(this.traffic.clusters.values());
  }

  currentConfig(): GatewayConfig {
    if (!this.prepared) throw new Error('The gateway has not been started');
    return this.prepared.config;
  }

  /** Reads what a valid configuration needs from disk (certificates); throws ConfigError if it cannot be used. */
  prepare(config: GatewayConfig): PreparedConfig {
    return prepareConfig(config, this.configStore.location);
  }

  subscribe(listener: (event: GatewayEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  snapshot(): GatewaySnapshot {
    return buildSnapshot({
      now: Date.now(),
      startedAt: this.startedAt,
      paused: this.paused,
      config: this.currentConfig(),
      clusters: this.traffic.clusters,
      sessions: this.traffic.sessions,
      listeners: this.listenerStatuses(),
    });
  }

  private listenerStatuses(): ListenerStatus[] {
    return this.listeners.statuses(this.prepared?.config.listeners ?? [], this.paused);
  }

  /**
   * Makes `config` the running configuration: callers have validated and stored it already.
   * Sessions of removed servers and clusters end here; every other session carries over.
   */
  applyConfig(prepared: PreparedConfig, source?: ChangeSource, summary?: string): void {
    const { config } = prepared;
    const now = Date.now();
    for (const removed of this.traffic.apply(config, now)) this.health.stop(removed);
    for (const cluster of this.traffic.clusters.values()) this.health.schedule(cluster);
    this.prepared = prepared;
    for (const warning of prepared.listenerTls.flatMap((tls) => tls?.warnings ?? [])) this.logger.warn(warning);
    if (source) {
      this.emit({ type: 'config', at: now, source, summary: summary ?? 'update' });
      void this.logs.configure(config);
    }
    if (this.running) void this.listeners.sync();
  }

  /** Closes the listeners (sessions and everything else stay) or opens them again. */
  async setPaused(paused: boolean, source: ChangeSource): Promise<void> {
    if (paused === this.paused) return;
    this.paused = paused;
    this.emit({ type: 'config', at: Date.now(), source, summary: paused ? 'gateway paused' : 'gateway resumed' });
    await this.listeners.sync();
  }
}
