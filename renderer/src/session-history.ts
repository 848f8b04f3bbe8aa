/**
 * Live sessions per server over the last hour, for the small charts: seeded from the history the
 * gateway keeps (a point per 10 s) when the page opens, then fed by the stats snapshots.
 * Arrays are replaced rather than mutated so that a chart can tell new data by identity.
 */
import type { GatewaySnapshot, ServerHistory } from '../../proxy/control/control-api.js';

export const HISTORY_WINDOW_MS = 60 * 60_000;

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

  /** Puts the gateway's older points in front of what the page has seen itself. */
  seed(history: ServerHistory): void {
    const key = keyOf(history.clusterId, history.serverId);
    const current = this.series.get(key) ?? EMPTY;
    const firstSeen = current.times[0] ?? Infinity;
    const cutoff = (Math.max(this.lastAt, history.points.at(-1)?.at ?? 0) - HISTORY_WINDOW_MS) / 1000;
    const older = history.points.filter((point) => point.at / 1000 < firstSeen && point.at / 1000 >= cutoff);
    if (older.length === 0) return;
    this.series.set(key, {
      times: [...older.map((point) => point.at / 1000), ...current.times],
      sessions: [...older.map((point) => point.sessions), ...current.sessions],
    });
  }

  of(clusterId: string, serverId: string): SessionSeries {
    return this.series.get(keyOf(clusterId, serverId)) ?? EMPTY;
  }
}

function keyOf(clusterId: string, serverId: string): string {
  return `${clusterId}\u0000${serverId}`;
}
