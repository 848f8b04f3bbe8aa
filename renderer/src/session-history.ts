/**
 * Live sessions per server over the last minutes, fed by stats snapshots, for the small charts.
 * Arrays are replaced rather than mutated so that a chart can tell new data by identity.
 */
import type { GatewaySnapshot } from '../../proxy/control-api.js';

export const HISTORY_WINDOW_MS = 5 * 60_000;

export interface SessionSeries {
  /** Seconds since the epoch, as uPlot expects. */
  times: number[];
  sessions: number[];
}

const EMPTY: SessionSeries = { times: [], sessions: [] };

export class SessionHistory {
  private readonly series = new Map<string, SessionSeries>();
  private lastAt = 0;

  record(snapshot: GatewaySnapshot): void {
    if (snapshot.at <= this.lastAt) return;
    this.lastAt = snapshot.at;
    const cutoff = (snapshot.at - HISTORY_WINDOW_MS) / 1000;
    const seen = new Set<string>();
    for (const cluster of snapshot.clusters) {
      for (const server of cluster.servers) {
        const key = keyOf(cluster.id, server.id);
        seen.add(key);
        const previous = this.series.get(key) ?? EMPTY;
        const firstKept = previous.times.findIndex((t) => t >= cutoff);
        const keepFrom = firstKept === -1 ? previous.times.length : firstKept;
        this.series.set(key, {
          times: [...previous.times.slice(keepFrom), snapshot.at / 1000],
          sessions: [...previous.sessions.slice(keepFrom), server.sessions],
        });
      }
    }
    for (const key of this.series.keys()) if (!seen.has(key)) this.series.delete(key);
  }

  of(clusterId: string, serverId: string): SessionSeries {
    return this.series.get(keyOf(clusterId, serverId)) ?? EMPTY;
  }
}

function keyOf(clusterId: string, serverId: string): string {
  return `${clusterId}\u0000${serverId}`;
}
