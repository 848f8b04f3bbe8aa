/**
 * Whether new users of a cluster would get an error, and why, in the words the console uses:
 * the one condition the admin must never miss.
 */
import type { ClusterSnapshot, ServerSnapshot } from '../../proxy/control/control-api.js';

const WHY: Record<ServerSnapshot['state'], string> = {
  active: 'active',
  draining: 'draining',
  drained: 'at capacity 0',
  offline: 'offline',
  disabled: 'disabled',
};

export interface ClusterOutage {
  title: string;
  detail: string;
}

/** Null while at least one server takes new sessions (or the cluster has no servers yet). */
export function clusterOutage(cluster: ClusterSnapshot): ClusterOutage | null {
  if (!cluster.enabled) {
    return { title: `${cluster.name} is disabled`, detail: 'Every request routed to it gets an error page (503 Service Unavailable).' };
  }
  if (cluster.servers.length === 0 || cluster.servers.some((s) => s.state === 'active')) return null;
  const reasons = cluster.servers.map((s) => `${s.name} is ${s.state === 'drained' && s.standby ? 'on standby' : WHY[s.state]}`).join(', ');
  const keepers = cluster.servers.filter((s) => s.state === 'draining');
  const kept = keepers.length > 0 ? ' Users with a session on a draining server keep working until it ends.' : '';
  return {
    title: `${cluster.name} has no active server: new users get an error page (503 Service Unavailable)`,
    detail: `${reasons}.${kept} Raise a server's capacity, enable one, or bring an offline one back.`,
  };
}
