/**
 * The gateway: owns the configuration, the listeners, the session table, health checks and the
 * event stream, and applies every change whole. The per-request work lives in `data-path.ts`;
 * the control API is built over it (as a `GatewayPort`) by the composition root, `switchboard.ts`.
 */
import http from 'node:http';
import type http2 from 'node:http2';
import type https from 'node:https';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { AccessLog } from './logs/access-log.js';
import { compileAccessRule, compileAddressList, type AccessMatcher, type AddressList } from './routing/access-rules.js';
import { watchListenerCertificates, type CertificateWatcher } from './listeners/certificate-watcher.js';
import { ClientLimits } from './requests/client-limits.js';
import { ClusterRuntime, type ServerRuntime } from './runtime/cluster-runtime.js';
import { limitsSchema, type ClusterConfig, type GatewayConfig, type ListenerConfig } from './config/config-schema.js';
import { loadOrCreateConfig, type ConfigStore } from './config/config-store.js';
import type { ChangeSource, GatewayEvent, GatewaySnapshot, ListenerStatus, ServerState } from './control/control-api.js';
import type { GatewayPort } from './control/gateway-port.js';
import { DataPath, type TrafficContext } from './data-path.js';
import { sendSocketError } from './forwarding/error-pages.js';
import { Forwarder } from './forwarding/forwarder.js';
import { ConnectionPins } from './forwarding/connection-pinning.js';
import { acceptRpcOverHttp } from './forwarding/rpc-over-http.js';
import { EventLog, logGatewayEvents } from './logs/event-log.js';
import { EventHub } from './control/gateway-events.js';
import type { GatewayLogger } from './logs/gateway-logger.js';
import { GATEWAY_LOG_FILE_NAME } from './logs/gateway-log-files.js';
import { HealthChecker } from './health/health-checker.js';
import { describeListenError } from './listeners/listen-error.js';
import { createHttpsListenerServer } from './listeners/https-listener.js';
import { createHttpsRedirectHandler } from './routing/https-redirect.js';
import { prepareConfig, reloadListenerTls, type PreparedConfig } from './listeners/listener-tls.js';
import { filesIn, tightenFileModes } from './config/private-files.js';
import { refuseConnect } from './requests/request-hygiene.js';
import { RouteTable } from './routing/route-table.js';
import { SessionBinder } from './sessions/session-binder.js';
import { SessionCookieCodec } from './sessions/session-cookie.js';
import { SessionTable } from './sessions/session-table.js';
import { buildSnapshot } from './runtime/snapshot.js';
import type { StateStore } from './config/state-store.js';
import { listenerCertificates, type LoadedListenerTls } from './listeners/tls-certificates.js';

export interface GatewayOptions {
  configStore: ConfigStore;
  stateStore: StateStore;
  /** Where gateway events are reported besides the event log file, e.g. the console. */
  logger?: GatewayLogger;
}

const STATS_INTERVAL_MS = 1000;
const SAVE_INTERVAL_MS = 5000;
const DEFAULT_GRACE_MS = 10_000;
const SESSION_LIMIT_WARNING_INTERVAL_MS = 60_000;

interface RunningListener {
  config: ListenerConfig;
  server: http.Server | https.Server | http2.Http2SecureServer;
  status: ListenerStatus;
  certificateWatcher: CertificateWatcher | null;
  /** Every open connection, WebSockets included, so that a stop can end them after the grace time. */
  sockets: Set<Duplex>;
}

export class Gateway implements TrafficContext, GatewayPort {
  readonly configStore: ConfigStore;
  readonly logger: GatewayLogger;
  readonly eventLog: EventLog;
  readonly accessLog: AccessLog;
  trustedProxies: AddressList = compileAddressList([]);
  serverAccess: AccessMatcher | undefined = undefined;
  readonly forwarder = new Forwarder();
  readonly clientLimits = new ClientLimits(limitsSchema.parse({}), compileAddressList([]));
  readonly pins = new ConnectionPins(() => this.clientLimits.config.pinnedConnectionsPerClient);
  readonly clusters = new Map<string, ClusterRuntime>();
  routes = new RouteTable([]);
  sessions: SessionTable;
  binder!: SessionBinder;

