/**
 * Which tray actions would cause an outage, and what to tell the admin before doing them: taking
 * away a cluster's last server for new users (Drain, Disable), pausing the gateway, stopping the
 * Windows service. A pure function of the snapshot, so every case is unit-tested.
 */
import type { ClusterSnapshot, GatewaySnapshot } from '../../proxy/control/control-api.js';
import { plural } from '../../renderer/src/format.js';

export type RiskyChange =
  | { kind: 'drain'; clusterId: string; serverId: string }
  | { kind: 'disable'; clusterId: string; serverId: string }
  | { kind: 'pause' }
  | { kind: 'stop-service' };

/** The question a confirmation dialog asks. */
export interface OutageWarning {
  title: string;
  message: string;
  /** What users will see. */
  detail: string;
  confirmLabel: string;
}

export function outageWarning(snapshot: GatewaySnapshot | null, change: RiskyChange): OutageWarning | null {
  switch (change.kind) {
    case 'pause':
      return {
        title: 'Pause gateway',
        message: 'Pause the gateway? All traffic stops.',
        detail:
          'Switchboard closes its listener ports: every user, new or signed in, gets a connection error until you resume. Sessions are kept, so users return to their server after Resume.',
        confirmLabel: 'Pause gateway',
      };
    case 'stop-service':
      return {
        title: 'Stop service',
        message: 'Stop the Switchboard Gateway service? All traffic stops.',
        detail:
          'Every user, new or signed in, gets a connection error until the service is started again. Requests in flight may finish (up to 10 s) and sessions are saved, so users return to their server after a start.',
        confirmLabel: 'Stop service',
      };
    case 'drain':
    case 'disable':
      return lastServerWarning(snapshot, change);
  }
}

function lastServerWarning(
  snapshot: GatewaySnapshot | null,
  change: { kind: 'drain' | 'disable'; clusterId: string; serverId: string },
): OutageWarning | null {
  const cluster = snapshot?.clusters.find((candidate) => candidate.id === change.clusterId);
  const server = cluster?.servers.find((candidate) => candidate.id === change.serverId);
  if (!cluster || !server || !leavesNoActiveServer(cluster, change.serverId)) return null;
  if (change.kind === 'drain') {
    return {
      title: 'Drain server',
      message: `Drain ${server.name}? ${cluster.name} will take no new users.`,
      detail: `${server.name} is the only active server of ${cluster.name}. New users will get an error page (503 Service Unavailable) until another server is active or you restore it. The ${plural(server.sessions, 'user', 'users')} already on it keep their sessions.`,
      confirmLabel: 'Drain',
    };
  }
  return {
    title: 'Disable server',
    message: `Disable ${server.name}? ${cluster.name} will have no server.`,
    detail: `${server.name} is the only active server of ${cluster.name}. Every user of ${cluster.name}, including the ${plural(server.sessions, 'user', 'users')} signed in on it, will get an error page (503 Service Unavailable) until a server is enabled again.`,
    confirmLabel: 'Disable',
  };
}

/** True when the server is the cluster's last one taking new users, so the change makes it down. */
function leavesNoActiveServer(cluster: ClusterSnapshot, serverId: string): boolean {
  if (!cluster.enabled) return false;
  const active = cluster.servers.filter((server) => server.state === 'active');
  return active.length === 1 && active[0]!.id === serverId;
}
