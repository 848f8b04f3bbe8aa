/** What the control API reports: the live snapshot, session lists, history, probes and events. */
import type { ClusterConfig, HealthCheckConfig, RouteConfig } from '../config/config-schema.js';

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
