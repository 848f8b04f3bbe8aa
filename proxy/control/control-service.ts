/**
 * The in-process implementation of the control API. Every change is made on a copy of the
 * configuration, validated whole, written, and only then applied: an invalid change leaves both
 * the running gateway and the stored file as they were.
 */
import type { ClusterConfig, GatewayConfig, RouteConfig, ServerConfig } from '../config/config-schema.js';
import { ConfigError, isRecord, validateConfig, type ConfigIssue } from '../config/config-validation.js';
import type {
  ChangeSource,
  ClusterInput,
  ClusterPatch,
  ControlApi,
  GatewayEvent,
  GatewaySnapshot,
  ProbeReport,
  ServerHistory,
  RouteInput,
  ServerInput,
  ServerPatch,
  ServerProbeInput,
  SessionList,
  SessionListOptions,
  SettingsPatch,
} from './control-api.js';
import { ControlError } from './control-error.js';
import { SHOWN_SESSION_ID_LENGTH } from '../data-path.js';
import { probeUrl } from '../health/server-probe.js';
import type { GatewayPort } from './gateway-port.js';
import type { PreparedConfig } from '../listeners/listener-tls.js';
import { uniqueSlug } from '../config/slug.js';

const SERVER_PATCH_FIELDS = new Set(['name', 'url', 'capacity', 'enabled', 'tlsFingerprint']);
const CLUSTER_PATCH_FIELDS = new Set([
  'name', 'enabled', 'sessionMethod', 'cookieName', 'sessionTimeoutSec', 'sessionMaxLifetimeSec', 'balancing', 'requestTimeoutSec', 'maxPinnedConnectionsPerServer', 'healthCheck',
  'hostHeader', 'compression', 'rewriteResponseUrls',
]);
const SETTINGS_FIELDS = new Set(['listeners', 'access', 'trustedProxies', 'logs']);
const DEFAULT_SESSION_LIMIT = 1000;
const MAX_SESSION_LIMIT = 100_000;

type Draft = GatewayConfig & Record<string, unknown>;

export class ControlService implements ControlApi {
  constructor(private readonly gateway: GatewayPort) {}

  async getState(): Promise<GatewaySnapshot> {
    return this.gateway.snapshot();
  }

  async getConfig(): Promise<GatewayConfig> {
    return structuredClone(this.gateway.currentConfig());
  }

  async listSessions(clusterId: string, serverId: string, options: SessionListOptions = {}): Promise<SessionList> {
    const { cluster } = this.findServer(this.gateway.currentConfig(), clusterId, serverId);
    const limit = Math.max(1, Math.min(MAX_SESSION_LIMIT, Math.floor(Number(options.limit ?? DEFAULT_SESSION_LIMIT)) || DEFAULT_SESSION_LIMIT));
    const now = Date.now();
    const table = this.gateway.sessions;
    const sessions = table.list(clusterId, serverId, limit, now).map((session) => ({
      id: cluster.sessionMethod === 'cookie' ? session.key.slice(0, SHOWN_SESSION_ID_LENGTH) : session.key,
      client: session.client,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: table.expiryOf(session),
      requests: session.requests,
    }));
    return { total: table.countOf(clusterId, serverId), sessions };
  }

  async endSession(clusterId: string, serverId: string, sessionId: string, source: ChangeSource = 'api'): Promise<void> {
    const { cluster } = this.findServer(this.gateway.currentConfig(), clusterId, serverId);
    if (typeof sessionId !== 'string' || sessionId === '') {
      throw new ControlError('invalid', 'sessionId must be a session id from the session list', [{ path: 'sessionId', message: 'must be a session id from the session list' }]);
    }
    const table = this.gateway.sessions;
    const shown = (key: string) => (cluster.sessionMethod === 'cookie' ? key.slice(0, SHOWN_SESSION_ID_LENGTH) : key);
    const matches = table.list(clusterId, serverId, Number.MAX_SAFE_INTEGER, Date.now()).filter((session) => shown(session.key) === sessionId);
    if (matches.length === 0) throw new ControlError('not-found', `There is no live session "${sessionId}" on server "${serverId}"`);
    const now = Date.now();
    for (const session of matches) this.gateway.binder.end(session, now);
    this.gateway.logger.info(`session ${sessionId} of server "${serverId}" in "${clusterId}" ended (${source})`);
  }

