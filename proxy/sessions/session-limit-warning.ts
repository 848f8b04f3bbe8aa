/** The warning that a client holds as many sessions as it may: said once a minute at most, as a client creating sessions without end would otherwise flood the log too. */
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { ClusterRuntime } from '../runtime/cluster-runtime.js';

const WARNING_INTERVAL_MS = 60_000;

export function sessionLimitWarning(logger: GatewayLogger, limit: () => number): (client: string, cluster: ClusterRuntime) => void {
  let lastWarning = 0;
  return (client, cluster) => {
    const now = Date.now();
    if (now - lastWarning < WARNING_INTERVAL_MS) return;
    lastWarning = now;
    logger.warn(`Client ${client} holds ${limit()} sessions, the most one address may (limits.sessionsPerClient); its new sessions on "${cluster.config.name}" are served but not kept`);
  };
}
