/** Traffic counters of one server. Updated on the hot path, so plain fields and a ring buffer. */
import type { LatencySummary } from './control-api.js';

const LATENCY_SAMPLES = 1024;

export class ServerStats {
  requests = 0;
  errors = 0;
  inflight = 0;
  websockets = 0;
  /** Client connections with a backend connection of their own (Windows Integrated Authentication). */
  pinned = 0;
  requestsPerSec = 0;
  private readonly latencies = new Float64Array(LATENCY_SAMPLES);
  private latencyCount = 0;
  private requestsAtTick = 0;
  private tickAt: number;

  constructor(now: number) {
    this.tickAt = now;
  }

  recordLatency(ms: number): void {
    this.latencies[this.latencyCount % LATENCY_SAMPLES] = ms;
    this.latencyCount++;
  }

  /** Called about once a second: turns the request counter into a rate. */
  tick(now: number): void {
    const elapsed = now - this.tickAt;
    if (elapsed <= 0) return;
    this.requestsPerSec = Math.round(((this.requests - this.requestsAtTick) * 1000 * 10) / elapsed) / 10;
    this.requestsAtTick = this.requests;
    this.tickAt = now;
  }

  /** Percentiles over the most recent requests. */
  latency(): LatencySummary {
    const n = Math.min(this.latencyCount, LATENCY_SAMPLES);
    if (n === 0) return { p50: 0, p90: 0, p99: 0 };
    const sorted = this.latencies.slice(0, n).sort();
    const at = (q: number) => Math.round(sorted[Math.min(n - 1, Math.floor(q * n))]! * 100) / 100;
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
  }
}