  async getHistory(clusterId: string, serverId: string): Promise<ServerHistory> {
    this.findServer(this.gateway.currentConfig(), clusterId, serverId);
    const server = this.gateway.clusters.get(clusterId)?.servers.get(serverId);
    return { clusterId, serverId, points: server ? server.stats.history.points(Date.now()) : [] };
  }

  async probeServer(clusterId: string, input: ServerProbeInput): Promise<ProbeReport> {
    const config = this.gateway.currentConfig();
    requireRecord(input, 'server to probe');
    const cluster = config.clusters[this.clusterIndex(config, clusterId)]!;
    return probeUrl(input, cluster.healthCheck);
  }

  async addCluster(input: ClusterInput, source: ChangeSource = 'api'): Promise<ClusterConfig> {
    requireRecord(input, 'cluster');
    return this.change(source, `cluster "${String(input.name)}" added`, (draft) => {
      const cluster: Record<string, unknown> = { ...input };
      if (cluster.sessionMaxLifetimeSec === null) delete cluster.sessionMaxLifetimeSec;
      if (cluster.id === undefined) cluster.id = uniqueSlug(String(input.name ?? ''), new Set(draft.clusters.map((c) => c.id)), 'cluster');
      draft.clusters.push(cluster as unknown as ClusterConfig);
      // The first cluster should take traffic without a separate routing step.
      if (draft.routes.length === 0) draft.routes.push({ host: '*', path: '/', cluster: String(cluster.id) });
      const index = draft.clusters.length - 1;
      return { prefix: `clusters[${index}]`, result: (valid) => valid.clusters[index]! };
    });
  }

  async updateCluster(clusterId: string, patch: ClusterPatch, source: ChangeSource = 'api'): Promise<ClusterConfig> {
    requireRecord(patch, 'change');
    rejectUnknownFields(patch, CLUSTER_PATCH_FIELDS);
    return this.change(source, `cluster "${clusterId}" changed`, (draft) => {
      const index = this.clusterIndex(draft, clusterId);
      const current = draft.clusters[index]!;
      const next: Record<string, unknown> = { ...current, ...patch };
      if (isRecord(patch.healthCheck)) next.healthCheck = { ...current.healthCheck, ...patch.healthCheck };
      if (isRecord(patch.compression)) next.compression = { ...current.compression, ...patch.compression };
      if (patch.sessionMaxLifetimeSec === null) delete next.sessionMaxLifetimeSec;
      draft.clusters[index] = next as unknown as ClusterConfig;
      return { prefix: `clusters[${index}]`, result: (valid) => valid.clusters[index]! };
    });
  }

  async removeCluster(clusterId: string, source: ChangeSource = 'api'): Promise<void> {
    await this.change(source, `cluster "${clusterId}" removed`, (draft) => {
      const index = this.clusterIndex(draft, clusterId);
      draft.clusters.splice(index, 1);
      // Its routes go with it: they would lead nowhere.
      draft.routes = draft.routes.filter((route) => route.cluster !== clusterId);
      return { prefix: '', result: () => undefined };
    });
  }

  async addServer(clusterId: string, input: ServerInput, source: ChangeSource = 'api'): Promise<ServerConfig> {
    requireRecord(input, 'server');
    return this.change(source, `server "${String(input.name)}" added to "${clusterId}"`, (draft) => {
      const ci = this.clusterIndex(draft, clusterId);
      const servers = draft.clusters[ci]!.servers;
      const server: Record<string, unknown> = { ...input };
      if (server.tlsFingerprint === null) delete server.tlsFingerprint;
      if (server.id === undefined) server.id = uniqueSlug(String(input.name ?? ''), new Set(servers.map((s) => s.id)), 'server');
      servers.push(server as unknown as ServerConfig);
      const si = servers.length - 1;
      return { prefix: `clusters[${ci}].servers[${si}]`, result: (valid) => valid.clusters[ci]!.servers[si]! };
    });
  }