  private readonly stateStore: StateStore;
  private readonly events = new EventHub();
  private readonly dataPath = new DataPath(this);
  private readonly health: HealthChecker;
  private prepared: PreparedConfig | null = null;
  private listeners: RunningListener[] = [];
  private paused = false;
  private running = false;
  private readonly startedAt = Date.now();
  private statsTimer: NodeJS.Timeout | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> | null = null;
  private sweeping = false;
  private lastSessionLimitWarning = 0;
  private listenerSync: Promise<void> = Promise.resolve();
  private checkedLogDirectory: string | null = null;
  /** While starting, states are still being derived (sessions not yet restored): no change is news. */
  private starting = false;

  constructor(options: GatewayOptions) {
    this.configStore = options.configStore;
    this.stateStore = options.stateStore;
    this.eventLog = new EventLog();
    this.logger = teeLogger(this.eventLog, options.logger);
    this.accessLog = new AccessLog({ logger: this.logger });
    // Every event worth remembering (state changes, drained, offline, online, config changes and
    // who made them) is written from the event stream, so the log and the stream never disagree.
    logGatewayEvents(this.events, this.logger);
    this.sessions = this.newSessionTable();
    this.health = new HealthChecker((server, result) => {
      server.health.lastCheckAt = Date.now();
      if (result.ok) this.healthSucceeded(server);
      else this.healthFailed(server, result.reason);
    });
  }

