/** One request's time in flight on a server: counted when it is sent, and counted out once when it ends, however it ends. */
import type { ServerRuntime } from './cluster-runtime.js';

export class InflightRequest {
  private ended = false;

  constructor(
    private readonly server: ServerRuntime,
    private readonly startedAt: number,
  ) {
    const stats = server.stats;
    stats.countRequest(startedAt);
    stats.inflight++;
    if (stats.inflight === 1) server.refreshState();
  }

  /** Safe to call more than once: only the first counts. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const { server } = this;
    const stats = server.stats;
    stats.inflight--;
    stats.recordLatency(Date.now() - this.startedAt);
    if (stats.inflight === 0) server.refreshState();
  }
}
