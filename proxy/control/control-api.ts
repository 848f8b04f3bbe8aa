/**
 * The one control contract of Switchboard. The Electron main process calls it in-process, the
 * preload bridge forwards it over IPC, and the admin HTTP API maps it onto REST + SSE. The
 * renderer imports only these *types*.
 */
import type {
  AccessRuleConfig,
  ClusterConfig,
  CompressionConfig,
  GatewayConfig,
  HealthCheckConfig,
  HostHeaderConfig,
  ListenerConfig,
  LogsConfig,
  RouteConfig,
  ServerConfig,
} from '../config/config-schema.js';

export type {
  AccessRuleConfig,
  ClusterConfig,
  CompressionConfig,
  GatewayConfig,
  HealthCheckConfig,
  HostHeaderConfig,
  ListenerConfig,
  LogsConfig,
  RouteConfig,
  ServerConfig,
};

/** Exactly one at a time; derived from config, health and live traffic. */
export type ServerState = 'active' | 'draining' | 'drained' | 'offline' | 'disabled';

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
}

/** Error answers for one server over the last `windowSec` seconds, by who made them. */
export interface ErrorWindow {
  windowSec: number;
  /** Requests sent to the server in the same window: the errors' share of them is the error rate. */
  requests: number;
  /** Answers from the backend itself. */
  backend4xx: number;
  backend5xx: number;
  /** Answers the gateway made because the server could not be reached (502), was busy (503) or too slow (504). */
  gateway502: number;
  gateway503: number;
  gateway504: number;
}

/** One point of a server's history, kept every 10 s. */
export interface ServerHistoryPoint {
  at: number;
  sessions: number;
  requestsPerSec: number;
  /** Latency p99 in ms over the most recent requests at that time. */
  p99: number;
  /** 5xx answers (the backend's and the gateway's) in the 10 s before `at`. */
  errors: number;
}

export interface ServerHistory {
  clusterId: string;
  serverId: string;
  /** Oldest first, one every 10 s, at most the last hour. */
  points: ServerHistoryPoint[];
}

export interface ServerHealth {
  online: boolean;
  /** Epoch ms of the last active check, or null before the first one. */
  lastCheckAt: number | null;
  /** Why the server is (or last was) failing, e.g. "connect ECONNREFUSED 127.0.0.1:3001". */
  lastError: string | null;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
}

export interface ServerSnapshot {
  id: string;
  name: string;
  url: string;
  capacity: number;
  enabled: boolean;
  /** The capacity a drain started from, while drained by `drainServer`. */
  drainedFromCapacity: number | null;
  state: ServerState;
  /**
   * `drained` with nothing ever to drain: a server staged at capacity 0 that takes no new
   * sessions and never had any since. It is not "safe to stop" in the sense of a finished drain.
   */
  standby: boolean;
  /** `drained` after a drain: it was taking users and has none left, so it can be stopped. */
  safeToStop: boolean;
  /** Epoch ms when its drain finished, if that happened since the gateway started; else null. */
  drainedAt: number | null;
  online: boolean;
  health: ServerHealth;
  /** Live sessions bound to this server. */
  sessions: number;
  /** Epoch ms by which every live session will have expired if no one returns; null without sessions. */
  sessionsExpireBy: number | null;
  inflight: number;
  websockets: number;
  /** Client connections holding a backend connection of their own for Windows Integrated Authentication. */
  pinnedConnections: number;
  /** Total requests since the gateway started. */
  requests: number;
  /** Mean over the last 5 whole seconds. */
  requestsPerSec: number;
  /** Total failed requests (backend unreachable, timeouts, 5xx produced by the gateway). */
  errors: number;
  latencyMs: LatencySummary;
  errorWindow: ErrorWindow;
}

