/** The windowed counters and the one-hour history ring behind the monitoring numbers, on a made-up clock. */
import { describe, expect, it } from 'vitest';
import { HISTORY_INTERVAL_MS, HISTORY_POINTS, ServerHistory } from '../../../proxy/runtime/server-history.js';
import { ServerStats } from '../../../proxy/runtime/server-stats.js';
import { WindowedCounter } from '../../../proxy/runtime/windowed-counter.js';

const T0 = 1_700_000_000_000;

describe('windowed counter', () => {
  it('counts what happened within the window and forgets older buckets', () => {
    const counter = new WindowedCounter(10_000, 30);
    counter.add(T0);
    counter.add(T0 + 5_000, 2);
    counter.add(T0 + 200_000);
    expect(counter.total(T0 + 200_000)).toBe(4);
    // Five minutes after the first events, their bucket has left the window.
    expect(counter.total(T0 + 300_000)).toBe(1);
    expect(counter.total(T0 + 600_000)).toBe(0);
  });

  it('reuses a slot when its bucket comes round again, without keeping the old count', () => {
    const counter = new WindowedCounter(1000, 3);
    counter.add(T0, 5);
    counter.add(T0 + 3000);
    expect(counter.total(T0 + 3000)).toBe(1);
  });

  it('sums only whole buckets before the current one for a rate', () => {
    const counter = new WindowedCounter(1000, 6);
    const start = Math.floor(T0 / 1000) * 1000;
    for (let second = 0; second < 5; second++) counter.add(start + second * 1000, 10);
    counter.add(start + 5000, 99);
    expect(counter.completed(start + 5000, 5)).toBe(50);
    expect(counter.completed(start + 6000, 5)).toBe(40 + 99);
  });
});

describe('server stats', () => {
  it('gives requests/s as the mean of the last five whole seconds', () => {
    const stats = new ServerStats();
    const start = Math.floor(T0 / 1000) * 1000;
    for (let i = 0; i < 12; i++) stats.countRequest(start + 1000 + (i % 4) * 1000);
    // 12 requests spread over seconds 1–4, none in second 0: 12 / 5.
    stats.tick(start + 5500, 0);
    expect(stats.requestsPerSec).toBe(2.4);
    stats.tick(start + 20_000, 0);
    expect(stats.requestsPerSec).toBe(0);
  });

  it('counts error answers by class over the last five minutes', () => {
    const stats = new ServerStats();
    for (let i = 0; i < 10; i++) stats.countRequest(T0);
    stats.countBackendStatus(200, T0);
    stats.countBackendStatus(404, T0);
    stats.countBackendStatus(404, T0);
    stats.countBackendStatus(500, T0);
    stats.countGatewayError(502, T0);
    stats.countGatewayError(503, T0);
    stats.countGatewayError(504, T0);
    expect(stats.errorWindow(T0 + 1000)).toEqual({ windowSec: 300, requests: 10, backend4xx: 2, backend5xx: 1, gateway502: 1, gateway503: 1, gateway504: 1 });
    expect(stats.errorWindow(T0 + 301_000)).toEqual({ windowSec: 300, requests: 0, backend4xx: 0, backend5xx: 0, gateway502: 0, gateway503: 0, gateway504: 0 });
  });

  it('keeps a history point every 10 s with the 5xx answers since the last point', () => {
    const stats = new ServerStats();
    stats.tick(T0, 3);
    stats.countGatewayError(502, T0 + 1000);
    stats.countBackendStatus(500, T0 + 2000);
    stats.countBackendStatus(404, T0 + 2000);
    stats.tick(T0 + 5000, 3);
    stats.tick(T0 + 10_000, 4);
    const points = stats.history.points(T0 + 10_000);
    expect(points.map((p) => [p.at - T0, p.sessions, p.errors])).toEqual([
      [0, 3, 0],
      [10_000, 4, 2],
    ]);
  });
});

describe('server history', () => {
  it('keeps exactly the last hour, oldest first, in a fixed ring', () => {
    const history = new ServerHistory();
    const total = HISTORY_POINTS + 40;
    for (let i = 0; i < total; i++) history.record(T0 + i * HISTORY_INTERVAL_MS, { sessions: i, requestsPerSec: i / 10, p99: i, errors: 0 });
    const last = T0 + (total - 1) * HISTORY_INTERVAL_MS;
    const points = history.points(last);
    expect(points).toHaveLength(HISTORY_POINTS);
    expect(points[0]!.sessions).toBe(40);
    expect(points.at(-1)!.sessions).toBe(total - 1);
    expect(points.at(-1)!.requestsPerSec).toBeCloseTo((total - 1) / 10);
  });

  it('drops points older than an hour when the gateway has been quiet', () => {
    const history = new ServerHistory();
    history.record(T0, { sessions: 1, requestsPerSec: 0, p99: 0, errors: 0 });
    history.record(T0 + 30 * 60_000, { sessions: 2, requestsPerSec: 0, p99: 0, errors: 0 });
    expect(history.points(T0 + 61 * 60_000).map((p) => p.sessions)).toEqual([2]);
  });

  it('takes no point sooner than 10 s after the last', () => {
    const history = new ServerHistory();
    expect(history.record(T0, { sessions: 1, requestsPerSec: 0, p99: 0, errors: 0 })).toBe(true);
    expect(history.record(T0 + 9_999, { sessions: 2, requestsPerSec: 0, p99: 0, errors: 0 })).toBe(false);
    expect(history.points(T0 + 9_999)).toHaveLength(1);
  });
});
