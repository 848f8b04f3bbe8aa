/** The last hour of one server's traffic, one point per 10 s, in fixed-size typed arrays. */
import type { ServerHistoryPoint } from '../control/control-api.js';

export const HISTORY_INTERVAL_MS = 10_000;
export const HISTORY_POINTS = 360;

export class ServerHistory {
  private readonly at = new Float64Array(HISTORY_POINTS);
  private readonly sessions = new Uint32Array(HISTORY_POINTS);
  private readonly requestsPerSec = new Float64Array(HISTORY_POINTS);
  private readonly p99 = new Float64Array(HISTORY_POINTS);
  private readonly errors = new Uint32Array(HISTORY_POINTS);
  private count = 0;
  private lastAt = -Infinity;

  /** Whether the interval has passed since the last point, so that `record` would keep one. */
  isDue(now: number): boolean {
    return now - this.lastAt >= HISTORY_INTERVAL_MS;
  }

  /** Keeps a point when the interval has passed since the last one (called every stats tick); says whether it did. */
  record(now: number, point: Omit<ServerHistoryPoint, 'at'>): boolean {
    if (!this.isDue(now)) return false;
    this.lastAt = now;
    const slot = this.count % HISTORY_POINTS;
    this.at[slot] = now;
    this.sessions[slot] = point.sessions;
    this.requestsPerSec[slot] = point.requestsPerSec;
    this.p99[slot] = point.p99;
    this.errors[slot] = point.errors;
    this.count++;
    return true;
  }

  /** Oldest first, only the points of the last hour before `now`. */
  points(now: number): ServerHistoryPoint[] {
    const n = Math.min(this.count, HISTORY_POINTS);
    const first = this.count - n;
    const since = now - HISTORY_INTERVAL_MS * HISTORY_POINTS;
    const result: ServerHistoryPoint[] = [];
    for (let i = first; i < this.count; i++) {
      const slot = i % HISTORY_POINTS;
      if (this.at[slot]! <= since) continue;
      result.push({
        at: this.at[slot]!,
        sessions: this.sessions[slot]!,
        requestsPerSec: this.requestsPerSec[slot]!,
        p99: this.p99[slot]!,
        errors: this.errors[slot]!,
      });
    }
    return result;
  }
}
