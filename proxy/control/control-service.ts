/**
 * The in-process implementation of the control API. Every change goes through changeConfig:
 * made on a copy, validated whole, written, and only then applied.
 */
import type { ClusterConfig, GatewayConfig, RouteConfig, ServerConfig } from '../config/config-schema.js';
import type { ControlApi } from './control-api.js';
import { MAX_SESSION_LIST_LIMIT, clusterPatchArgument, serverPatchArgument, settingsPatchArgument } from './control-arguments.js';
import type { ClusterInput, ClusterPatch, RouteInput, ServerInput, ServerPatch, ServerProbeInput, SessionListOptions, SettingsPatch } from './control-arguments.js';
import type { ChangeSource, GatewayEvent, GatewaySnapshot, ProbeReport, ServerHistory, SessionList } from './control-snapshot.js';
import { ControlError } from './control-error.js';
import * as configChange from './config-change.js';
import { isRecord } from '../config/config-validation.js';
import { shownSessionId } from '../sessions/shown-session-id.js';
import { probeUrl } from '../health/server-probe.js';
import type { GatewayPort } from './gateway-port.js';
import { uniqueSlug } from '../config/slug.js';

const SERVER_PATCH_FIELDS = Object.keys(serverPatchArgument.shape);
const CLUSTER_PATCH_FIELDS = Object.keys(clusterPatchArgument.shape);
const SETTINGS_FIELDS = Object.keys(settingsPatchArgument.shape);
const DEFAULT_SESSION_LIMIT = 1000;

export class ControlService implements ControlApi {
  /** Who the changes made through this instance are recorded as made by; see `as`. */
  private source: ChangeSource = 'api';

  constructor(private readonly gateway: GatewayPort) {}

  as(source: ChangeSource): ControlApi {
    // The same service over the same gateway; only the name its changes are recorded under differs.
    return Object.assign(Object.create(this) as ControlService, { source });
  }

  async getState(): Promise<GatewaySnapshot> {
    return this.gateway.snapshot();
  }

  async getConfig(): Promise<GatewayConfig> {
    return structuredClone(this.gateway.currentConfig());
  }

  async listSessions(clusterId: string, serverId: string, options: SessionListOptions = {}): Promise<SessionList> {
    const { cluster } = configChange.findServer(this.gateway.currentConfig(), clusterId, serverId);
    const limit = Math.max(1, Math.min(MAX_SESSION_LIST_LIMIT, Math.floor(Number(options.limit ?? DEFAULT_SESSION_LIMIT)) || DEFAULT_SESSION_LIMIT));
    const now = Date.now();
    const table = this.gateway.sessions;
    const sessions = table.list(clusterId, serverId, limit, now).map((session) => ({
      id: shownSessionId(cluster.sessionMethod, session.key),
      client: session.client,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: table.expiryOf(session),
      requests: session.requests,
    }));
    return { total: table.countOf(clusterId, serverId), sessions };
  }

  async endSession(clusterId: string, serverId: string, sessionId: string): Promise<void> {
    const { cluster } = configChange.findServer(this.gateway.currentConfig(), clusterId, serverId);
    if (typeof sessionId !== 'string' || sessionId === '') {
      throw new ControlError('invalid', 'sessionId must be a session id from the session list', [{ path: 'sessionId', message: 'must be a session id from the session list' }]);
    }
    const table = this.gateway.sessions;
    const matches = table.list(clusterId, serverId, Number.MAX_SAFE_INTEGER, Date.now()).filter((session) => shownSessionId(cluster.sessionMethod, session.key) === sessionId);
    if (matches.length === 0) throw new ControlError('not-found', `There is no live session "${sessionId}" on server "${serverId}"`);
    const now = Date.now();
    for (const session of matches) this.gateway.binder.end(session, now);
    this.gateway.logger.info(`session ${sessionId} of server "${serverId}" in "${clusterId}" ended (${this.source})`);
  }

  async getHistory(clusterId: string, serverId: string): Promise<ServerHistory> {
    configChange.findServer(this.gateway.currentConfig(), clusterId, serverId);
    const server = this.gateway.clusters.get(clusterId)?.servers.get(serverId);
    return { clusterId, serverId, points: server ? server.stats.history.points(Date.now()) : [] };
  }

  async probeServer(clusterId: string, input: ServerProbeInput): Promise<ProbeReport> {
    const config = this.gateway.currentConfig();
    configChange.requireRecord(input, 'server to probe');
    const cluster = config.clusters[configChange.clusterIndexOf(config, clusterId)]!;
    return probeUrl(input, cluster.healthCheck);
  }

