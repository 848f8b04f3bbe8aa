/**
 * The overall health the tray icon shows, and the one-line summary its tooltip carries. Pure
 * functions of the gateway snapshot, so they are tested without Electron.
 */
import type { ClusterSnapshot, GatewaySnapshot, ServerState } from '../../proxy/control/control-api.js';
import { plural } from '../../renderer/src/format.js';
import type { GatewayStatus } from '../gateway/gateway-status.js';

/** `good`: all serving; `warning`: draining, paused or something degraded; `down`: a cluster cannot take new users. */
export type TrayHealth = 'good' | 'warning' | 'down';

/** Windows cuts tray tooltips at 127 characters. */
export const TOOLTIP_MAX_LENGTH = 127;

export function trayHealth(snapshot: GatewaySnapshot | null, status: GatewayStatus): TrayHealth {
  if (status.kind === 'failed' || status.kind === 'unreachable') return 'down';
  if (snapshot === null) return 'warning';
  if (snapshot.listeners.some((listener) => !listener.listening) && !snapshot.paused) return 'down';
  if (snapshot.clusters.some(isClusterDown)) return 'down';
  if (snapshot.paused || status.kind !== 'running') return 'warning';
  const degraded = snapshot.clusters.some(
    (cluster) =>
      cluster.enabled &&
      (cluster.servers.length === 0 || cluster.servers.some((server) => server.state === 'draining' || server.state === 'offline')),
  );
  return degraded ? 'warning' : 'good';
}

/** An enabled cluster with servers of which none takes new sessions: new users get an error. */
export function isClusterDown(cluster: ClusterSnapshot): boolean {
  return cluster.enabled && cluster.servers.length > 0 && !cluster.servers.some((server) => server.state === 'active');
}

export function trayTooltip(snapshot: GatewaySnapshot | null, status: GatewayStatus): string {
  return clip(`Switchboard — ${statusSummary(snapshot, status)}`, TOOLTIP_MAX_LENGTH);
}

/** The status line of the tray menu and the body of the tooltip. */
export function statusSummary(snapshot: GatewaySnapshot | null, status: GatewayStatus): string {
  if (status.kind === 'failed') return `gateway stopped: ${status.message}`;
  if (status.kind === 'unreachable') return `service unreachable: ${status.message}`;
  if (status.kind === 'starting' || snapshot === null) return 'starting…';
  if (status.kind === 'stopping') return 'stopping…';
  if (snapshot.paused) return 'paused (not accepting traffic)';
  const unbound = snapshot.listeners.filter((listener) => !listener.listening);
  if (unbound.length > 0) return `cannot listen on port ${unbound.map((listener) => listener.port).join(', ')}`;
  const down = snapshot.clusters.filter(isClusterDown);
  if (down.length > 0) return `${down.map((cluster) => cluster.name).join(', ')} down (no active server)`;
  const servers = snapshot.clusters.flatMap((cluster) => cluster.servers);
  if (servers.length === 0) return 'no servers yet';
  const parts = (['active', 'draining', 'drained', 'offline', 'disabled'] as const)
    .map((state) => countOf(servers, state))
    .filter((part) => part !== null);
  const sessions = servers.reduce((sum, server) => sum + server.sessions, 0);
  return `${parts.join(', ')}; ${plural(sessions, 'session', 'sessions')}`;
}

function countOf(servers: readonly { state: ServerState }[], state: ServerState): string | null {
  const count = servers.filter((server) => server.state === state).length;
  return count === 0 ? null : `${count} ${state}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
