/**
 * The gateway's once-a-second beat: expires due sessions, updates each server's rates and history,
 * re-derives draining servers (their tentative sessions run out with time, not with any request)
 * and, when anyone listens, sends the `stats` event with a fresh snapshot.
 */
import type { GatewayEvent, GatewaySnapshot } from '../control/control-api.js';
import type { SessionSweeper } from '../sessions/session-sweeper.js';
import type { SessionTable } from '../sessions/session-table.js';
import type { ClusterRuntime } from './cluster-runtime.js';

const STATS_INTERVAL_MS = 1000;

export interface StatsTickerSources {
  clusters: ReadonlyMap<string, ClusterRuntime>;
  sessions: Pick<SessionTable, 'countOf'>;
  sweeper: Pick<SessionSweeper, 'sweep'>;
  /** Whether anyone wants `stats` events; the snapshot is built only then. */
  hasListeners(): boolean;
  snapshot(): GatewaySnapshot;
  emit(event: GatewayEvent): void;
}

export class StatsTicker {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly sources: StatsTickerSources) {}

  start(intervalMs = STATS_INTERVAL_MS): void {
    this.timer = setInterval(() => this.tick(Date.now()), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  tick(now: number): void {
    const { clusters, sessions } = this.sources;
    this.sources.sweeper.sweep();
    for (const cluster of clusters.values()) {
      for (const server of cluster.servers.values()) {
        server.stats.tick(now, sessions.countOf(cluster.id, server.id));
        if (server.state === 'draining') server.refreshState();
      }
    }
    if (this.sources.hasListeners()) this.sources.emit({ type: 'stats', at: now, snapshot: this.sources.snapshot() });
  }
}