export interface ClusterSnapshot {
  id: string;
  name: string;
  enabled: boolean;
  sessionMethod: ClusterConfig['sessionMethod'];
  sessionTimeoutSec: number;
  sessionMaxLifetimeSec: number | null;
  balancing: ClusterConfig['balancing'];
  healthCheck: HealthCheckConfig;
  servers: ServerSnapshot[];
  sessions: number;
  requestsPerSec: number;
}

export interface ListenerStatus {
  port: number;
  host: string;
  protocol: 'http' | 'https';
  /** Whether the listener is accepting; false with `error` when it could not bind. */
  listening: boolean;
  error: string | null;
  /** HTTPS listeners: the certificates being served, the default one first. */
  certificates?: ListenerCertificate[];
  /** Things an admin should act on, e.g. a certificate that expires within 14 days. */
  warnings?: string[];
}

export interface ListenerCertificate {
  /** Host name patterns it is served for by SNI; empty for the listener's default certificate. */
  hostnames: string[];
  subject: string;
  issuer: string;
  /** Epoch ms after which browsers refuse it. */
  notAfter: number;
  fingerprint256: string;
}

export interface GatewaySnapshot {
  /** Epoch ms when the snapshot was taken. */
  at: number;
  startedAt: number;
  /** A paused gateway keeps its listeners closed; sessions are kept. */
  paused: boolean;
  listeners: ListenerStatus[];
  routes: RouteConfig[];
  clusters: ClusterSnapshot[];
}

export interface SessionInfo {
  /** Shortened session id, safe to show: never enough to forge or steal a cookie. */
  id: string;
  client: string;
  createdAt: number;
  lastSeenAt: number;
  /** Epoch ms at which the session expires if the user does not return. */
  expiresAt: number;
  requests: number;
}

export interface SessionList {
  total: number;
  sessions: SessionInfo[];
}

/** Who asked for a change, for the event stream and the gateway log. */
export type ChangeSource = 'api' | 'dashboard' | 'tray' | 'config-file' | 'system';

export type GatewayEvent =
  | { type: 'state'; at: number; clusterId: string; serverId: string; serverName: string; from: ServerState | null; to: ServerState }
  | { type: 'drained'; at: number; clusterId: string; serverId: string; serverName: string }
  | { type: 'offline'; at: number; clusterId: string; serverId: string; serverName: string; reason: string }
  | { type: 'online'; at: number; clusterId: string; serverId: string; serverName: string }
  | { type: 'config'; at: number; source: ChangeSource; summary: string }
  | { type: 'stats'; at: number; snapshot: GatewaySnapshot };

export type GatewayEventType = GatewayEvent['type'];

/** Fields of a cluster that may be created or changed through the control API. */
export interface ClusterInput {
  id?: string;
  name: string;
  enabled?: boolean;
  sessionMethod?: ClusterConfig['sessionMethod'];
  cookieName?: string;
  sessionTimeoutSec?: number;
  sessionMaxLifetimeSec?: number | null;
  balancing?: ClusterConfig['balancing'];
  requestTimeoutSec?: number;
  maxPinnedConnectionsPerServer?: number;
  healthCheck?: Partial<HealthCheckConfig>;
  hostHeader?: HostHeaderConfig;
  compression?: Partial<CompressionConfig>;
  rewriteResponseUrls?: boolean;
  servers?: ServerInput[];
}
export type ClusterPatch = Partial<Omit<ClusterInput, 'id' | 'servers'>>;

export interface ServerInput {
  id?: string;
  name: string;
  url: string;
  capacity?: number;
  enabled?: boolean;
  /** SHA-256 fingerprint (`AA:BB:…`) of a self-signed certificate to trust on an https:// server. */
  tlsFingerprint?: string | null;
}
export type ServerPatch = Partial<Pick<ServerInput, 'name' | 'url' | 'capacity' | 'enabled' | 'tlsFingerprint'>>;

export interface RouteInput {
  host?: string;
  path?: string;
  /** The path the application has on its servers, replacing `path` (which must then end with "/"). */
  backendPath?: string;
  cluster: string;
}