  async updateServer(clusterId: string, serverId: string, patch: ServerPatch, source: ChangeSource = 'api'): Promise<ServerConfig> {
    requireRecord(patch, 'change');
    rejectUnknownFields(patch, SERVER_PATCH_FIELDS);
    const summary = describeServerPatch(serverId, patch);
    return this.change(source, summary, (draft) => {
      const { ci, si } = this.serverIndex(draft, clusterId, serverId);
      const current = draft.clusters[ci]!.servers[si]!;
      const next: ServerConfig = { ...current, ...(patch as Partial<ServerConfig>) };
      if (patch.tlsFingerprint === null) delete next.tlsFingerprint;
      rememberDrain(current, next);
      draft.clusters[ci]!.servers[si] = next;
      return { prefix: `clusters[${ci}].servers[${si}]`, result: (valid) => valid.clusters[ci]!.servers[si]! };
    });
  }

  async removeServer(clusterId: string, serverId: string, source: ChangeSource = 'api'): Promise<void> {
    await this.change(source, `server "${serverId}" removed from "${clusterId}"`, (draft) => {
      const { ci, si } = this.serverIndex(draft, clusterId, serverId);
      draft.clusters[ci]!.servers.splice(si, 1);
      return { prefix: '', result: () => undefined };
    });
  }

  async drainServer(clusterId: string, serverId: string, source: ChangeSource = 'api'): Promise<ServerConfig> {
    return this.change(source, `server "${serverId}" of "${clusterId}" set to drain`, (draft) => {
      const { ci, si } = this.serverIndex(draft, clusterId, serverId);
      const current = draft.clusters[ci]!.servers[si]!;
      const next: ServerConfig = { ...current, capacity: 0 };
      rememberDrain(current, next);
      draft.clusters[ci]!.servers[si] = next;
      return { prefix: `clusters[${ci}].servers[${si}]`, result: (valid) => valid.clusters[ci]!.servers[si]! };
    });
  }

  async restoreServer(clusterId: string, serverId: string, source: ChangeSource = 'api'): Promise<ServerConfig> {
    return this.change(source, `server "${serverId}" of "${clusterId}" restored`, (draft) => {
      const { ci, si } = this.serverIndex(draft, clusterId, serverId);
      const { drainedFromCapacity, ...current } = draft.clusters[ci]!.servers[si]!;
      const capacity = current.capacity > 0 ? current.capacity : (drainedFromCapacity ?? 100);
      draft.clusters[ci]!.servers[si] = { ...current, capacity };
      return { prefix: `clusters[${ci}].servers[${si}]`, result: (valid) => valid.clusters[ci]!.servers[si]! };
    });
  }

  async setRoutes(routes: RouteInput[], source: ChangeSource = 'api'): Promise<RouteConfig[]> {
    if (!Array.isArray(routes)) throw new ControlError('invalid', 'routes must be a list', [{ path: 'routes', message: 'must be a list' }]);
    return this.change(source, `routes replaced (${routes.length})`, (draft) => {
      draft.routes = routes as RouteConfig[];
      return { prefix: '', result: (valid) => valid.routes };
    });
  }

  async importConfig(config: unknown, source: ChangeSource = 'api'): Promise<GatewayConfig> {
    requireRecord(config, 'configuration');
    return this.change(source, 'configuration imported', (draft) => {
      const admin = draft.admin;
      for (const key of Object.keys(draft)) delete draft[key];
      Object.assign(draft, structuredClone(config), { admin });
      return { prefix: '', result: (valid) => valid };
    });
  }

  async updateSettings(patch: SettingsPatch, source: ChangeSource = 'api'): Promise<GatewayConfig> {
    requireRecord(patch as unknown, 'change');
    rejectUnknownFields(patch as Record<string, unknown>, SETTINGS_FIELDS);
    return this.change(source, `settings changed: ${Object.keys(patch).join(', ')}`, (draft) => {
      if (patch.listeners !== undefined) draft.listeners = patch.listeners;
      if (patch.trustedProxies !== undefined) draft.trustedProxies = patch.trustedProxies;
      if (patch.access === null) delete draft.access;
      else if (patch.access !== undefined) draft.access = patch.access;
      if (isRecord(patch.logs)) {
        const { directory, accessLog, eventLog } = patch.logs;
        const logs: Record<string, unknown> = {
          ...draft.logs,
          accessLog: { ...draft.logs.accessLog, ...(isRecord(accessLog) ? accessLog : {}) },
          eventLog: { ...draft.logs.eventLog, ...(isRecord(eventLog) ? eventLog : {}) },
        };
        if (directory === null) delete logs.directory;
        else if (directory !== undefined) logs.directory = directory;
        draft.logs = logs as GatewayConfig['logs'];
      } else if (patch.logs !== undefined) {
        draft.logs = patch.logs as GatewayConfig['logs'];
      }
      return { prefix: '', result: (valid) => valid };
    });
  }