  async addCluster(input: ClusterInput): Promise<ClusterConfig> {
    configChange.requireRecord(input, 'cluster');
    return this.change(`cluster "${String(input.name)}" added`, (draft) => {
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

  async updateCluster(clusterId: string, patch: ClusterPatch): Promise<ClusterConfig> {
    configChange.requireRecord(patch, 'change');
    configChange.rejectUnknownFields(patch, CLUSTER_PATCH_FIELDS);
    return this.change(`cluster "${clusterId}" changed`, (draft) => {
      const index = configChange.clusterIndexOf(draft, clusterId);
      const current = draft.clusters[index]!;
      const next: Record<string, unknown> = { ...current, ...patch };
      if (isRecord(patch.healthCheck)) next.healthCheck = { ...current.healthCheck, ...patch.healthCheck };
      if (isRecord(patch.compression)) next.compression = { ...current.compression, ...patch.compression };
      if (patch.sessionMaxLifetimeSec === null) delete next.sessionMaxLifetimeSec;
      draft.clusters[index] = next as unknown as ClusterConfig;
      return { prefix: `clusters[${index}]`, result: (valid) => valid.clusters[index]! };
    });
  }

  async removeCluster(clusterId: string): Promise<void> {
    await this.change(`cluster "${clusterId}" removed`, (draft) => {
      const index = configChange.clusterIndexOf(draft, clusterId);
      draft.clusters.splice(index, 1);
      // Its routes go with it: they would lead nowhere.
      draft.routes = draft.routes.filter((route) => route.cluster !== clusterId);
      return { prefix: '', result: () => undefined };
    });
  }

  async addServer(clusterId: string, input: ServerInput): Promise<ServerConfig> {
    configChange.requireRecord(input, 'server');
    return this.change(`server "${String(input.name)}" added to "${clusterId}"`, (draft) => {
      const ci = configChange.clusterIndexOf(draft, clusterId);
      const servers = draft.clusters[ci]!.servers;
      const server: Record<string, unknown> = { ...input };
      if (server.tlsFingerprint === null) delete server.tlsFingerprint;
      if (server.id === undefined) server.id = uniqueSlug(String(input.name ?? ''), new Set(servers.map((s) => s.id)), 'server');
      servers.push(server as unknown as ServerConfig);
      const si = servers.length - 1;
      return { prefix: `clusters[${ci}].servers[${si}]`, result: (valid) => valid.clusters[ci]!.servers[si]! };
    });
  }

  async updateServer(clusterId: string, serverId: string, patch: ServerPatch): Promise<ServerConfig> {
    configChange.requireRecord(patch, 'change');
    configChange.rejectUnknownFields(patch, SERVER_PATCH_FIELDS);
    const summary = configChange.describeServerPatch(serverId, patch);
    return this.changeServer(summary, clusterId, serverId, (current) => {
      const next: ServerConfig = { ...current, ...(patch as Partial<ServerConfig>) };
      if (patch.tlsFingerprint === null) delete next.tlsFingerprint;
      configChange.rememberDrain(current, next);
      return next;
    });
  }

  async removeServer(clusterId: string, serverId: string): Promise<void> {
    await this.change(`server "${serverId}" removed from "${clusterId}"`, (draft) => {
      const { ci, si } = configChange.serverIndexOf(draft, clusterId, serverId);
      draft.clusters[ci]!.servers.splice(si, 1);
      return { prefix: '', result: () => undefined };
    });
  }

  async drainServer(clusterId: string, serverId: string): Promise<ServerConfig> {
    return this.changeServer(`server "${serverId}" of "${clusterId}" set to drain`, clusterId, serverId, (current) => {
      const next: ServerConfig = { ...current, capacity: 0 };
      configChange.rememberDrain(current, next);
      return next;
    });
  }

  async restoreServer(clusterId: string, serverId: string): Promise<ServerConfig> {
    return this.changeServer(`server "${serverId}" of "${clusterId}" restored`, clusterId, serverId, ({ drainedFromCapacity, ...current }) => {
      const capacity = current.capacity > 0 ? current.capacity : (drainedFromCapacity ?? 100);
      return { ...current, capacity };
    });
  }

  async setRoutes(routes: RouteInput[]): Promise<RouteConfig[]> {
    if (!Array.isArray(routes)) throw new ControlError('invalid', 'routes must be a list', [{ path: 'routes', message: 'must be a list' }]);
    return this.change(`routes replaced (${routes.length})`, (draft) => {
      draft.routes = routes as RouteConfig[];
      return { prefix: '', result: (valid) => valid.routes };
    });
  }

  async importConfig(config: unknown): Promise<GatewayConfig> {
    configChange.requireRecord(config, 'configuration');
    return this.change('configuration imported', (draft) => {
      const admin = draft.admin;
      for (const key of Object.keys(draft)) delete draft[key];
      Object.assign(draft, structuredClone(config), { admin });
      return { prefix: '', result: (valid) => valid };
    });
  }

  async updateSettings(patch: SettingsPatch): Promise<GatewayConfig> {
    configChange.requireRecord(patch as unknown, 'change');
    configChange.rejectUnknownFields(patch as Record<string, unknown>, SETTINGS_FIELDS);
    return this.change(`settings changed: ${Object.keys(patch).join(', ')}`, (draft) => {
      configChange.applySettingsPatch(draft, patch);
      return { prefix: '', result: (valid) => valid };
    });
  }

  async setPaused(paused: boolean): Promise<{ paused: boolean }> {
    if (typeof paused !== 'boolean') throw new ControlError('invalid', 'paused must be true or false', [{ path: 'paused', message: 'must be true or false' }]);
    await this.gateway.setPaused(paused, this.source);
    return { paused };
  }

  subscribe(listener: (event: GatewayEvent) => void): () => void {
    return this.gateway.subscribe(listener);
  }

  private async change<T>(summary: string, edit: (draft: configChange.Draft) => configChange.Edit<T>): Promise<T> {
    return configChange.changeConfig(this.gateway, this.source, summary, edit);
  }

  /** A change of one server: `edit` turns its current config into the next. */
  private changeServer(summary: string, clusterId: string, serverId: string, edit: (current: ServerConfig) => ServerConfig): Promise<ServerConfig> {
    return this.change(summary, (draft) => {
      const { ci, si } = configChange.serverIndexOf(draft, clusterId, serverId);
      draft.clusters[ci]!.servers[si] = edit(draft.clusters[ci]!.servers[si]!);
      return { prefix: `clusters[${ci}].servers[${si}]`, result: (valid) => valid.clusters[ci]!.servers[si]! };
    });
  }
}