/** Gateway-wide settings; each given field replaces the current one (`logs` is merged, `access: null` removes the rule). */
export interface SettingsPatch {
  listeners?: ListenerConfig[];
  access?: AccessRuleConfig | null;
  trustedProxies?: string[];
  logs?: {
    directory?: string | null;
    accessLog?: Partial<LogsConfig['accessLog']>;
    eventLog?: Partial<LogsConfig['eventLog']>;
  };
}

/** What `probeServer` checks: a server's address, before it is saved anywhere. */
export interface ServerProbeInput {
  url: string;
  tlsFingerprint?: string | null;
}

/** The outcome of one health probe, as the cluster's health check would judge it. */
export interface ProbeReport {
  ok: boolean;
  /** Why it failed, e.g. "connect ECONNREFUSED 127.0.0.1:3001"; null when it passed. */
  error: string | null;
  /** How long the probe took, in milliseconds. */
  durationMs: number;
  /** What was checked, e.g. "HTTP GET / (online below 500)". */
  check: string;
  /** Epoch ms when the probe finished. */
  at: number;
}

export interface SessionListOptions {
  /** At most this many sessions, most recently seen first (default 1000, at most 100000). */
  limit?: number;
}

/**
 * Every method may reject with a ControlError: `invalid` (with field issues), `not-found`.
 * Changes are validated whole before anything is applied or written.
 */
export interface ControlApi {
  getState(): Promise<GatewaySnapshot>;
  getConfig(): Promise<GatewayConfig>;
  listSessions(clusterId: string, serverId: string, options?: SessionListOptions): Promise<SessionList>;
  /**
   * Ends one live session (by the id `listSessions` shows) at once, e.g. to finish a drain early:
   * the user's next request starts a new session on an active server.
   */
  endSession(clusterId: string, serverId: string, sessionId: string, source?: ChangeSource): Promise<void>;
  /** The server's last hour, one point per 10 s, kept by the gateway. */
  getHistory(clusterId: string, serverId: string): Promise<ServerHistory>;
  /** Runs one health probe of `input.url` with the cluster's health check settings; saves nothing. */
  probeServer(clusterId: string, input: ServerProbeInput): Promise<ProbeReport>;

  addCluster(input: ClusterInput, source?: ChangeSource): Promise<ClusterConfig>;
  updateCluster(clusterId: string, patch: ClusterPatch, source?: ChangeSource): Promise<ClusterConfig>;
  removeCluster(clusterId: string, source?: ChangeSource): Promise<void>;

  addServer(clusterId: string, input: ServerInput, source?: ChangeSource): Promise<ServerConfig>;
  updateServer(clusterId: string, serverId: string, patch: ServerPatch, source?: ChangeSource): Promise<ServerConfig>;
  removeServer(clusterId: string, serverId: string, source?: ChangeSource): Promise<void>;
  /** Capacity → 0, remembering the old capacity so `restoreServer` can put it back. */
  drainServer(clusterId: string, serverId: string, source?: ChangeSource): Promise<ServerConfig>;
  restoreServer(clusterId: string, serverId: string, source?: ChangeSource): Promise<ServerConfig>;

  setRoutes(routes: RouteInput[], source?: ChangeSource): Promise<RouteConfig[]>;
  /**
   * Replaces the whole configuration with `config` (a document as `getConfig` gives it), validated
   * whole: on any issue nothing is applied or written. The running `admin` settings are kept, so
   * an import never changes the console's own address or token.
   */
  importConfig(config: unknown, source?: ChangeSource): Promise<GatewayConfig>;
  /** Listeners (HTTPS certificates included), access rule, trusted proxies and logs. */
  updateSettings(patch: SettingsPatch, source?: ChangeSource): Promise<GatewayConfig>;
  setPaused(paused: boolean, source?: ChangeSource): Promise<void>;

  /** Events as they happen; `stats` at most once a second. Returns the unsubscribe function. */
  subscribe(listener: (event: GatewayEvent) => void): () => void;
}
