/** Traffic counters of one server. Updated on the hot path, so plain fields, typed arrays and ring buffers. */
import type { ErrorWindow, LatencySummary, ServerHistoryPoint } from '../control/control-api.js';
import { ServerHistory } from './server-history.js';
import { WindowedCounter } from './windowed-counter.js';

const LATENCY_SAMPLES = 1024;
/** requests/s is the mean over this many whole seconds, so one quiet or busy second does not jump the number. */
const RATE_WINDOW_SEC = 5;
const ERROR_BUCKET_MS = 10_000;
/** 30 buckets of 10 s: the error counts cover the last 5 minutes. */
const ERROR_BUCKETS = 30;

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
  /** The percentiles as of `summarisedCount` samples: an idle server's are not sorted out again every second. */
  private summary: LatencySummary = { p50: 0, p90: 0, p99: 0 };
  private summarisedCount = 0;
  private readonly perSecond = new WindowedCounter(1000, RATE_WINDOW_SEC + 1);
  private readonly recentRequests = new WindowedCounter(ERROR_BUCKET_MS, ERROR_BUCKETS);
  private readonly backend4xx = new WindowedCounter(ERROR_BUCKET_MS, ERROR_BUCKETS);
  private readonly backend5xx = new WindowedCounter(ERROR_BUCKET_MS, ERROR_BUCKETS);
  private readonly gateway502 = new WindowedCounter(ERROR_BUCKET_MS, ERROR_BUCKETS);
  private readonly gateway503 = new WindowedCounter(ERROR_BUCKET_MS, ERROR_BUCKETS);
  private readonly gateway504 = new WindowedCounter(ERROR_BUCKET_MS, ERROR_BUCKETS);
  /** 5xx answers, the backend's and the gateway's, since start: the history keeps their growth per point. */
  private serverErrors = 0;
  private serverErrorsAtPoint = 0;
  readonly history = new ServerHistory();

  /** A request sent to (or meant for) this server. */
  countRequest(now: number): void {
    this.requests++;
    this.perSecond.add(now);
    this.recentRequests.add(now);
  }

  /** The status the backend answered with. */
  countBackendStatus(status: number, now: number): void {
    if (status >= 500) {
      this.backend5xx.add(now);
      this.serverErrors++;
    } else if (status >= 400) this.backend4xx.add(now);
  }

  /** An error answer the gateway made itself for this server (unreachable, busy, timed out). */
  countGatewayError(status: 502 | 503 | 504, now: number): void {
    this.serverErrors++;
    if (status === 502) this.gateway502.add(now);
    else if (status === 503) this.gateway503.add(now);
    else this.gateway504.add(now);
  }

  recordLatency(ms: number): void {
    this.latencies[this.latencyCount % LATENCY_SAMPLES] = ms;
    this.latencyCount++;
  }

  /** Called about once a second: updates the rate and, every 10 s, the history. */
  tick(now: number, sessions: number): void {
    this.requestsPerSec = Math.round((this.perSecond.completed(now, RATE_WINDOW_SEC) * 10) / RATE_WINDOW_SEC) / 10;
    if (!this.history.isDue(now)) return;
    const point: Omit<ServerHistoryPoint, 'at'> = {
      sessions,
      requestsPerSec: this.requestsPerSec,
      p99: this.latency().p99,
      errors: this.serverErrors - this.serverErrorsAtPoint,
    };
    if (this.history.record(now, point)) this.serverErrorsAtPoint = this.serverErrors;
  }

  /** Error answers of the last 5 minutes by class, with the requests they are a share of. */
  errorWindow(now: number): ErrorWindow {
    return {
      windowSec: (ERROR_BUCKET_MS * ERROR_BUCKETS) / 1000,
      requests: this.recentRequests.total(now),
      backend4xx: this.backend4xx.total(now),
      backend5xx: this.backend5xx.total(now),
      gateway502: this.gateway502.total(now),
      gateway503: this.gateway503.total(now),
      gateway504: this.gateway504.total(now),
    };
  }

  /** Percentiles over the most recent requests. */
  latency(): LatencySummary {
    if (this.summarisedCount !== this.latencyCount) {
      const n = Math.min(this.latencyCount, LATENCY_SAMPLES);
      const sorted = this.latencies.slice(0, n).sort();
      const at = (q: number) => Math.round(sorted[Math.min(n - 1, Math.floor(q * n))]! * 100) / 100;
      this.summary = { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
      this.summarisedCount = this.latencyCount;
    }
    return { ...this.summary };
  }
}
