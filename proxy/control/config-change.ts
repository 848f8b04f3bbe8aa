/**
 * How the control API changes the configuration: on a copy, validated whole, written, and only
 * then applied, so an invalid change leaves both the running gateway and the stored file as they
 * were. Also the small checks every change shares.
 */
import type { ClusterConfig, GatewayConfig, ServerConfig } from '../config/config-schema.js';
import { ConfigError, isRecord, validateConfig, type ConfigIssue } from '../config/config-validation.js';
import type { PreparedConfig } from '../listeners/listener-tls.js';
import type { ServerPatch, SettingsPatch } from './control-arguments.js';
import type { ChangeSource } from './control-snapshot.js';
import { ControlError, invalid } from './control-error.js';

/** What a change needs of the gateway: its configuration, and a way to prepare, save and apply another. */
export interface ConfigChangeTarget {
  currentConfig(): GatewayConfig;
  /** Reads what the configuration needs from disk (certificates); throws ConfigError when it cannot be used. */
  prepare(config: GatewayConfig): PreparedConfig;
  readonly configStore: { write(config: GatewayConfig): void };
  applyConfig(prepared: PreparedConfig, source?: ChangeSource, summary?: string): void;
}

export type Draft = GatewayConfig & Record<string, unknown>;

/** What an edit tells `changeConfig`: where its issues are, and what to answer once it is valid. */
export interface Edit<T> {
  /** Issue paths under this one are reported relative to it (`url`, not `clusters[0].servers[1].url`). */
  prefix: string;
  result: (valid: GatewayConfig) => T;
}

/** Applies `edit` to a copy of the config, validates the whole, writes it and applies it. */
export function changeConfig<T>(target: ConfigChangeTarget, source: ChangeSource, summary: string, edit: (draft: Draft) => Edit<T>): T {
  const draft = structuredClone(target.currentConfig()) as Draft;
  const { prefix, result } = edit(draft);
  let prepared: PreparedConfig;
  try {
    prepared = target.prepare(validateConfig(draft));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw invalid(error.issues.map((issue) => relativeTo(prefix, issue)));
  }
  target.configStore.write(prepared.config);
  target.applyConfig(prepared, source, summary);
  return structuredClone(result(prepared.config));
}

/** A drop to 0 remembers where it came from, so that Restore can put it back; any other capacity forgets. */
export function rememberDrain(current: ServerConfig, next: ServerConfig): void {
  if (next.capacity === 0 && current.capacity > 0) next.drainedFromCapacity = current.capacity;
  else if (typeof next.capacity === 'number' && next.capacity > 0) delete next.drainedFromCapacity;
}

function relativeTo(prefix: string, issue: ConfigIssue): ConfigIssue {
  if (!prefix) return issue;
  if (issue.path === prefix) return { path: '', message: issue.message };
  if (issue.path.startsWith(`${prefix}.`)) return { path: issue.path.slice(prefix.length + 1), message: issue.message };
  return issue;
}

export function requireRecord(value: unknown, what: string): asserts value is Record<string, unknown> {
  if (!isRecord(value)) throw new ControlError('invalid', `The ${what} must be a JSON object`, [{ path: '', message: `must be a JSON object` }]);
}

/** Refuses fields a patch may not change, naming the ones it may. */
export function rejectUnknownFields(patch: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(patch).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw invalid(unknown.map((key) => ({ path: key, message: `cannot be changed here (allowed: ${allowed.join(', ')})` })));
}

export function clusterIndexOf(config: GatewayConfig, clusterId: string): number {
  const index = config.clusters.findIndex((c) => c.id === clusterId);
  if (index < 0) throw new ControlError('not-found', `There is no cluster "${clusterId}"`);
  return index;
}

export function serverIndexOf(config: GatewayConfig, clusterId: string, serverId: string): { ci: number; si: number } {
  const ci = clusterIndexOf(config, clusterId);
  const si = config.clusters[ci]!.servers.findIndex((s) => s.id === serverId);
  if (si < 0) throw new ControlError('not-found', `There is no server "${serverId}" in cluster "${clusterId}"`);
  return { ci, si };
}

export function findServer(config: GatewayConfig, clusterId: string, serverId: string): { cluster: ClusterConfig; server: ServerConfig } {
  const { ci, si } = serverIndexOf(config, clusterId, serverId);
  const cluster = config.clusters[ci]!;
  return { cluster, server: cluster.servers[si]! };
}

/** The event log's line for a server change: each field with its new value. */
export function describeServerPatch(serverId: string, patch: ServerPatch): string {
  const parts = Object.entries(patch).map(([key, value]) => `${key} → ${JSON.stringify(value)}`);
  return `server "${serverId}" changed: ${parts.join(', ')}`;
}

/** Each field given replaces the current one; `logs` is merged, `access: null` and `logs.directory: null` remove. */
export function applySettingsPatch(draft: Draft, patch: SettingsPatch): void {
  if (patch.listeners !== undefined) draft.listeners = patch.listeners as GatewayConfig['listeners'];
  if (patch.trustedProxies !== undefined) draft.trustedProxies = patch.trustedProxies;
  if (patch.access === null) delete draft.access;
  else if (patch.access !== undefined) draft.access = patch.access as GatewayConfig['access'];
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
}
