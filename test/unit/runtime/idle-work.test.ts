import { afterEach, describe, expect, it, vi } from 'vitest';
import { HISTORY_INTERVAL_MS } from '../../../proxy/runtime/server-history.js';
import { ServerStats } from '../../../proxy/runtime/server-stats.js';

describe('an idle server costs the stats tick next to nothing', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sorts its latency samples again only when new ones came in', () => {
    const stats = new ServerStats();
    for (let i = 1; i <= 100; i++) stats.recordLatency(i);
    const sort = vi.spyOn(Float64Array.prototype, 'sort');
    expect(stats.latency()).toEqual({ p50: 51, p90: 91, p99: 100 });
    expect(stats.latency()).toEqual({ p50: 51, p90: 91, p99: 100 });
    expect(sort).toHaveBeenCalledTimes(1);
    stats.recordLatency(1000);
    expect(stats.latency().p99).toBe(100);
    expect(sort).toHaveBeenCalledTimes(2);
    // Each caller gets its own copy: changing one changes no other snapshot.
    stats.latency().p50 = -1;
    expect(stats.latency().p50).toBe(51);
  });

  it('summarises latency for the history only when a point is due, every 10 s, while the rate follows every second', () => {
    const stats = new ServerStats();
    for (let i = 1; i <= 100; i++) stats.recordLatency(i);
    const latency = vi.spyOn(stats, 'latency');
    const start = 1_000_000_000;
    for (let second = 0; second < 20; second++) {
      if (second === 12) for (let i = 0; i < 5; i++) stats.countRequest(start + 11_000);
      stats.tick(start + second * 1000, 0);
    }
    expect(latency).toHaveBeenCalledTimes(20_000 / HISTORY_INTERVAL_MS);
    expect(stats.requestsPerSec).toBe(0);
    stats.tick(start + 13_000, 0);
    expect(stats.requestsPerSec).toBe(1);
    expect(stats.history.points(start + 20_000).map((point) => point.at)).toEqual([start, start + 10_000]);
  });
});
