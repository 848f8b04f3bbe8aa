import { describe, expect, it } from 'vitest';
import type { GatewaySnapshot } from '../../proxy/control/control-api.js';
import { HISTORY_WINDOW_MS, SessionHistory } from '../../renderer/src/session-history.js';

function snapshotAt(at: number, servers: Record<string, number>): GatewaySnapshot {
  return {
    at,
    clusters: [{ id: 'web', servers: Object.entries(servers).map(([id, sessions]) => ({ id, sessions })) }],
  } as unknown as GatewaySnapshot;
}

describe('SessionHistory', () => {
  it('keeps one point per snapshot per server, in seconds', () => {
    const history = new SessionHistory();
    history.record(snapshotAt(10_000, { a: 1, b: 5 }));
    history.record(snapshotAt(11_000, { a: 2, b: 4 }));
    expect(history.of('web', 'a')).toEqual({ times: [10, 11], sessions: [1, 2] });
    expect(history.of('web', 'b')).toEqual({ times: [10, 11], sessions: [5, 4] });
  });

  it('ignores a snapshot that is not newer than the last one', () => {
    const history = new SessionHistory();
    history.record(snapshotAt(10_000, { a: 1 }));
    history.record(snapshotAt(10_000, { a: 9 }));
    history.record(snapshotAt(9_000, { a: 9 }));
    expect(history.of('web', 'a').sessions).toEqual([1]);
  });

  it('forgets points older than the window and servers that are gone', () => {
    const history = new SessionHistory();
    history.record(snapshotAt(1_000, { a: 1, gone: 3 }));
    history.record(snapshotAt(2_000, { a: 2 }));
    history.record(snapshotAt(1_000 + HISTORY_WINDOW_MS + 500, { a: 3 }));
    expect(history.of('web', 'a').sessions).toEqual([2, 3]);
    expect(history.of('web', 'gone').sessions).toEqual([]);
  });

  it("puts the gateway's older points in front of those the page saw, within the window", () => {
    const history = new SessionHistory();
    history.record(snapshotAt(HISTORY_WINDOW_MS + 100_000, { a: 7 }));
    const point = (at: number, sessions: number) => ({ at, sessions, requestsPerSec: 0, p99: 0, errors: 0 });
    history.seed({
      clusterId: 'web',
      serverId: 'a',
      // The first is older than the window; the last is no older than what the page saw itself.
      points: [point(50_000, 1), point(HISTORY_WINDOW_MS + 80_000, 5), point(HISTORY_WINDOW_MS + 90_000, 6), point(HISTORY_WINDOW_MS + 100_000, 9)],
    });
    expect(history.of('web', 'a').sessions).toEqual([5, 6, 7]);
    history.record(snapshotAt(HISTORY_WINDOW_MS + 101_000, { a: 8 }));
    expect(history.of('web', 'a').sessions).toEqual([5, 6, 7, 8]);
  });

  it('seeds a server the page has not seen yet with all of its points', () => {
    const history = new SessionHistory();
    history.seed({ clusterId: 'web', serverId: 'a', points: [{ at: 10_000, sessions: 2, requestsPerSec: 0, p99: 0, errors: 0 }] });
    expect(history.of('web', 'a')).toEqual({ times: [10], sessions: [2] });
  });

  it('gives a new series object after each change, so that a chart can tell', () => {
    const history = new SessionHistory();
    history.record(snapshotAt(1_000, { a: 1 }));
    const first = history.of('web', 'a');
    history.record(snapshotAt(2_000, { a: 1 }));
    expect(history.of('web', 'a')).not.toBe(first);
  });
});