  /** Loads the configuration (throws ConfigError), restores sessions and starts accepting traffic. */
  async start(): Promise<void> {
    const prepared = this.prepare(loadOrCreateConfig(this.configStore));
    this.binder = new SessionBinder(this.sessions, new SessionCookieCodec(this.stateStore.loadSecret()), {
      perClient: () => this.currentConfig().limits.sessionsPerClient,
      onClientLimit: (client, cluster) => this.sessionLimitReached(client, cluster),
    });
    await this.configureLogs(prepared.config);
    this.starting = true;
    this.applyConfig(prepared);
    this.tightenPermissions([this.configStore.location, ...(this.stateStore.privateFiles?.() ?? [])]);
    await this.restoreSessions();
    this.starting = false;
    this.running = true;
    await this.syncListeners();
    this.announceStart();
    this.statsTimer = setInterval(() => this.tick(), STATS_INTERVAL_MS);
    this.saveTimer = setInterval(() => void this.saveSessions(false), SAVE_INTERVAL_MS);
    this.statsTimer.unref();
    this.saveTimer.unref();
  }

  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then saves sessions; `reason` goes in the event log. */
  async stop(options: { graceMs?: number; reason?: string } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.saveTimer) clearInterval(this.saveTimer);
    this.health.stopAll();
    await this.listenerSync;
    await Promise.all(this.listeners.map((listener) => closeListener(listener, options.graceMs ?? DEFAULT_GRACE_MS)));
    this.listeners = [];
    await this.saveSessions(true);
    for (const cluster of this.clusters.values()) cluster.close();
    this.logger.info('Gateway stopped', { reason: options.reason, sessions: this.sessions.size });
    await Promise.all([this.accessLog.close(), this.eventLog.close()]);
  }

  /** The start line, then each server's state as derived with its sessions restored: where the log's story begins again. */
  private announceStart(): void {
    const listening = this.listenerStatuses().filter((listener) => listener.listening);
    this.logger.info('Gateway started', {
      listeners: listening.map((listener) => `${listener.protocol}://${listener.host}:${listener.port}`).join(' ') || 'none',
      sessions: this.sessions.size,
    });
    for (const cluster of this.clusters.values()) {
      for (const server of cluster.servers.values()) {
        if (server.state) this.stateChanged(server, null, server.state);
      }
    }
  }

  currentConfig(): GatewayConfig {
    if (!this.prepared) throw new Error('The gateway has not been started');
    return this.prepared.config;
  }

  /** Reads what a valid configuration needs from disk (certificates); throws ConfigError if it cannot be used. */
  prepare(config: GatewayConfig): PreparedConfig {
    return prepareConfig(config, this.configStore.location);
  }

  get isPaused(): boolean {
    return this.paused;
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
      clusters: this.clusters,
      sessions: this.sessions,
      listeners: this.listenerStatuses(),
    });
  }

  /**
   * Makes `config` the running configuration: callers have validated and stored it already.
   * Sessions of removed servers and clusters end here; every other session carries over.
   */
  applyConfig(prepared: PreparedConfig, source?: ChangeSource, summary?: string): void {
    const { config } = prepared;
    const now = Date.now();
    const wanted = new Set(config.clusters.map((c) => c.id));
    for (const [id, cluster] of this.clusters) {
      if (wanted.has(id)) continue;
      this.health.stop(id);
      cluster.close();
      this.clusters.delete(id);
      this.sessions.removeCluster(id);
    }
    for (const clusterConfig of config.clusters) this.applyCluster(clusterConfig, now);
    this.routes = new RouteTable(config.routes);
    this.trustedProxies = compileAddressList(config.trustedProxies);
    this.clientLimits.config = config.limits;
    this.clientLimits.trustedProxies = this.trustedProxies;
    this.serverAccess = config.access ? compileAccessRule(config.access) : undefined;
    this.prepared = prepared;
    for (const warning of prepared.listenerTls.flatMap((tls) => tls?.warnings ?? [])) this.logger.warn(warning);
    if (source) {
      this.events.emit({ type: 'config', at: now, source, summary: summary ?? 'update' });
      void this.configureLogs(config);
    }
    if (this.running) void this.syncListeners();
  }

  private async configureLogs(config: GatewayConfig): Promise<void> {
    const directory = config.logs.directory ?? join(dirname(this.configStore.location), 'logs');
    await Promise.all([
      this.eventLog.configure({ ...config.logs.eventLog, directory }),
      this.accessLog.configure({ ...config.logs.accessLog, directory }),
    ]);
    if (directory !== this.checkedLogDirectory) {
      this.checkedLogDirectory = directory;
      this.tightenPermissions(filesIn(directory, GATEWAY_LOG_FILE_NAME));
    }
  }

  /** Files written by an older version or by hand may be readable by anyone: make them owner-only, and say so. */
  private tightenPermissions(paths: string[]): void {
    const changed = tightenFileModes(paths);
    if (changed.length === 0) return;
    this.logger.warn(`Made ${changed.length} file${changed.length === 1 ? '' : 's'} readable by their owner only (they were readable by other users)`, {
      files: changed.join(', '),
    });
  }

  async setPaused(paused: boolean, source: ChangeSource): Promise<void> {
    if (paused === this.paused) return;
    this.paused = paused;
    this.events.emit({ type: 'config', at: Date.now(), source, summary: paused ? 'gateway paused' : 'gateway resumed' });
    await this.syncListeners();
  }

  passiveFailure(server: ServerRuntime, reason: string): void {
    this.healthFailed(server, reason);
  }

  passiveSuccess(server: ServerRuntime): void {
    this.healthSucceeded(server);
  }

  private applyCluster(config: ClusterConfig, now: number): void {
    let cluster = this.clusters.get(config.id);
    if (cluster && sessionsNoLongerRecognised(cluster.config, config)) {
      // No request could ever name these sessions again: counting them would keep servers draining for nothing.
      this.sessions.removeCluster(config.id);
    }
    if (!cluster) {
      cluster = new ClusterRuntime(config, (server, from, to) => this.stateChanged(server, from, to), (c, s) => this.sessions.countOf(c, s));
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
    this.health.schedule(cluster);
  }

  private stateChanged(server: ServerRuntime, from: ServerState | null, to: ServerState): void {
    if (this.starting) return;
    const base = { at: Date.now(), clusterId: server.cluster.id, serverId: server.id, serverName: server.config.name };
    this.events.emit({ type: 'state', ...base, from, to });
    if (to === 'drained' && from !== null) this.events.emit({ type: 'drained', ...base });
  }

  private healthFailed(server: ServerRuntime, reason: string): void {
    if (server.health.failure(server.cluster.config.healthCheck, reason) !== 'offline') return;
    this.events.emit({ type: 'offline', at: Date.now(), clusterId: server.cluster.id, serverId: server.id, serverName: server.config.name, reason });
    server.refreshState();
  }

  private healthSucceeded(server: ServerRuntime): void {
    if (server.health.success(server.cluster.config.healthCheck) !== 'online') return;
    this.events.emit({ type: 'online', at: Date.now(), clusterId: server.cluster.id, serverId: server.id, serverName: server.config.name });
    server.refreshState();
  }

  /** Said once a minute at most: a client creating sessions without end would otherwise flood the log too. */
  private sessionLimitReached(client: string, cluster: ClusterRuntime): void {
    const now = Date.now();
    if (now - this.lastSessionLimitWarning < SESSION_LIMIT_WARNING_INTERVAL_MS) return;
    this.lastSessionLimitWarning = now;
    const limit = this.currentConfig().limits.sessionsPerClient;
    this.logger.warn(`Client ${client} holds ${limit} sessions, the most one address may (limits.sessionsPerClient); its new sessions on "${cluster.config.name}" are served but not kept`);
  }

  private newSessionTable(): SessionTable {
    return new SessionTable(Date.now(), (clusterId, serverId, occupied) => {
      const server = this.clusters.get(clusterId)?.servers.get(serverId);
      if (!server) return;
      server.hasSessions = occupied;
      server.refreshState();
    });
  }

  private tick(): void {
    const now = Date.now();
    this.sweep();
    for (const cluster of this.clusters.values()) {
      for (const server of cluster.servers.values()) {
        server.stats.tick(now, this.sessions.countOf(cluster.id, server.id));
        // A draining server's tentative sessions run out with time, not with any request.
        if (server.state === 'draining') server.refreshState();
      }
    }
    if (this.events.hasListeners) this.events.emit({ type: 'stats', at: now, snapshot: this.snapshot() });
  }

  /** Expires due sessions in slices, so that a million expiring at once never stalls traffic. */
  private sweep(): void {
    if (this.sweeping) return;
    if (this.sessions.sweep(Date.now())) return;
    this.sweeping = true;
    const more = (): void => {
      if (this.sessions.sweep(Date.now())) this.sweeping = false;
      else setImmediate(more);
    };
    setImmediate(more);
  }

  private async restoreSessions(): Promise<void> {
    try {
      const saved = await this.stateStore.loadSessions();
      if (saved === null) return;
      const restored = this.sessions.restore(saved, Date.now(), (c, s) => this.clusters.get(c)?.servers.has(s) ?? false);
      this.sessions.dirty = false;
      if (restored > 0) this.logger.info(`Restored ${restored} live session${restored === 1 ? '' : 's'}`);
    } catch (error) {
      this.logger.warn(`Saved sessions could not be read and were not restored: ${(error as Error).message}`);
    }
  }

  private async saveSessions(final: boolean): Promise<void> {
    if (this.saving) await this.saving;
    if (!final && !this.sessions.dirty) return;
    this.sessions.dirty = false;
    this.saving = this.stateStore
      .saveSessions(this.sessions.serialize())
      .catch((error: Error) => {
        this.sessions.dirty = true;
        this.logger.error(`Sessions could not be saved: ${error.message}`);
      })
      .finally(() => {
        this.saving = null;
      });
    await this.saving;
  }

  private listenerStatuses(): ListenerStatus[] {
    const running = new Map(this.listeners.map((l) => [l.config.port, l.status]));
    return (this.prepared?.config.listeners ?? []).map(
      (config) =>
        running.get(config.port) ?? {
          port: config.port,
          host: config.host,
          protocol: config.tls ? 'https' : 'http',
          listening: false,
          error: this.paused ? 'paused' : null,
        },
    );
  }

  /** Opens, closes or reopens listeners so that they match the config and the paused flag; one change at a time. */
  private syncListeners(): Promise<void> {
    this.listenerSync = this.listenerSync.then(() => this.syncListenersNow());
    return this.listenerSync;
  }

  private async syncListenersNow(): Promise<void> {
    const prepared = this.prepared;
    const wanted = this.running && !this.paused && prepared ? prepared.config.listeners : [];
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
      .map(({ config, index }) => this.openListener(config, prepared!, index));
    this.listeners = [...keep, ...(await Promise.all(opening))];
  }

  private openListener(config: ListenerConfig, prepared: PreparedConfig, index: number): Promise<RunningListener> {
    const secure = Boolean(config.tls);
    const handler = config.redirectToHttps
      ? createHttpsRedirectHandler(config.redirectToHttps.port)
      : (req: http.IncomingMessage, res: http.ServerResponse): void => this.dataPath.handleRequest(req, res, secure);
    const tls = prepared.listenerTls[index] ?? null;
    const { server, certificateWatcher } = tls
      ? this.createHttpsServer(config, tls, prepared, index, handler)
      : { server: http.createServer(handler), certificateWatcher: null };
    acceptRpcOverHttp(server, tls ? 'secureConnection' : 'connection', handler);
    if ('keepAliveTimeout' in server) {
      server.keepAliveTimeout = 5000;
      server.headersTimeout = 30_000;
    }
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.dataPath.handleUpgrade(req, socket, head, secure));
    server.on('connect', (_req: http.IncomingMessage, socketOrResponse: Duplex | http.ServerResponse) => refuseConnect(socketOrResponse));
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      if (error.code === 'HPE_HEADER_OVERFLOW') sendSocketError(socket, 431, 'The request headers are too large.');
      else if (error.code === 'ECONNRESET' || !socket.writable) socket.destroy();
      else sendSocketError(socket, 400, 'The request could not be understood.');
    });
    const sockets = new Set<Duplex>();
    server.on('connection', (socket: Duplex) => {
      // Over HTTP the request on it is answered with a 429; over HTTPS the handshake has not even begun.
      if (!this.clientLimits.admitConnection(socket) && secure) {
        socket.destroy();
        return;
      }
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    const status: ListenerStatus = { port: config.port, host: config.host, protocol: secure ? 'https' : 'http', listening: false, error: null };
    if (tls) {
      status.certificates = listenerCertificates(tls);
      status.warnings = tls.warnings;
    }
    const running: RunningListener = { config, server, status, certificateWatcher, sockets };
    return new Promise((resolve) => {
      const failed = (error: NodeJS.ErrnoException): void => {
        status.error = describeListenError(error, config.host, config.port);
        this.logger.error(`Listener ${config.host}:${config.port} could not start: ${status.error}`);
        certificateWatcher?.close();
        resolve(running);
      };
      server.once('error', failed);
      server.listen(config.port, config.host, () => {
        server.removeListener('error', failed);
        server.on('error', (error) => this.logger.error(`Listener ${config.host}:${config.port} failed: ${error.message}`));
        status.listening = true;
        resolve(running);
      });
    });
  }

  private createHttpsServer(
    config: ListenerConfig,
    tls: LoadedListenerTls,
    prepared: PreparedConfig,
    index: number,
    handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  ): { server: https.Server | http2.Http2SecureServer; certificateWatcher: CertificateWatcher } {
    const { server, certificates } = createHttpsListenerServer(tls, handler, { http2: config.tls?.http2 ?? false });
    const certificateWatcher = watchListenerCertificates({
      certificates,
      reload: () => {
        const next = reloadListenerTls(prepared, index, this.configStore.location);
        const status = this.listeners.find((l) => l.server === server)?.status;
        if (status) {
          status.certificates = listenerCertificates(next);
          status.warnings = next.warnings;
        }
        return next;
      },
      logger: this.logger,
      label: `listener :${config.port}`,
    });
    return { server, certificateWatcher };
  }
}

