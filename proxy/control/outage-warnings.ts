/**
 * What a change through the admin API broke for users: clusters that had a server for new users
 * before and have none after, and a gateway that was paused. Scripts get these as `warnings` in
 * the answer; the change itself is made all the same, as documented.
 */
import type { ClusterSnapshot, GatewaySnapshot } from './control-api.js';

/** A cluster gives new users an error: disabled, or no server of it is active. */
function isDown(cluster: ClusterSnapshot): boolean {
  return !cluster.enabled || !cluster.servers.some((server) => server.state === 'active');
}

export function outageWarnings(before: GatewaySnapshot, after: GatewaySnapshot): string[] {
  const warnings: string[] = [];
  if (after.paused && !before.paused) {
    warnings.push('the gateway is paused: its listeners are closed and every request is refused until it is resumed');
  }
  const downBefore = new Set(before.clusters.filter(isDown).map((cluster) => cluster.id));
  for (const cluster of after.clusters) {
    if (!isDown(cluster) || downBefore.has(cluster.id) || !before.clusters.some((c) => c.id === cluster.id)) continue;
    warnings.push(
      cluster.enabled
        ? `cluster "${cluster.id}" (${cluster.name}) has no active server left: new users get 503 Service Unavailable`
        : `cluster "${cluster.id}" (${cluster.name}) is disabled: every request routed to it gets 503 Service Unavailable`,
    );
  }
  return warnings;
}
