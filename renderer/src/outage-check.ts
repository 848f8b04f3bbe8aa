/**
 * Whether a change to one server would take away a cluster's last server for new users: the
 * changes the console asks about before sending. A cluster already without an active server
 * is not asked about again — the banner says so already.
 */
import type { ClusterSnapshot, ServerSnapshot } from '../../proxy/control/control-api.js';
import type { ConfirmRequest } from './dashboard-context.js';
import { plural } from './format.js';

export interface ServerChange {
  capacity?: number;
  enabled?: boolean;
  removed?: boolean;
}

export function leavesNoActiveServer(cluster: ClusterSnapshot, serverId: string, change: ServerChange): boolean {
  if (!cluster.enabled) return false;
  const server = cluster.servers.find((s) => s.id === serverId);
  if (!server || server.state !== 'active') return false;
  if (cluster.servers.some((s) => s.id !== serverId && s.state === 'active')) return false;
  return change.removed === true || change.capacity === 0 || change.enabled === false;
}

/** The question before a change that leaves a cluster with no server for new users. */
export function lastServerQuestion(cluster: ClusterSnapshot, server: ServerSnapshot, change: ServerChange, confirmLabel: string): ConfirmRequest {
  const noNewUsers = `No server of ${cluster.name} would take new users: new visitors get an error page (503 Service Unavailable).`;
  if (change.enabled === false || change.removed) {
    const users = server.sessions > 0 ? ` ${server.name}'s ${plural(server.sessions, 'current user', 'current users')} get it too.` : '';
    return {
      title: `${change.removed ? 'Remove' : 'Disable'} ${server.name}, the last active server of ${cluster.name}?`,
      consequence: `${noNewUsers}${users}`,
      confirmLabel,
    };
  }
  return {
    title: `Drain ${server.name}, the last active server of ${cluster.name}?`,
    consequence: `${noNewUsers} Users with a session on ${server.name} keep working until it ends.`,
    confirmLabel,
  };
}
