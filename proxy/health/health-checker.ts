/** Runs each cluster's active health checks on its own interval and reports every result. */
import type { ClusterRuntime, ServerRuntime } from '../runtime/cluster-runtime.js';
import { probe, type ProbeResult } from './health-probe.js';

export class HealthChecker {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; settings: string }>();

  constructor(private readonly onResult: (server: ServerRuntime, result: ProbeResult) => void) {}

  /** (Re)starts the checks of a cluster; unchanged settings keep their rhythm. */
  schedule(cluster: ClusterRuntime): void {
    const check = cluster.config.healthCheck;
    const settings = JSON.stringify(check);
    const existing = this.timers.get(cluster.id);
    if (existing?.settings === settings) return;
    if (existing) clearInterval(existing.timer);
    const timer = setInterval(() => this.runChecks(cluster), check.intervalSec * 1000);
    timer.unref();
    this.timers.set(cluster.id, { timer, settings });
  }

  stop(clusterId: string): void {
    const existing = this.timers.get(clusterId);
    if (existing) clearInterval(existing.timer);
    this.timers.delete(clusterId);
  }

  stopAll(): void {
    for (const id of [...this.timers.keys()]) this.stop(id);
  }

  /** Checks every enabled server of the cluster once, now. */
  runChecks(cluster: ClusterRuntime): Promise<void> {
    const check = cluster.config.healthCheck;
    const checks = [...cluster.servers.values()]
      .filter((server) => server.config.enabled)
      .map(async (server) => {
        const target = server.target;
        const result = await probe(target, check, server.agent);
        // A server removed or re-pointed meanwhile is not judged by a check of its old address.
        if (cluster.servers.get(server.id) === server && server.target === target) this.onResult(server, result);
      });
    return Promise.all(checks).then(() => undefined);
  }
}