  async setPaused(paused: boolean, source: ChangeSource = 'api'): Promise<void> {
    if (typeof paused !== 'boolean') throw new ControlError('invalid', 'paused must be true or false', [{ path: 'paused', message: 'must be true or false' }]);
    await this.gateway.setPaused(paused, source);
  }

  subscribe(listener: (event: GatewayEvent) => void): () => void {
    return this.gateway.subscribe(listener);
  }

  /**
   * Applies `edit` to a copy of the config, validates the whole, writes it and applies it.
   * Issue paths under `prefix` are reported relative to the edited item (`url`, not `clusters[0].servers[1].url`).
   */
  private async change<T>(
    source: ChangeSource,
    summary: string,
    edit: (draft: Draft) => { prefix: string; result: (valid: GatewayConfig) => T },
  ): Promise<T> {
    const draft = structuredClone(this.gateway.currentConfig()) as Draft;
    const { prefix, result } = edit(draft);
    let prepared: PreparedConfig;
    try {
      prepared = this.gateway.prepare(validateConfig(draft));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const issues = error.issues.map((issue) => relativeTo(prefix, issue));
      throw new ControlError('invalid', issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; '), issues);
    }
    this.gateway.configStore.write(prepared.config);
    this.gateway.applyConfig(prepared, source, summary);
    return structuredClone(result(prepared.config));
  }

  private clusterIndex(config: GatewayConfig, clusterId: string): number {
    const index = config.clusters.findIndex((c) => c.id === clusterId);
    if (index < 0) throw new ControlError('not-found', `There is no cluster "${clusterId}"`);
    return index;
  }

  private serverIndex(config: GatewayConfig, clusterId: string, serverId: string): { ci: number; si: number } {
    const ci = this.clusterIndex(config, clusterId);
    const si = config.clusters[ci]!.servers.findIndex((s) => s.id === serverId);
    if (si < 0) throw new ControlError('not-found', `There is no server "${serverId}" in cluster "${clusterId}"`);
    return { ci, si };
  }

  private findServer(config: GatewayConfig, clusterId: string, serverId: string): { cluster: ClusterConfig; server: ServerConfig } {
    const { ci, si } = this.serverIndex(config, clusterId, serverId);
    const cluster = config.clusters[ci]!;
    return { cluster, server: cluster.servers[si]! };
  }
}

/** A drop to 0 remembers where it came from, so that Restore can put it back; any other capacity forgets. */
function rememberDrain(current: ServerConfig, next: ServerConfig): void {
  if (next.capacity === 0 && current.capacity > 0) next.drainedFromCapacity = current.capacity;
  else if (typeof next.capacity === 'number' && next.capacity > 0) delete next.drainedFromCapacity;
}

function relativeTo(prefix: string, issue: ConfigIssue): ConfigIssue {
  if (!prefix) return issue;
  if (issue.path === prefix) return { path: '', message: issue.message };
  if (issue.path.startsWith(`${prefix}.`)) return { path: issue.path.slice(prefix.length + 1), message: issue.message };
  return issue;
}

function requireRecord(value: unknown, what: string): asserts value is Record<string, unknown> {
  if (!isRecord(value)) throw new ControlError('invalid', `The ${what} must be a JSON object`, [{ path: '', message: `must be a JSON object` }]);
}

function rejectUnknownFields(patch: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  const unknown = Object.keys(patch).filter((key) => !allowed.has(key));
  if (unknown.length > 0) {
    const issues = unknown.map((key) => ({ path: key, message: `cannot be changed here (allowed: ${[...allowed].join(', ')})` }));
    throw new ControlError('invalid', issues.map((i) => `${i.path} ${i.message}`).join('; '), issues);
  }
}

function describeServerPatch(serverId: string, patch: ServerPatch): string {
  const parts = Object.entries(patch).map(([key, value]) => `${key} → ${JSON.stringify(value)}`);
  return `server "${serverId}" changed: ${parts.join(', ')}`;
}