/** A new way of telling sessions apart (cookie ↔ client address, or another cookie name) orphans the old ones. */
function sessionsNoLongerRecognised(before: ClusterConfig, after: ClusterConfig): boolean {
  return before.sessionMethod !== after.sessionMethod || (after.sessionMethod === 'cookie' && before.cookieName !== after.cookieName);
}

/** Writes each line to the event log and, when given, to a second logger such as the console. */
function teeLogger(first: GatewayLogger, second: GatewayLogger | undefined): GatewayLogger {
  if (!second) return first;
  return {
    info: (message, fields) => (first.info(message, fields), second.info(message, fields)),
    warn: (message, fields) => (first.warn(message, fields), second.warn(message, fields)),
    error: (message, fields) => (first.error(message, fields), second.error(message, fields)),
  };
}

function closeListener(listener: RunningListener, graceMs: number): Promise<void> {
  listener.status.listening = false;
  listener.certificateWatcher?.close();
  const server = listener.server;
  if (!server.listening) return Promise.resolve();
  const closeIdle = (): void => {
    // An HTTP/2 server has no idle HTTP/1 connections to close: its sessions end on close().
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      for (const socket of listener.sockets) socket.destroy();
    }, graceMs);
    // Keep-alive connections turn idle as their last response ends; close each as soon as it does.
    const idle = setInterval(closeIdle, 50);
    server.close(() => {
      clearTimeout(force);
      clearInterval(idle);
      resolve();
    });
    closeIdle();
  });
}
